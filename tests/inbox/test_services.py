"""Receiving a message: stored raw first, parsed next, once per mailbox; what fails to parse
is kept raw and can be parsed again; the fact announced for the mailbox's seller."""

from __future__ import annotations

import codecs

import pytest
from django.core.exceptions import ValidationError

from clausier.audit.models import Event
from clausier.inbox import services
from clausier.inbox.models import InboundAttachment, InboundMessage
from clausier.kernel.errors import InvalidTransition
from clausier.sellers.models import Seller
from tests.factories.inbox import eml, make_mailbox, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def noted(settings):
    """MessageReceived answered by a test handler writing "test.noted" on the seller."""
    settings.CLAUSIER_REACTIONS = "tests.inbox.reactions_for_tests"

    def noted_ids(seller: Seller) -> list[int]:
        rows = Event.objects.filter(seller=seller, verb="test.noted").order_by("id")
        return [int(e.summary["note"]) for e in rows]

    return noted_ids


def test_a_message_is_stored_raw_then_parsed_and_announced(mailbox, noted):
    receipt = receive("plain")
    message = receipt.message
    assert not receipt.duplicate
    assert bytes(message.raw) == eml("plain")
    assert message.raw_size == len(eml("plain"))
    assert (message.mailbox, message.seller) == (mailbox, mailbox.seller)
    assert message.status == "parsed"
    assert message.parsed_at is not None
    assert message.subject == "Site inaccessible depuis ce matin"
    assert message.source == "pipe"
    assert noted(mailbox.seller) == [message.pk]
    events = Event.objects.filter(object_id=str(message.pk), verb__startswith="inbox.message")
    verbs = events.values_list("verb", flat=True)
    assert sorted(verbs) == ["inbox.message_parsed", "inbox.message_received"]


def test_the_same_message_delivered_twice_is_stored_once(mailbox, noted):
    first = receive("plain")
    again = receive("plain")
    assert again.duplicate
    assert again.message.pk == first.message.pk
    assert InboundMessage.objects.count() == 1
    assert noted(mailbox.seller) == [first.message.pk]


def test_the_same_message_id_to_two_mailboxes_is_kept_for_each(mailbox, other_seller):
    make_mailbox(other_seller, "aide@autre.test")
    receive("plain")
    receive("plain", to="aide@autre.test")
    assert InboundMessage.objects.count() == 2


def test_a_message_the_parser_refuses_is_kept_raw_and_failed(mailbox, noted):
    message = receive("broken-multipart").message
    message.refresh_from_db()
    assert message.status == "failed"
    assert "StartBoundaryNotFoundDefect" in message.error
    assert bytes(message.raw) == eml("broken-multipart")
    assert message.dedup_key == "<broken-1@example.net>"
    assert noted(mailbox.seller) == []  # nothing announced: nothing readable to answer
    # delivered again by the MTA: still one message, still failed
    assert receive("broken-multipart").duplicate
    assert InboundMessage.objects.count() == 1


@pytest.fixture
def klingon_codec():
    """The fix of a test below: the charset made known to the process, for this test only."""
    latin = codecs.lookup("latin-1")

    def search(name: str):
        return latin if name == "x_klingon_8" else None

    yield lambda: codecs.register(search)
    codecs.unregister(search)


def test_a_failed_message_is_parsed_again_after_a_fix(mailbox, noted, staff, klingon_codec):
    message = receive("unknown-charset").message
    assert message.status == "failed"
    assert "x-klingon-8" in message.error
    # still unreadable: failed again, its error kept
    assert services.reparse(message=message, by=staff).status == "failed"

    # the fix: the charset becomes known to the process (a codec installed)
    klingon_codec()
    message = services.reparse(message=message, by=staff)
    assert message.status == "parsed"
    assert message.error == ""
    assert message.text_body == "éè undecodable"
    assert noted(mailbox.seller) == [message.pk]
    event = Event.objects.filter(verb="inbox.message_reparsed").latest("id")
    assert event.actor == staff
    assert event.summary["after"]["status"] == "parsed"
    with pytest.raises(InvalidTransition):
        services.reparse(message=message, by=staff)


