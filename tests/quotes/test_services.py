"""Quotes on the real seed of the web agency (seed 002, CGV v3.0): send, revise, accept."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from clausier.audit.models import Event
from clausier.kernel.errors import InvalidTransition
from clausier.numbering.models import Counter
from clausier.orders import services as order_services
from clausier.orders.models import DepositRequest, Order, OrderStatus
from clausier.orders.services import WorkCannotStart, start_work
from clausier.payments import services as payment_services
from clausier.quotes import selectors, services
from clausier.quotes.models import QuoteAcceptance, QuoteStatus
from clausier.quotes.services import IncompleteEvidence, QuoteFrozen, QuoteNotAcceptable
from clausier.terms import services as terms_services
from clausier.terms.models import Acceptance, AcceptanceMethod
from tests.factories import make_client, make_contact, make_seller
from tests.factories.quotes import (
    WEBSITE_TOTAL_HT,
    consent_eml,
    make_quote,
    paris,
    pdf_file,
    sent_quote,
)

pytestmark = pytest.mark.django_db

SENT_AT = paris(2026, 5, 4, 10, 0)


def accept_online(quote, bakery_contact, *, now, **overrides):
    arguments = {
        "quote": quote,
        "contact": bakery_contact,
        "signatory_name": "Camille Martin",
        "signatory_role": "Gérante",
        "consent": True,
        "ip_address": "203.0.113.7",
        "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
        "document_sha256": "a" * 64,
        "now": now,
    }
    return services.accept_quote_online(**(arguments | overrides))


def postal(quote, agency_sales, *, now, **overrides):
    arguments = {
        "quote": quote,
        "scan": pdf_file("devis-signe.pdf", b"scan"),
        "signatory_name": "Camille Martin",
        "signatory_role": "Gérante",
        "signed_on": date(2026, 5, 6),
        "shows_bon_pour_accord": True,
        "shows_signature": True,
        "shows_date": True,
        "shows_stamp": True,
        "by": agency_sales,
        "now": now,
    }
    return services.record_postal_acceptance(**(arguments | overrides))


def evidence_counts():
    return (
        Acceptance.objects.count(),
        QuoteAcceptance.objects.count(),
        Order.objects.count(),
        DepositRequest.objects.count(),
        Event.objects.count(),
    )


# --- the full agency path -----------------------------------------------------------------


def test_agency_quote_runs_from_draft_to_work_started_on_the_neo7_seed(
    agency, agency_sales, bakery, bakery_contact
):
    # Given a draft with a specification and a mockup, asking the art. 5 deposit
    quote = make_quote(agency, bakery, by=agency_sales)
    services.add_attachment(quote=quote, kind="specification", file=pdf_file(), by=agency_sales)
    services.add_attachment(
        quote=quote,
        kind="mockup",
        file=SimpleUploadedFile("accueil.png", b"\x89PNG\r\n\x1a\n mockup"),
        by=agency_sales,
    )
    assert quote.status == QuoteStatus.DRAFT
    assert quote.number == ""

    # When it is sent
    quote = services.send_quote(quote=quote, by=agency_sales, now=SENT_AT)

    # Then it has its number, names CGV v3.0 and freezes its clauses and totals
    assert (quote.status, quote.display_number) == (QuoteStatus.SENT, "D2026-000001")
    assert quote.terms_label == "v3.0"
    assert quote.terms_sha256 == quote.terms_version.text_sha256
    assert quote.payment_terms["clause"] == "payment.due"
    assert quote.payment_terms["parameters"] == {
        "n": 14,
        "unit": "jours_ouvres",
        "from": "invoice_date",
    }
    assert quote.deposit_terms["clause"] == "payment.deposit"
    assert quote.deposit_terms["article"] == "art. 5"
    assert quote.validity_terms["validity_days"] is None
    assert quote.vat_regime == "franchise_293b"
    assert quote.vat_mention == "TVA non applicable, art. 293 B du CGI"
    assert (quote.total_ht, quote.total_vat, quote.total_ttc) == (
        WEBSITE_TOTAL_HT,
        Decimal("0.00"),
        WEBSITE_TOTAL_HT,
    )
    assert [line.amount_ht for line in quote.lines.order_by("position")] == [
        Decimal("2400.00"),
        Decimal("875.00"),
        Decimal("136.00"),
    ]
    assert quote.deposit_rate == Decimal("0.3000")
    assert quote.deposit_amount == Decimal("1023.30")  # 30 % × 3 411,00
    assert quote.deposit_terms["explanation"]["terms"] == "v3.0"
    assert quote.parties["client"]["name"] == "Boulangerie Martin SARL"
    assert selectors.consent_statement(quote=quote) == (
        "J'accepte le devis n° D2026-000001 sans modification, le cahier des charges joint "
        "et les CGV v3.0."
    )

    # When the client accepts it online
    accepted = accept_online(quote, bakery_contact, now=paris(2026, 5, 10, 18, 30))

    # Then the quote evidence and the CGV acceptance are both stored
    evidence = accepted.acceptance
    assert accepted.quote.status == QuoteStatus.ACCEPTED
    assert evidence.method == "online"
    assert (evidence.ip_address, evidence.document_sha256) == ("203.0.113.7", "a" * 64)
    assert evidence.user_agent.startswith("Mozilla/5.0")
    assert evidence.signatory_role == "Gérante"
    assert evidence.statement.startswith("J'accepte le devis n° D2026-000001")
    spec = quote.attachments.get(kind="specification")
    assert evidence.specification_sha256 == spec.sha256
    cgv = evidence.terms_acceptance
    assert (cgv.client, cgv.version.label, cgv.method) == (
        bakery,
        "v3.0",
        AcceptanceMethod.CHECKBOX,
    )
    assert cgv.accepted_by == bakery_contact.user
    assert cgv.accepted_at == paris(2026, 5, 10, 18, 30)

    # And the order waits for 30 % of the HT total
    order = accepted.order
    assert order.status == OrderStatus.AWAITING_DEPOSIT
    assert order.reference == "D2026-000001"
    assert order.deposit.amount == Decimal("1023.30")
    assert order.deposit.rate == Decimal("0.3000")
    assert order.lines.count() == 3
    assert order.total_ht == WEBSITE_TOTAL_HT
    reason = order.waiting_reason
    assert reason.waiting
    assert (reason.clause, reason.terms) == ("payment.deposit", "v3.0")

    # When work is started before the deposit is cashed, it is refused citing art. 5
    with pytest.raises(WorkCannotStart) as refused:
        start_work(order=order, by=agency_sales)
    assert str(refused.value) == (
        "Travaux impossibles à démarrer, en attente d'acompte : art. 5 CGV v3.0, "
        "30\u202f% du total HT (1\u202f023,30\u00a0€) à encaisser avant le début des travaux."
    )

    # When the deposit is cashed, the order is ready and work may start
    order = payment_services.record_deposit_cashed(
        order=order, cashed_on=date(2026, 5, 12), by=agency_sales, now=paris(2026, 5, 12, 9)
    ).order
    assert order.status == OrderStatus.READY
    assert not order.waiting_reason.waiting
    order = start_work(order=order, by=agency_sales, now=paris(2026, 5, 13, 9))
    assert order.status == OrderStatus.IN_PROGRESS
    assert order.started_at == paris(2026, 5, 13, 9)


# --- sending ------------------------------------------------------------------------------


def test_sending_requires_a_validity_date_because_the_agency_terms_leave_it_to_each_quote(
    agency, bakery
):
    quote = make_quote(agency, bakery, valid_until=None)
    with pytest.raises(ValidationError) as refused:
        services.send_quote(quote=quote, by=None, now=SENT_AT)
    assert "valid_until" in refused.value.message_dict
    assert "v3.0" in refused.value.message_dict["valid_until"][0]
    quote.refresh_from_db()
    assert (quote.status, quote.number) == (QuoteStatus.DRAFT, "")
    assert not Counter.objects.filter(seller=agency).exclude(last_number=0).exists()


def test_sending_refuses_a_validity_date_already_past(agency, bakery):
    quote = make_quote(agency, bakery, valid_until=date(2026, 5, 3))
    with pytest.raises(ValidationError, match="déjà passée"):
        services.send_quote(quote=quote, by=None, now=SENT_AT)


def test_sending_refuses_a_quote_without_lines_or_nature(agency, bakery):
    quote = services.create_quote(
        seller=agency, client=bakery, fields={"valid_until": date(2026, 6, 1)}, by=None
    )
    with pytest.raises(ValidationError) as refused:
        services.send_quote(quote=quote, by=None, now=SENT_AT)
    assert {"lines", "nature"} <= set(refused.value.message_dict)


def test_a_quote_without_deposit_freezes_no_deposit(agency, bakery):
    quote = sent_quote(agency, bakery, requires_deposit=False)
    assert (quote.deposit_amount, quote.deposit_terms) == (None, {})


@pytest.mark.parametrize(
    "write",
    [
        lambda q: services.update_quote(quote=q, fields={"nature": "autre"}, by=None),
        lambda q: services.set_lines(quote=q, lines=[], by=None),
        lambda q: services.add_line(
            quote=q,
            fields={"description": "x", "quantity": 1, "unit": "flat", "unit_price": 1},
            by=None,
        ),
        lambda q: services.update_line(line=q.lines.first(), fields={"quantity": 9}, by=None),
        lambda q: services.delete_line(line=q.lines.first(), by=None),
        lambda q: services.add_attachment(quote=q, kind="specification", file=pdf_file(), by=None),
    ],
    ids=["update", "set_lines", "add_line", "update_line", "delete_line", "attach"],
)
def test_a_sent_quote_never_changes(agency, bakery, write):
    quote = sent_quote(agency, bakery)
    before = list(quote.lines.values_list("description", "quantity", "unit_price", "amount_ht"))
    with pytest.raises(QuoteFrozen, match="créez une révision"):
        write(quote)
    quote.refresh_from_db()
    assert quote.total_ht == WEBSITE_TOTAL_HT
    after = list(quote.lines.values_list("description", "quantity", "unit_price", "amount_ht"))
    assert after == before


def test_sending_twice_is_an_invalid_transition(agency, bakery):
    quote = sent_quote(agency, bakery)
    with pytest.raises(InvalidTransition, match="sent"):
        services.send_quote(quote=quote, by=None, now=SENT_AT)


def test_draft_lines_are_validated_and_never_floats(agency, bakery):
    with pytest.raises(ValidationError) as refused:
        make_quote(
            agency,
            bakery,
            lines=[{"description": "x", "quantity": 0.5, "unit": "parsec", "unit_price": "abc"}],
        )
    errors = refused.value.message_dict
    assert {"lines[0].quantity", "lines[0].unit_price"} <= set(errors)


def test_a_draft_can_be_edited_line_by_line(agency, bakery):
    quote = make_quote(agency, bakery)
    line = services.add_line(
        quote=quote,
        fields={
            "description": "Hébergement",
            "quantity": "12",
            "unit": "month",
            "unit_price": "9.90",
        },
        by=None,
    )
    line = services.update_line(line=line, fields={"quantity": Decimal("6")}, by=None)
    assert (line.position, line.quantity) == (3, Decimal("6"))
    totals = selectors.quote_totals(quote=quote)
    assert totals.value.total_ht == WEBSITE_TOTAL_HT + Decimal("59.40")
    services.delete_line(line=line, by=None)
    assert quote.lines.count() == 3


def test_the_specification_must_be_a_pdf_and_mockups_are_not_contractual(agency, bakery):
    quote = make_quote(agency, bakery)
    with pytest.raises(ValidationError, match="PDF"):
        services.add_attachment(
            quote=quote,
            kind="specification",
            file=SimpleUploadedFile("cdc.docx", b"PK"),
            by=None,
        )
    spec = services.add_attachment(quote=quote, kind="specification", file=pdf_file(), by=None)
    mockup = services.add_attachment(
        quote=quote,
        kind="mockup",
        file=SimpleUploadedFile("maquette.jpg", b"\xff\xd8\xff jpg"),
        by=None,
    )
    assert (spec.is_contractual, mockup.is_contractual) == (True, False)
    assert mockup.get_kind_display() == "Maquette (non contractuelle)"
    with pytest.raises(ValidationError, match="déjà un cahier des charges"):
        services.add_attachment(quote=quote, kind="specification", file=pdf_file(), by=None)
    services.remove_attachment(attachment=mockup, by=None)
    assert list(quote.attachments.values_list("kind", flat=True)) == ["specification"]


def test_sending_needs_published_terms(bakery):
    seller = make_seller()
    client = make_client(seller)
    quote = make_quote(seller, client)
    with pytest.raises(Exception, match="pas de CGV publiées"):
        services.send_quote(quote=quote, by=None, now=SENT_AT)


# --- numbers ------------------------------------------------------------------------------


def test_numbers_are_gapless_across_quotes_drafts_refusals_and_revisions(agency, bakery):
    first = sent_quote(agency, bakery)
    make_quote(agency, bakery)  # a draft takes no number
    refused = make_quote(agency, bakery, valid_until=None)
    with pytest.raises(ValidationError):
        services.send_quote(quote=refused, by=None, now=SENT_AT)
    second = sent_quote(agency, bakery)
    revision = services.revise_quote(quote=first, by=None, now=SENT_AT)
    revision = services.send_quote(quote=revision, by=None, now=paris(2026, 5, 5, 9))
    third = sent_quote(agency, bakery)
    next_year = sent_quote(
        agency, bakery, now=paris(2027, 1, 1, 0, 30), valid_until=date(2027, 1, 31)
    )
    assert [q.display_number for q in (first, second, revision, third)] == [
        "D2026-000001",
        "D2026-000002",
        "D2026-000001-R2",
        "D2026-000003",
    ]
    assert next_year.display_number == "D2027-000001"


def test_the_number_year_is_the_paris_date_of_sending(agency, bakery):
    # 31/12/2026 23:30 UTC is already 1 January 2027 in Paris.
    quote = sent_quote(
        agency,
        bakery,
        now=paris(2027, 1, 1, 0, 30),
        valid_until=date(2027, 1, 31),
    )
    assert quote.number == "D2027-000001"


# --- revisions ----------------------------------------------------------------------------


def test_a_revision_supersedes_the_sent_quote_and_keeps_the_history(agency, bakery):
    original = sent_quote(agency, bakery)
    revision = services.revise_quote(quote=original, by=None, now=paris(2026, 5, 6, 9))
    original.refresh_from_db()
    assert original.status == QuoteStatus.SUPERSEDED
    assert (revision.status, revision.number, revision.revision) == (
        QuoteStatus.DRAFT,
        "D2026-000001",
        2,
    )
    assert revision.previous == original
    assert str(revision) == "Devis D2026-000001-R2"
    services.set_lines(
        quote=revision,
        lines=[{"description": "Site vitrine", "quantity": 1, "unit": "flat", "unit_price": 2000}],
        by=None,
    )
    revision = services.send_quote(quote=revision, by=None, now=paris(2026, 5, 6, 10))
    assert revision.total_ht == Decimal("2000.00")
    original.refresh_from_db()
    assert original.total_ht == WEBSITE_TOTAL_HT  # the old revision never changed

    third = services.revise_quote(quote=revision, by=None, now=paris(2026, 5, 7, 9))
    history = selectors.revision_history(quote=revision)
    assert [q.display_number for q in history] == [
        "D2026-000001",
        "D2026-000001-R2",
        "D2026-000001-R3",
    ]
    assert [q.status for q in history] == ["superseded", "superseded", "draft"]
    assert selectors.revision_history(quote=original) == history
    assert selectors.revision_history(quote=third) == history


def test_a_revision_copies_lines_and_attachments(agency, bakery):
    quote = make_quote(agency, bakery)
    services.add_attachment(quote=quote, kind="specification", file=pdf_file(), by=None)
    quote = services.send_quote(quote=quote, by=None, now=SENT_AT)
    revision = services.revise_quote(quote=quote, by=None, now=SENT_AT)
    assert revision.lines.count() == 3
    assert all(line.amount_ht is None for line in revision.lines.all())
    copied = revision.attachments.get()
    assert (copied.file.name, copied.sha256) == (
        quote.attachments.get().file.name,
        quote.attachments.get().sha256,
    )


def test_only_a_sent_quote_can_be_revised(agency, bakery):
    with pytest.raises(InvalidTransition):
        services.revise_quote(quote=make_quote(agency, bakery), by=None)


def test_a_revision_draft_cannot_be_deleted_but_a_plain_draft_can(agency, bakery):
    revision = services.revise_quote(quote=sent_quote(agency, bakery), by=None)
    with pytest.raises(Exception, match="historique"):
        services.delete_draft(quote=revision, by=None)
    draft = make_quote(agency, bakery)
    services.delete_draft(quote=draft, by=None)
    assert not type(draft).objects.filter(pk=draft.pk).exists()


# --- validity -----------------------------------------------------------------------------


def test_a_quote_can_be_accepted_until_2359_paris_on_its_validity_day(
    agency, bakery, bakery_contact
):
    quote = sent_quote(agency, bakery, valid_until=date(2026, 5, 31))
    accepted = accept_online(quote, bakery_contact, now=paris(2026, 5, 31, 23, 59, 59))
    assert accepted.quote.status == QuoteStatus.ACCEPTED


def test_a_quote_cannot_be_accepted_at_midnight_after_its_validity_day_even_before_expiry(
    agency, bakery, bakery_contact
):
    quote = sent_quote(agency, bakery, valid_until=date(2026, 5, 31))
    with pytest.raises(QuoteNotAcceptable) as refused:
        accept_online(quote, bakery_contact, now=paris(2026, 6, 1, 0, 0))
    assert str(refused.value) == (
        "Le devis D2026-000001 a expiré le 31/05/2026 à minuit (heure de Paris) : il ne peut "
        "plus être accepté. Un devis expiré est considéré comme annulé (art. 3 des CGV v3.0) ; "
        "demandez un nouveau devis."
    )
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SENT  # the expiry task has not run yet


def test_accepting_an_expired_quote_is_refused_in_french(agency, bakery, bakery_contact):
    quote = sent_quote(agency, bakery, valid_until=date(2026, 5, 31))
    assert services.expire_quote(quote=quote, now=paris(2026, 6, 2, 3))
    with pytest.raises(QuoteNotAcceptable, match="a expiré le 31/05/2026"):
        accept_online(quote, bakery_contact, now=paris(2026, 5, 20))


def test_accepting_a_superseded_quote_is_refused_naming_the_revision(
    agency, bakery, bakery_contact, agency_sales
):
    quote = sent_quote(agency, bakery)
    services.revise_quote(quote=quote, by=agency_sales, now=paris(2026, 5, 5))
    with pytest.raises(QuoteNotAcceptable) as refused:
        accept_online(quote, bakery_contact, now=paris(2026, 5, 6))
    assert "remplacé par sa révision D2026-000001-R2" in str(refused.value)
    with pytest.raises(QuoteNotAcceptable, match="remplacé"):
        postal(quote, agency_sales, now=paris(2026, 5, 6))


@pytest.mark.parametrize(
    ("close", "message"),
    [
        (lambda q: services.withdraw_quote(quote=q, by=None, reason="erreur"), "retiré"),
        (lambda q: services.refuse_quote(quote=q, by=None, reason="trop cher"), "refusé"),
    ],
    ids=["withdrawn", "refused"],
)
def test_a_closed_quote_cannot_be_accepted(agency, bakery, bakery_contact, close, message):
    quote = sent_quote(agency, bakery)
    close(quote)
    with pytest.raises(QuoteNotAcceptable, match=message):
        accept_online(quote, bakery_contact, now=paris(2026, 5, 6))


def test_a_draft_cannot_be_accepted(agency, bakery, bakery_contact):
    with pytest.raises(QuoteNotAcceptable, match="pas encore été envoyé"):
        accept_online(make_quote(agency, bakery), bakery_contact, now=paris(2026, 5, 6))


def test_a_quote_naming_replaced_terms_cannot_be_accepted(agency, bakery, bakery_contact):
    quote = sent_quote(agency, bakery)
    v31 = terms_services.create_draft(
        seller=agency, label="v3.1", effective_date=date(2026, 5, 5), text="# CGV v3.1\n", by=None
    )
    terms_services.add_clause(
        version=v31,
        fields={
            "clause_id": "payment.due",
            "kind": "payment.due",
            "article": "art. 5",
            "title": "Échéance",
            "excerpt": "14 jours ouvrés",
            "parameters": {"n": 14, "unit": "jours_ouvres", "from": "invoice_date"},
        },
        by=None,
    )
    terms_services.publish_version(version=v31, by=None)
    before = evidence_counts()
    with pytest.raises(QuoteNotAcceptable, match=r"remplacées par la version v3\.1"):
        accept_online(quote, bakery_contact, now=paris(2026, 5, 6))
    assert evidence_counts() == before


# --- the three ways of accepting ----------------------------------------------------------


def test_online_acceptance_needs_the_box_ticked_name_and_role(agency, bakery, bakery_contact):
    quote = sent_quote(agency, bakery)
    with pytest.raises(ValidationError) as refused:
        accept_online(
            quote,
            bakery_contact,
            now=paris(2026, 5, 6),
            consent=False,
            signatory_name=" ",
            signatory_role="",
        )
    assert {"consent", "signatory_name", "signatory_role"} <= set(refused.value.message_dict)
    assert "J'accepte le devis n° D2026-000001" in refused.value.message_dict["consent"][0]


def test_online_acceptance_is_made_by_a_contact_of_the_quoted_client(agency, bakery):
    quote = sent_quote(agency, bakery)
    stranger = make_contact(make_client(agency))
    with pytest.raises(ValidationError, match="n'appartient pas"):
        accept_online(quote, stranger, now=paris(2026, 5, 6))


def test_a_consumer_accepts_online_without_a_role(agency):
    consumer = make_client(agency, kind="consumer", name="Alex Durand")
    bakery_contact = make_contact(consumer)
    quote = sent_quote(agency, consumer)
    accepted = accept_online(quote, bakery_contact, now=paris(2026, 5, 6), signatory_role="")
    assert accepted.acceptance.signatory_role == ""


def test_email_acceptance_parses_the_eml_and_records_the_cgv_consent(agency, bakery, agency_sales):
    quote = sent_quote(agency, bakery)
    eml, message_id = consent_eml(sent=paris(2026, 5, 7, 8, 15))

    accepted = services.record_email_acceptance(
        quote=quote, eml=eml, by=agency_sales, signatory_role="Gérante", now=paris(2026, 5, 7, 11)
    )

    evidence = accepted.acceptance
    assert evidence.method == "email_consent"
    assert evidence.email_from == "camille@boulangerie-martin.test"
    assert evidence.email_date == paris(2026, 5, 7, 8, 15)
    assert evidence.email_message_id == message_id
    assert evidence.email_subject == "Re: Devis D2026-000001"
    assert evidence.signatory_name == "Camille Martin"  # from the From display name
    assert evidence.accepted_at == paris(2026, 5, 7, 8, 15)  # the consent dates from the email
    assert evidence.recorded_by == agency_sales
    assert evidence.evidence_file.read().startswith(b"From: Camille Martin")
    assert len(evidence.evidence_sha256) == 64
    cgv = evidence.terms_acceptance
    assert (cgv.method, cgv.message_id, cgv.recorded_by) == (
        AcceptanceMethod.EMAIL_CONSENT,
        message_id,
        agency_sales,
    )
    assert cgv.evidence_file.name.endswith(".eml")
    assert accepted.order.status == OrderStatus.AWAITING_DEPOSIT


def test_an_email_sent_after_the_validity_day_does_not_accept_the_quote(
    agency, bakery, agency_sales
):
    quote = sent_quote(agency, bakery, valid_until=date(2026, 5, 31))
    eml, _ = consent_eml(sent=paris(2026, 6, 1, 0, 5))
    with pytest.raises(QuoteNotAcceptable, match="a expiré"):
        services.record_email_acceptance(
            quote=quote, eml=eml, by=agency_sales, now=paris(2026, 6, 1, 9)
        )


def test_an_email_dated_before_the_quote_was_sent_is_refused(agency, bakery, agency_sales):
    quote = sent_quote(agency, bakery)
    eml, _ = consent_eml(sent=paris(2026, 5, 3, 9))
    with pytest.raises(ValidationError, match="avant l'envoi du devis"):
        services.record_email_acceptance(
            quote=quote, eml=eml, by=agency_sales, now=paris(2026, 5, 7)
        )


def test_a_file_that_is_not_an_email_is_refused(agency, bakery, agency_sales):
    quote = sent_quote(agency, bakery)
    with pytest.raises(ValidationError, match="il manque"):
        services.record_email_acceptance(
            quote=quote,
            eml=SimpleUploadedFile("accord.eml", b"Bonjour, c'est d'accord.\n"),
            by=agency_sales,
            now=paris(2026, 5, 7),
        )


def test_postal_acceptance_records_the_scan_and_the_mentions_confirmed(
    agency, bakery, agency_sales
):
    quote = sent_quote(agency, bakery)
    accepted = postal(quote, agency_sales, now=paris(2026, 5, 9, 10))
    evidence = accepted.acceptance
    assert evidence.method == "postal_signed"
    assert evidence.signed_on == date(2026, 5, 6)
    assert evidence.postal_checks["bon_pour_accord"] is True
    assert evidence.accepted_at == paris(2026, 5, 9, 10)
    assert evidence.terms_acceptance.method == AcceptanceMethod.POSTAL_SCAN
    assert evidence.terms_acceptance.evidence_file.name.endswith(".pdf")


def test_postal_acceptance_refuses_a_scan_without_bon_pour_accord(agency, bakery, agency_sales):
    quote = sent_quote(agency, bakery)
    before = evidence_counts()
    with pytest.raises(IncompleteEvidence) as refused:
        postal(quote, agency_sales, now=paris(2026, 5, 9), shows_bon_pour_accord=False)
    assert str(refused.value) == (
        "L'exemplaire signé ne vaut pas acceptation du devis D2026-000001 : il y manque la "
        "mention « Bon pour accord » (art. 3 des CGV v3.0)."
    )
    assert refused.value.missing == ["bon_pour_accord"]
    assert evidence_counts() == before
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SENT


def test_postal_acceptance_of_a_company_needs_its_stamp_but_not_a_consumer(agency, agency_sales):
    company = make_client(agency, kind="company")
    with pytest.raises(IncompleteEvidence) as refused:
        postal(
            sent_quote(agency, company),
            agency_sales,
            now=paris(2026, 5, 9),
            shows_stamp=False,
            shows_date=False,
        )
    assert refused.value.missing == ["date", "stamp"]
    assert "la date et le cachet commercial" in str(refused.value)
    consumer = make_client(agency, kind="consumer")
    accepted = postal(
        sent_quote(agency, consumer), agency_sales, now=paris(2026, 5, 9), shows_stamp=False
    )
    assert accepted.acceptance.postal_checks["stamp_required"] is False


def test_postal_signature_date_cannot_precede_the_quote(agency, bakery, agency_sales):
    quote = sent_quote(agency, bakery)
    with pytest.raises(ValidationError, match="précède l'envoi"):
        postal(quote, agency_sales, now=paris(2026, 5, 9), signed_on=date(2026, 5, 1))


def test_a_quote_is_accepted_once(agency, bakery, bakery_contact, agency_sales):
    quote = sent_quote(agency, bakery)
    accept_online(quote, bakery_contact, now=paris(2026, 5, 6))
    with pytest.raises(QuoteNotAcceptable, match="déjà accepté"):
        postal(quote, agency_sales, now=paris(2026, 5, 7))


# --- refusal, withdrawal ------------------------------------------------------------------


def test_a_refusal_records_the_reason(agency, bakery, bakery_contact):
    quote = sent_quote(agency, bakery)
    with pytest.raises(ValidationError):
        services.refuse_quote(quote=quote, reason="  ", by=bakery_contact.user)
    quote = services.refuse_quote(
        quote=quote,
        reason="Budget reporté à l'an prochain",
        by=bakery_contact.user,
        now=paris(2026, 5, 8),
    )
    assert (quote.status, quote.refusal_reason) == (
        QuoteStatus.REFUSED,
        "Budget reporté à l'an prochain",
    )
    assert quote.closed_at == paris(2026, 5, 8)
    event = Event.objects.get(verb="quote.refused")
    assert event.actor == bakery_contact.user
    assert event.summary["after"]["refusal_reason"] == "Budget reporté à l'an prochain"


def test_a_seller_withdraws_a_sent_quote(agency, bakery, agency_sales):
    quote = services.withdraw_quote(
        quote=sent_quote(agency, bakery), by=agency_sales, reason="prix erroné"
    )
    assert (quote.status, quote.withdrawal_reason) == (QuoteStatus.WITHDRAWN, "prix erroné")


# --- atomicity and audit ------------------------------------------------------------------


def test_nothing_is_written_when_an_acceptance_is_refused(agency, bakery, bakery_contact):
    quote = sent_quote(agency, bakery)
    before = evidence_counts()
    with pytest.raises(ValidationError):
        accept_online(quote, bakery_contact, now=paris(2026, 5, 6), consent=False)
    with pytest.raises(QuoteNotAcceptable):
        accept_online(quote, bakery_contact, now=paris(2026, 6, 1))
    assert evidence_counts() == before
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SENT


def test_nothing_is_written_when_a_late_failure_rolls_the_acceptance_back(
    agency, bakery, bakery_contact, monkeypatch
):
    # The CGV acceptance is written first; a failure after it (the order the QuoteAccepted
    # fact opens, in the same transaction) must take it back too.
    quote = sent_quote(agency, bakery)
    before = evidence_counts()

    def broken(**kwargs):
        raise RuntimeError("order creation failed")

    monkeypatch.setattr(order_services, "create_order_from_quote", broken)
    with pytest.raises(RuntimeError):
        accept_online(quote, bakery_contact, now=paris(2026, 5, 6))
    assert evidence_counts() == before
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SENT


def test_every_write_is_audited(agency, bakery, bakery_contact, agency_sales):
    events = Event.objects.filter(seller=agency)
    start = events.count()
    quote = make_quote(agency, bakery, by=agency_sales)
    services.update_quote(quote=quote, fields={"notes": "Livraison en juin"}, by=agency_sales)
    line = services.add_line(
        quote=quote,
        fields={"description": "Logo", "quantity": 1, "unit": "flat", "unit_price": 300},
        by=agency_sales,
    )
    services.update_line(line=line, fields={"unit_price": Decimal("350")}, by=agency_sales)
    services.delete_line(line=line, by=agency_sales)
    spec = services.add_attachment(
        quote=quote, kind="specification", file=pdf_file(), by=agency_sales
    )
    services.remove_attachment(attachment=spec, by=agency_sales)
    services.set_lines(
        quote=quote,
        lines=[{"description": "Site", "quantity": 1, "unit": "flat", "unit_price": 1000}],
        by=agency_sales,
    )
    quote = services.send_quote(quote=quote, by=agency_sales, now=SENT_AT)
    revision = services.revise_quote(quote=quote, by=agency_sales, now=SENT_AT)
    revision = services.send_quote(quote=revision, by=agency_sales, now=SENT_AT)
    accepted = accept_online(revision, bakery_contact, now=paris(2026, 5, 6))
    payment_services.record_deposit_cashed(
        order=accepted.order, cashed_on=date(2026, 5, 7), by=agency_sales, now=paris(2026, 5, 7, 9)
    )
    start_work(order=accepted.order, by=agency_sales, now=paris(2026, 5, 8, 9))
    verbs = list(events.order_by("id").values_list("verb", flat=True)[start:])
    assert verbs == [
        "quote.created",
        "quote.updated",
        "quote.line_added",
        "quote.line_updated",
        "quote.line_deleted",
        "quote.attachment_added",
        "quote.attachment_removed",
        "quote.lines_set",
        "quote.sent",
        "quote.superseded",
        "quote.revision_created",
        "quote.sent",
        "terms.accepted",
        "quote.accepted",
        "order.created",
        # The deposit invoice (art. 5) waits as a draft: the seed agency has no SIREN yet.
        "invoice.created",
        "invoice.issue_deferred",
        # The deposit is a payment (payments), cashed: the order may start.
        "payment.recorded",
        "payment.cashed",
        "order.deposit_cashed",
        "order.work_started",
    ]
    sent = events.filter(verb="quote.sent").order_by("id").first()
    assert sent.actor == agency_sales
    assert sent.summary["after"]["number"] == "D2026-000001"


# --- selectors ----------------------------------------------------------------------------


def test_the_portal_never_sees_drafts_nor_another_clients_quotes(agency, bakery):
    from django.http import Http404

    draft = make_quote(agency, bakery)
    sent = sent_quote(agency, bakery)
    other = sent_quote(agency, make_client(agency))
    assert list(selectors.quotes_for_client(client=bakery)) == [sent]
    with pytest.raises(Http404):
        selectors.quote_for_client(client=bakery, quote_id=draft.pk)
    with pytest.raises(Http404):
        selectors.quote_for_client(client=bakery, quote_id=other.pk)
    with pytest.raises(Http404):
        selectors.quote_for_seller(seller=make_seller(), quote_id=sent.pk)
    assert selectors.quote_for_seller(seller=agency, quote_id=draft.pk) == draft


def test_the_acceptance_deadline_is_midnight_paris_after_the_validity_day(agency, bakery):
    quote = sent_quote(agency, bakery, valid_until=date(2026, 10, 24))
    assert selectors.acceptance_deadline(quote=quote) == paris(2026, 10, 25, 0, 0)
    explained = quote.validity_terms["explanation"]
    assert (explained["clause"], explained["terms"]) == ("quote.rules", "v3.0")
