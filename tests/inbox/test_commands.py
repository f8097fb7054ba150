"""``clausier ingest-email``: a message from an MTA's pipe, and the exit codes the MTA acts on
(0 stored, 75 try again later, 65 nothing to store)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from clausier.inbox.models import InboundMessage
from tests.factories.inbox import FIXTURES, eml

pytestmark = pytest.mark.django_db


def clausier(*args: str, stdin: bytes, database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "clausier.manage", *args],
        input=stdin,
        capture_output=True,
        env=os.environ | {"DATABASE_URL": database_url},
        timeout=120,
    )


def test_a_piped_message_is_stored_for_its_mailbox(mailbox, capsys):
    call_command(
        "ingest_email", "--mailbox", mailbox.address, "--file", str(FIXTURES / "reply.eml")
    )
    message = InboundMessage.objects.get()
    assert (message.source, message.mailbox, message.status) == ("pipe", mailbox, "parsed")
    assert f"message {message.pk} stored (parsed)" in capsys.readouterr().out
    call_command("ingest_email", "--file", str(FIXTURES / "reply.eml"))
    assert "already stored" in capsys.readouterr().out
    assert InboundMessage.objects.count() == 1


def test_without_mailbox_the_headers_name_the_recipient(mailbox):
    call_command("ingest_email", "--file", str(FIXTURES / "plain.eml"))
    assert InboundMessage.objects.get().mailbox == mailbox


def test_a_broken_message_is_accepted_kept_raw_and_failed(mailbox):
    call_command("ingest_email", "--file", str(FIXTURES / "broken-multipart.eml"))
    message = InboundMessage.objects.get()
    assert message.status == "failed"
    assert bytes(message.raw) == eml("broken-multipart")


def test_an_unreachable_database_exits_75_so_that_the_mta_retries():
    done = clausier(
        "ingest-email",
        "--mailbox",
        "support@hebergeur.test",
        stdin=eml("plain"),
        database_url="postgres://nobody@127.0.0.1:1/clausier_unreachable",
    )
    assert done.returncode == 75, done.stderr
    assert b"not stored, try again later" in done.stderr


def test_an_empty_input_exits_65():
    done = clausier("ingest-email", stdin=b"\n", database_url="sqlite:///:memory:")
    assert done.returncode == 65, done.stderr


def test_mailbox_add_and_list(seller, capsys):
    call_command(
        "mailbox",
        "add",
        "Aide@Hebergeur.test",
        "--seller",
        seller.slug,
        "--imap-host",
        "imap.hebergeur.test",
        "--imap-password-env",
        "AIDE_IMAP_PASSWORD",
    )
    call_command("mailbox", "list", "--seller", seller.slug)
    out = capsys.readouterr().out
    assert f"aide@hebergeur.test: mailbox of {seller.slug} added" in out
    assert "aide@hebergeur.test imap://imap.hebergeur.test" in out
    with pytest.raises(CommandError, match="Adresse existe déjà"):
        call_command("mailbox", "add", "aide@hebergeur.test", "--seller", seller.slug)
    with pytest.raises(CommandError, match="no such seller"):
        call_command("mailbox", "list", "--seller", "nobody")