def test_automatic_messages_are_announced_with_their_reason(mailbox, noted):
    message = receive("out-of-office").message
    assert (message.automatic, message.automatic_reason) == (True, "auto_submitted")
    assert noted(mailbox.seller) == [message.pk]
    bounce = receive("bounce").message
    assert (bounce.automatic, bounce.automatic_reason) == (True, "bounce")


def test_our_own_message_coming_back_is_a_loop(mailbox):
    raw = eml("plain").replace(
        b"<20261207081358.1234@boulangerie-dupont.fr>", b"<abc.1@clausier.test>"
    )
    message = services.receive(raw=raw, source="lmtp", recipients=[mailbox.address], by=None)
    assert message.message.automatic_reason == "loop"


def test_attachments_are_stored_as_files_with_their_names(mailbox):
    message = receive("attachments").message
    pdf, png = message.attachments.order_by("position")
    assert (pdf.filename, pdf.content_type, pdf.too_large) == (
        "facture contestée.pdf",
        "application/pdf",
        False,
    )
    with pdf.file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF-1.4")
    assert png.filename == "capture d’écran.png"
    assert png.size == len(png.file.read())


def test_an_attachment_over_the_limit_is_listed_but_not_stored(mailbox, settings):
    settings.UPLOAD_MAX_BYTES = {**settings.UPLOAD_MAX_BYTES, "attachment": 100}
    message = receive("attachments").message
    pdf, png = message.attachments.order_by("position")
    assert pdf.too_large
    assert not pdf.file
    assert not png.too_large
    assert png.file


def test_a_message_over_the_size_limit_is_refused_and_nothing_stored(mailbox, settings):
    settings.INBOX_MAX_MESSAGE_BYTES = 100
    with pytest.raises(ValidationError, match="au plus 100 octets"):
        receive("plain")
    assert not InboundMessage.objects.exists()


def test_a_message_for_no_mailbox_is_kept_without_seller_and_not_announced(mailbox, noted):
    message = receive("plain", to="nobody@elsewhere.test").message
    assert message.mailbox is None
    assert message.seller is None
    assert message.status == "parsed"
    assert noted(mailbox.seller) == []
    assert receive("plain", to="nobody@elsewhere.test").duplicate


def test_sub_addresses_and_case_reach_the_mailbox(mailbox):
    message = receive("plain", to="Support+Urgent@Hebergeur.test").message
    assert message.mailbox == mailbox


def test_an_inactive_mailbox_receives_nothing(mailbox, staff):
    services.update_mailbox(mailbox=mailbox, fields={"active": False}, by=staff)
    assert receive("plain").message.mailbox is None


def test_a_mailbox_keeps_the_name_of_its_password_variable_never_a_secret(seller, staff):
    mailbox = services.create_mailbox(
        seller=seller,
        address=" Aide@Hebergeur.test ",
        by=staff,
        imap_host="imap.hebergeur.test",
        imap_user="aide",
        imap_password_env="HEBERGEUR_IMAP_PASSWORD",
    )
    assert mailbox.address == "aide@hebergeur.test"
    event = Event.objects.get(verb="inbox.mailbox_created")
    assert event.summary["after"]["imap_password_env"] == "HEBERGEUR_IMAP_PASSWORD"
    with pytest.raises(ValidationError, match="imap_password"):
        services.create_mailbox(seller=seller, address="x@y.test", by=staff, imap_password="s3cret")


def test_attachments_of_a_failed_message_wait_for_its_parse(mailbox):
    receive("broken-multipart")
    assert not InboundAttachment.objects.exists()


def test_without_message_id_the_same_bytes_are_stored_once(mailbox):
    raw = eml("plain").replace(b"Message-ID: <20261207081358.1234@boulangerie-dupont.fr>\n", b"")
    first = services.receive(raw=raw, source="pipe", recipients=[mailbox.address], by=None)
    again = services.receive(raw=raw, source="pipe", recipients=[mailbox.address], by=None)
    assert again.duplicate
    assert again.message.pk == first.message.pk
    assert first.message.dedup_key.startswith("sha256:")
    assert first.message.message_id_header == ""
    other = services.receive(
        raw=raw + b"P.S. encore moi\n", source="pipe", recipients=[mailbox.address], by=None
    )
    assert not other.duplicate
