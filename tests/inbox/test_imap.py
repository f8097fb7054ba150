"""Polling a real IMAP server (Dovecot, tests/inbox/dovecot.py): the unseen messages stored,
then flagged \\Seen; one fetched again after a crash is stored once."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from clausier.inbox import imap, services
from clausier.inbox.models import InboundMessage
from tests.factories.inbox import eml, make_mailbox
from tests.inbox.dovecot import PASSWORD, USER, Dovecot

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def dovecot():
    with Dovecot() as server:
        yield server


@pytest.fixture
def imap_mailbox(seller, dovecot, monkeypatch):
    monkeypatch.setenv("TEST_IMAP_PASSWORD", PASSWORD)
    dovecot.empty()  # each test starts from an empty INBOX
    return make_mailbox(
        seller,
        imap_host="127.0.0.1",
        imap_port=dovecot.port,
        imap_ssl=False,
        imap_user=USER,
        imap_password_env="TEST_IMAP_PASSWORD",
    )


def test_unseen_messages_are_stored_then_flagged_seen(dovecot, imap_mailbox):
    dovecot.append(eml("plain"))
    dovecot.append(eml("attachments"))
    dovecot.append(eml("reply"), seen=True)  # read by someone in a mail client: left alone
    done = imap.poll(imap_mailbox)
    assert len(done.stored) == 2
    assert done.duplicates == []
    stored = InboundMessage.objects.order_by("id")
    assert [m.subject for m in stored] == [
        "Site inaccessible depuis ce matin",
        "Facture contestée et capture d'écran",
    ]
    assert {(m.source, m.mailbox_id, m.status) for m in stored} == {
        ("imap", imap_mailbox.pk, "parsed")
    }
    assert all(b"\\Seen" in line for line in dovecot.flags())
    assert imap.poll(imap_mailbox).stored == []  # nothing unseen any more


def test_a_message_stored_before_a_crash_is_fetched_again_and_stored_once(dovecot, imap_mailbox):
    # the previous poll stored it and died before flagging it \Seen
    first = services.receive(
        raw=eml("plain"), source="imap", recipients=[imap_mailbox.address], by=None
    ).message
    dovecot.append(eml("plain"))
    done = imap.poll(imap_mailbox)
    assert done.duplicates == [first.pk]
    assert done.stored == []
    assert InboundMessage.objects.count() == 1
    assert all(b"\\Seen" in line for line in dovecot.flags())


def test_a_broken_message_is_kept_raw_failed_and_flagged_seen(dovecot, imap_mailbox):
    dovecot.append(eml("broken-multipart"))
    imap.poll(imap_mailbox)
    message = InboundMessage.objects.get()
    assert message.status == "failed"
    assert b"never appears in its body" in bytes(message.raw)
    assert all(b"\\Seen" in line for line in dovecot.flags())


def test_a_message_over_the_limit_stays_unseen_on_the_server(dovecot, imap_mailbox, settings):
    settings.INBOX_MAX_MESSAGE_BYTES = 300
    dovecot.append(eml("attachments"))
    done = imap.poll(imap_mailbox)
    assert len(done.refused) == 1
    assert not InboundMessage.objects.exists()
    assert not any(b"\\Seen" in line for line in dovecot.flags())


def test_a_wrong_or_missing_password_is_an_error_naming_the_mailbox(imap_mailbox, monkeypatch):
    monkeypatch.setenv("TEST_IMAP_PASSWORD", "wrong")
    with pytest.raises(imap.ImapError, match=r"support@hebergeur\.test"):
        imap.poll(imap_mailbox)
    monkeypatch.delenv("TEST_IMAP_PASSWORD")
    with pytest.raises(imap.ImapError, match="TEST_IMAP_PASSWORD"):
        imap.poll(imap_mailbox)


def test_the_command_polls_every_imap_mailbox_and_reports(
    dovecot, imap_mailbox, other_seller, capsys
):
    make_mailbox(other_seller, "aide@autre.test")  # no IMAP server: not polled
    dovecot.append(eml("out-of-office"))
    call_command("poll_imap")
    assert "support@hebergeur.test: 1 stored, 0 already stored" in capsys.readouterr().out
    assert InboundMessage.objects.get().automatic_reason == "auto_submitted"
    with pytest.raises(CommandError, match="no active mailbox"):
        call_command("poll_imap", "--mailbox", "aide@autre.test")
