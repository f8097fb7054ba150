"""Reading real messages (tests/inbox/fixtures/*.eml): encodings, multipart, attachments,
threading ids, and the messages the parser must refuse rather than guess."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clausier.inbox import loops, parsing
from tests.factories.inbox import eml

CONTEXT = loops.Context(
    own_domain="clausier.test", own_addresses=frozenset({"support@hebergeur.test"})
)


def parse(name: str) -> parsing.Parsed:
    return parsing.parse(eml(name), context=CONTEXT)


def test_a_plain_message_reads_its_sender_subject_date_and_body():
    parsed = parse("plain")
    assert parsed.from_name == "Marie Dupont"
    assert parsed.from_address == "marie.dupont@boulangerie-dupont.fr"
    assert parsed.to_addresses == ["support@hebergeur.test"]
    assert parsed.subject == "Site inaccessible depuis ce matin"
    assert parsed.date_header == datetime(2026, 12, 7, 8, 13, 58, tzinfo=UTC)
    assert parsed.message_id_header == "<20261207081358.1234@boulangerie-dupont.fr>"
    assert parsed.text_body.startswith("Bonjour,\n\nNotre site renvoie une erreur 502")
    assert parsed.automatic_reason == ""
    assert parsed.attachments == []


def test_utf8_encoded_words_quoted_printable_and_base64_bodies_are_decoded():
    parsed = parse("multipart-alternative")
    assert parsed.subject == "Question sur la facture — été"
    assert parsed.from_name == "José García"
    assert parsed.cc_addresses == ["compta@example.org"]
    assert parsed.text_body == "Bonjour, la facture d'été me semble erronée.\nCordialement, José"
    assert "<p>Bonjour, la facture d'été me semble erronée.</p>" in parsed.html_body


def test_an_html_only_message_in_latin1_gets_a_text_body_without_its_style():
    parsed = parse("html-only")
    assert parsed.text_body == "Le déploiement a échoué.\n\nMerci !"
    assert "color:red" not in parsed.text_body


def test_attachments_are_kept_with_their_decoded_names_types_and_bytes():
    parsed = parse("attachments")
    assert parsed.subject == "Facture contestée et capture d'écran"
    assert parsed.from_name == "Hélène Lévesque"
    assert parsed.text_body == (
        "Veuillez trouver ci-joint la facture contestée et une capture d'écran."
    )
    pdf, png = parsed.attachments
    assert (pdf.filename, pdf.content_type) == ("facture contestée.pdf", "application/pdf")
    assert pdf.content.startswith(b"%PDF-1.4")
    # RFC 2231 (filename*=UTF-8''...) on an inline image
    assert (png.filename, png.content_type) == ("capture d’écran.png", "image/png")
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_a_reply_names_the_message_it_answers_and_its_thread():
    parsed = parse("reply")
    assert parsed.in_reply_to == "<reply-1.1765100000@clausier.test>"
    assert parsed.references == [
        "<20261207081358.1234@boulangerie-dupont.fr>",
        "<reply-1.1765100000@clausier.test>",
    ]
    assert parsed.text_body.startswith("Merci, ça remarche.")
    # a person's reply to our mail is no loop: only our own Message-ID would be
    assert parsed.automatic_reason == ""


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("out-of-office", loops.AUTO_SUBMITTED),
        ("precedence-bulk", loops.PRECEDENCE),
        ("x-autoreply", loops.X_AUTOREPLY),
        ("bounce", loops.BOUNCE),
    ],
)
def test_automatic_messages_are_recognised(name, reason):
    assert parse(name).automatic_reason == reason


def test_an_iso_8859_1_subject_of_an_out_of_office_is_decoded():
    assert parse("out-of-office").subject == "Absent du bureau : réponse automatique"
    assert parse("out-of-office").text_body == "Je suis absent jusqu'au 15 décembre."


def test_a_bounce_keeps_its_human_part_as_text_and_has_no_attachment():
    parsed = parse("bounce")
    assert "550 5.1.1 User unknown" in parsed.text_body
    assert parsed.attachments == []


def test_a_multipart_whose_boundary_never_appears_is_refused():
    with pytest.raises(parsing.ParseError, match="StartBoundaryNotFoundDefect"):
        parse("broken-multipart")


def test_a_text_in_an_unknown_charset_is_refused():
    with pytest.raises(parsing.ParseError, match="unknown charset 'x-klingon-8'"):
        parse("unknown-charset")


def test_bytes_without_any_header_are_refused():
    with pytest.raises(parsing.ParseError, match="no header"):
        parsing.parse(b"\r\n\r\njust a body", context=CONTEXT)


def test_the_dedup_key_is_read_even_from_a_message_the_parser_refuses():
    assert parsing.dedup_key(eml("broken-multipart")) == "<broken-1@example.net>"
    assert parsing.dedup_key(b"no message id here") == ""


def test_header_recipients_for_a_pipe_without_its_mailbox():
    assert parsing.header_recipients(eml("plain")) == [
        "support@hebergeur.test",
        "support@hebergeur.test",
    ]
    assert parsing.header_recipients(eml("multipart-alternative")) == [
        "support@hebergeur.test",
        "compta@example.org",
    ]
