"""Consent given in time accepts the quote even once the expiry task has run (art. 3 of the
agency's terms, seed 002): an email of consent or a copy signed by post dated within the
validity, recorded by staff after the quote was marked expired. Late evidence, and any
acceptance online after the validity, stay refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clausier.api.services import create_token
from clausier.audit.models import Event
from clausier.orders.models import Order, OrderStatus
from clausier.quotes import services
from clausier.quotes.models import Quote, QuoteAcceptance, QuoteStatus
from clausier.quotes.services import QuoteNotAcceptable
from clausier.terms.models import Acceptance
from tests.api_client import Api
from tests.factories.quotes import consent_eml, paris, pdf_file, sent_quote

pytestmark = pytest.mark.django_db

VALID_UNTIL = date(2026, 5, 31)  # the quote may be accepted until 31/05/2026 23:59:59, Paris
EXPIRY_RUN = paris(2026, 6, 1, 2, 0)  # the nightly expiry task, after the validity day


def expired_quote(agency, client) -> Quote:
    """A quote sent on 04/05/2026, valid until 31/05, marked expired by the task on 01/06."""
    quote = sent_quote(agency, client, valid_until=VALID_UNTIL)
    assert services.expire_quote(quote=quote, now=EXPIRY_RUN)
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.EXPIRED
    return quote


def by_email(quote, agency_sales, *, sent, now):
    eml, message_id = consent_eml(sent=sent)
    result = services.record_email_acceptance(
        quote=quote, eml=eml, by=agency_sales, signatory_role="Gérante", now=now
    )
    return result, message_id


def by_post(quote, agency_sales, *, signed_on, now):
    return services.record_postal_acceptance(
        quote=quote,
        scan=pdf_file("devis-signe.pdf", b"scan"),
        signatory_name="Camille Martin",
        signatory_role="Gérante",
        signed_on=signed_on,
        shows_bon_pour_accord=True,
        shows_signature=True,
        shows_date=True,
        shows_stamp=True,
        by=agency_sales,
        now=now,
    )


def written():
    return (
        Acceptance.objects.count(),
        QuoteAcceptance.objects.count(),
        Order.objects.count(),
        Event.objects.filter(verb="quote.accepted").count(),
    )


# --- email ----------------------------------------------------------------------------------


def test_an_email_dated_within_validity_accepts_a_quote_the_task_already_expired(
    agency, bakery, agency_sales
):
    quote = expired_quote(agency, bakery)

    accepted, message_id = by_email(
        quote, agency_sales, sent=paris(2026, 5, 31, 23, 59, 59), now=paris(2026, 6, 2, 9, 30)
    )

    assert accepted.quote.status == QuoteStatus.ACCEPTED
    assert accepted.acceptance.accepted_at == paris(2026, 5, 31, 23, 59, 59)  # its Date
    assert accepted.acceptance.email_message_id == message_id
    assert accepted.order.status == OrderStatus.AWAITING_DEPOSIT
    quote.refresh_from_db()
    assert (quote.status, quote.closed_at) == (
        QuoteStatus.ACCEPTED,
        accepted.acceptance.accepted_at,
    )
    event = Event.objects.get(verb="quote.accepted", object_id=str(quote.pk))
    assert event.summary["before"] == {"status": "expired"}
    assert event.actor == agency_sales


def test_an_email_dated_after_the_validity_day_is_refused_naming_both_dates(
    agency, bakery, agency_sales
):
    quote = expired_quote(agency, bakery)
    before = written()

    with pytest.raises(QuoteNotAcceptable) as refused:
        by_email(quote, agency_sales, sent=paris(2026, 6, 1, 0, 0), now=paris(2026, 6, 2, 9, 30))

    assert str(refused.value) == (
        "Le devis D2026-000001 a expiré le 31/05/2026 à minuit (heure de Paris), avant l'e-mail "
        "du client daté du 01/06/2026 à 00:00 : il ne peut plus être accepté. Un devis expiré est "
        "considéré comme annulé (art. 3 des CGV v3.0) ; demandez un nouveau devis."
    )
    assert written() == before
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.EXPIRED


def test_an_email_in_time_is_still_checked_against_the_sending(agency, bakery, agency_sales):
    quote = expired_quote(agency, bakery)
    with pytest.raises(ValidationError, match="avant l'envoi du devis"):
        by_email(quote, agency_sales, sent=paris(2026, 5, 3, 9), now=paris(2026, 6, 2))
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.EXPIRED


# --- post -----------------------------------------------------------------------------------


def test_a_copy_signed_within_validity_accepts_a_quote_the_task_already_expired(
    agency, bakery, agency_sales
):
    quote = expired_quote(agency, bakery)

    accepted = by_post(quote, agency_sales, signed_on=VALID_UNTIL, now=paris(2026, 6, 3, 11))

    assert accepted.quote.status == QuoteStatus.ACCEPTED
    assert accepted.acceptance.signed_on == VALID_UNTIL
    assert accepted.acceptance.accepted_at == paris(2026, 6, 3, 11)  # counted from receipt
    assert accepted.order.status == OrderStatus.AWAITING_DEPOSIT
    event = Event.objects.get(verb="quote.accepted", object_id=str(quote.pk))
    assert event.summary["before"] == {"status": "expired"}


def test_a_copy_signed_in_time_is_accepted_the_same_before_the_task_runs(
    agency, bakery, agency_sales
):
    # The answer does not depend on whether the nightly task has run yet.
    quote = sent_quote(agency, bakery, valid_until=VALID_UNTIL)
    accepted = by_post(
        quote, agency_sales, signed_on=date(2026, 5, 30), now=paris(2026, 6, 1, 0, 30)
    )
    assert accepted.quote.status == QuoteStatus.ACCEPTED
    assert Event.objects.get(verb="quote.accepted").summary["before"] == {"status": "sent"}


def test_a_copy_signed_after_the_validity_day_is_refused_naming_both_dates(
    agency, bakery, agency_sales
):
    quote = expired_quote(agency, bakery)
    before = written()

    with pytest.raises(QuoteNotAcceptable) as refused:
        by_post(quote, agency_sales, signed_on=date(2026, 6, 1), now=paris(2026, 6, 3, 11))

    assert str(refused.value) == (
        "Le devis D2026-000001 a expiré le 31/05/2026 à minuit (heure de Paris), avant "
        "l'exemplaire signé daté du 01/06/2026 : il ne peut plus être accepté. Un devis expiré "
        "est considéré comme annulé (art. 3 des CGV v3.0) ; demandez un nouveau devis."
    )
    assert written() == before
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.EXPIRED


def test_a_copy_signed_after_the_validity_day_is_refused_before_the_task_runs_too(
    agency, bakery, agency_sales
):
    quote = sent_quote(agency, bakery, valid_until=VALID_UNTIL)
    with pytest.raises(QuoteNotAcceptable, match="a expiré le 31/05/2026"):
        by_post(quote, agency_sales, signed_on=date(2026, 6, 1), now=paris(2026, 6, 1, 10))
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SENT


# --- online -----------------------------------------------------------------------------------


def test_an_expired_quote_is_never_accepted_online(agency, bakery, bakery_contact):
    quote = expired_quote(agency, bakery)
    before = written()
    with pytest.raises(QuoteNotAcceptable, match="a expiré le 31/05/2026"):
        services.accept_quote_online(
            quote=quote,
            contact=bakery_contact,
            signatory_name="Camille Martin",
            signatory_role="Gérante",
            consent=True,
            ip_address="203.0.113.7",
            user_agent="Firefox",
            now=paris(2026, 6, 1, 9),
        )
    assert written() == before


# --- through the back-office and the API (real clock) ------------------------------------------


def expired_yesterday(agency, client) -> Quote:
    """A quote sent 20 days ago whose validity ended 10 days ago, marked expired by the task."""
    now = timezone.now()
    quote = sent_quote(
        agency,
        client,
        now=now - timedelta(days=20),
        valid_until=timezone.localdate() - timedelta(days=10),
    )
    assert services.expire_quote(quote=quote, now=now - timedelta(days=1))
    return quote


def test_staff_record_an_email_in_time_on_an_expired_quote_in_the_back_office(
    client, agency, bakery, agency_sales
):
    quote = expired_yesterday(agency, bakery)
    eml, message_id = consent_eml(sent=timezone.now() - timedelta(days=12))
    client.force_login(agency_sales)

    response = client.post(
        reverse(
            "backoffice:quote_accept_email", kwargs={"slug": agency.slug, "quote_id": quote.pk}
        ),
        {"email-eml": eml, "email-signatory_role": "Gérante"},
    )

    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ACCEPTED
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "backoffice:order", kwargs={"slug": agency.slug, "order_id": quote.order.pk}
    )
    assert QuoteAcceptance.objects.get(quote=quote).email_message_id == message_id


def test_a_late_signed_copy_on_an_expired_quote_is_refused_in_the_back_office(
    client, agency, bakery, agency_sales
):
    quote = expired_yesterday(agency, bakery)
    client.force_login(agency_sales)
    late = timezone.localdate() - timedelta(days=9)

    response = client.post(
        reverse(
            "backoffice:quote_accept_postal", kwargs={"slug": agency.slug, "quote_id": quote.pk}
        ),
        {
            "postal-scan": pdf_file("devis-signe.pdf", b"scan"),
            "postal-signatory_name": "Camille Martin",
            "postal-signatory_role": "Gérante",
            "postal-signed_on": late.isoformat(),
            "postal-shows_bon_pour_accord": "on",
            "postal-shows_signature": "on",
            "postal-shows_date": "on",
            "postal-shows_stamp": "on",
        },
    )

    assert response.status_code == 400
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.EXPIRED
    assert not QuoteAcceptance.objects.exists()


def test_the_api_records_a_copy_signed_in_time_on_an_expired_quote(client, agency, bakery):
    quote = expired_yesterday(agency, bakery)
    api = Api(client, create_token(seller=agency, name="CRM", by=None)[1])
    form = {
        "scan": pdf_file("devis-signe.pdf", b"scan"),
        "signatory_name": "Camille Martin",
        "signatory_role": "Gérante",
        "signed_on": (timezone.localdate() - timedelta(days=11)).isoformat(),
        "shows_bon_pour_accord": "true",
        "shows_signature": "true",
        "shows_date": "true",
        "shows_stamp": "true",
    }

    response = api.post(f"/quotes/{quote.pk}/acceptances/post", form=form)

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "accepted"
    assert Order.objects.get(quote=quote).status == OrderStatus.AWAITING_DEPOSIT


def test_the_api_refuses_a_late_email_on_an_expired_quote_with_409(client, agency, bakery):
    quote = expired_yesterday(agency, bakery)
    api = Api(client, create_token(seller=agency, name="CRM", by=None)[1])
    eml, _id = consent_eml(sent=timezone.now() - timedelta(days=2))

    response = api.post(
        f"/quotes/{quote.pk}/acceptances/email", form={"eml": eml, "signatory_role": "Gérante"}
    )

    assert response.status_code == 409
    detail = response.json()["detail"]
    assert f"a expiré le {quote.valid_until:%d/%m/%Y} à minuit" in detail
    assert "avant l'e-mail du client daté du" in detail
    assert not Order.objects.exists()


def test_the_expired_quote_page_still_offers_the_staff_acceptance_forms(
    client, agency, bakery, agency_sales
):
    quote = expired_yesterday(agency, bakery)
    client.force_login(agency_sales)

    page = client.get(
        reverse("backoffice:quote", kwargs={"slug": agency.slug, "quote_id": quote.pk})
    ).content.decode()

    assert (
        reverse("backoffice:quote_accept_email", kwargs={"slug": agency.slug, "quote_id": quote.pk})
        in page
    )
    assert (
        reverse(
            "backoffice:quote_accept_postal", kwargs={"slug": agency.slug, "quote_id": quote.pk}
        )
        in page
    )
    assert "daté dans la validité" in page
    # Refusing or withdrawing a quote that has already lapsed means nothing: not offered.
    assert (
        reverse("backoffice:quote_refuse", kwargs={"slug": agency.slug, "quote_id": quote.pk})
        not in page
    )
