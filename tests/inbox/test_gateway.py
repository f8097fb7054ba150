"""The LMTP and SMTP listener, served by a real aiosmtpd server and spoken to by smtplib, as
an MTA would: what it stores and how it answers."""

from __future__ import annotations

import smtplib

import pytest

from clausier.inbox.gateway import GatewayController, host_port
from clausier.inbox.models import InboundMessage
from tests.factories.inbox import eml as fixture
from tests.smtp import free_port

pytestmark = pytest.mark.django_db(transaction=True)


def eml(name: str) -> bytes:
    """A fixture as an MTA sends it: lines ended by CRLF (RFC 5321 2.3.8)."""
    return fixture(name).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


@pytest.fixture
def lmtp(mailbox):
    controller = GatewayController(lmtp=True, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def smtp(mailbox):
    controller = GatewayController(lmtp=False, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


def test_a_message_delivered_by_lmtp_is_stored_and_parsed(lmtp, mailbox):
    with smtplib.LMTP("127.0.0.1", lmtp.port) as client:
        refused = client.sendmail("marie@example.org", [mailbox.address], eml("attachments"))
    assert refused == {}
    message = InboundMessage.objects.get()
    assert (message.source, message.mailbox, message.status) == ("lmtp", mailbox, "parsed")
    assert message.recipients == [mailbox.address]
    # the final delivery writes the envelope sender in front
    assert bytes(message.raw).startswith(b"Return-Path: <marie@example.org>\r\n")
    assert message.subject == "Facture contestée et capture d'écran"
    assert message.attachments.count() == 2


def test_an_lmtp_retry_of_the_same_message_is_accepted_and_stored_once(lmtp, mailbox):
    for _ in range(2):
        with smtplib.LMTP("127.0.0.1", lmtp.port) as client:
            assert client.sendmail("marie@example.org", [mailbox.address], eml("plain")) == {}
    assert InboundMessage.objects.count() == 1


def test_lmtp_answers_once_per_recipient(lmtp, mailbox):
    with smtplib.LMTP("127.0.0.1", lmtp.port) as client:
        client.sendmail(
            "marie@example.org", [mailbox.address, "nobody@elsewhere.test"], eml("plain")
        )
        second = client.getreply()  # RFC 2033: a reply per recipient after the data
        assert second[0] == 250
        assert client.noop()[0] == 250  # and the conversation is still in step
    by_mailbox = {m.mailbox_id: m for m in InboundMessage.objects.all()}
    assert set(by_mailbox) == {mailbox.pk, None}


def test_a_bounce_delivered_with_a_null_sender_is_automatic(lmtp, mailbox):
    raw = eml("bounce").split(b"\r\n", 1)[1]  # without its Return-Path: the MTA's envelope says it
    with smtplib.LMTP("127.0.0.1", lmtp.port) as client:
        client.sendmail("", [mailbox.address], raw)
    message = InboundMessage.objects.get()
    assert bytes(message.raw).startswith(b"Return-Path: <>\r\n")
    assert (message.automatic, message.automatic_reason) == (True, "bounce")


def test_a_message_over_the_size_limit_is_refused_with_552(mailbox, settings):
    settings.INBOX_MAX_MESSAGE_BYTES = 300
    controller = GatewayController(lmtp=True, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with smtplib.LMTP("127.0.0.1", controller.port) as client:
            # announced with SIZE (RFC 1870): refused at MAIL FROM
            with pytest.raises(smtplib.SMTPSenderRefused) as refused:
                client.sendmail("marie@example.org", [mailbox.address], eml("attachments"))
            assert refused.value.smtp_code == 552
            # not announced: refused after the data
            client.ehlo_or_helo_if_needed()
            client.esmtp_features.pop("size", None)
            with pytest.raises(smtplib.SMTPDataError) as refused:
                client.sendmail("marie@example.org", [mailbox.address], eml("attachments"))
            assert refused.value.smtp_code == 552
    finally:
        controller.stop()
    assert not InboundMessage.objects.exists()


def test_a_broken_message_by_smtp_is_accepted_and_kept_raw(smtp, mailbox):
    with smtplib.SMTP("127.0.0.1", smtp.port) as client:
        assert client.sendmail("c@example.net", [mailbox.address], eml("broken-multipart")) == {}
    message = InboundMessage.objects.get()
    assert (message.source, message.status) == ("smtp", "failed")
    assert bytes(message.raw).endswith(eml("broken-multipart"))


def test_host_port_reads_the_listening_address():
    assert host_port("127.0.0.1:2424") == ("127.0.0.1", 2424)
    assert host_port("[::1]:24") == ("::1", 24)
    with pytest.raises(ValueError, match="HOST:PORT"):
        host_port("2424")
