"""Quotes through the API: drafts, sending, revisions, closing, acceptance evidence, the PDF."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pypdf
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from clausier.audit.models import Event
from clausier.orders.models import Order
from clausier.quotes import services
from clausier.quotes.models import Quote, QuoteAcceptance
from clausier.web.api import today_in_paris
from tests.factories import make_client
from tests.factories.quotes import consent_eml, make_quote, paris, pdf_file
from tests.factories.quotes import sent_quote as sent_in_may

pytestmark = pytest.mark.django_db

LINES = [
    {"description": "Création du site vitrine (5 pages)", "quantity": "1", "unit": "flat",
     "unit_price": "2400.00"},
    {"description": "Intégration des contenus", "quantity": "2.5", "unit": "day",
     "unit_price": "350.00", "product_code": "INT-JOUR"},
    {"description": "Formation", "quantity": "3", "unit": "hour", "unit_price": "45.333",
     "vat_rate": "0.20"},
]  # fmt: skip
# 2 400,00 + 875,00 + 136,00 = 3 411,00 € HT; no VAT under the agency's 293 B franchise.


def in_a_month() -> date:
    return today_in_paris() + timedelta(days=30)


@pytest.fixture
def customer(agency):
    return make_client(agency, kind="company", name="Boulangerie Martin SARL")


@pytest.fixture
def draft(agency, customer):
    return make_quote(agency, customer, valid_until=in_a_month())


def send(quote):
    """Sent an hour ago, so that an e-mail of consent dated a minute ago comes after."""
    return services.send_quote(quote=quote, by=None, now=timezone.now() - timedelta(hours=1))


@pytest.fixture
def sent(draft):
    return send(draft)


def body(customer, **extra):
    return {
        "client_id": customer.pk,
        "nature": "Conception et réalisation d'un site vitrine",
        "requires_deposit": True,
        "valid_until": in_a_month().isoformat(),
        "lines": LINES,
    } | extra


def eml_form(minutes_ago: int = 1, **extra):
    upload, message_id = consent_eml(sent=timezone.now() - timedelta(minutes=minutes_ago))
    return {"eml": upload, "signatory_role": "Gérante"} | extra, message_id


def scan_form(**extra):
    return {
        "scan": pdf_file("devis-signe.pdf", b"scan"),
        "signatory_name": "Camille Martin",
        "signatory_role": "Gérante",
        "signed_on": today_in_paris().isoformat(),
        "shows_bon_pour_accord": "true",
        "shows_signature": "true",
        "shows_date": "true",
        "shows_stamp": "true",
    } | extra


# --- drafts ---------------------------------------------------------------------------------


def test_create_a_draft_with_its_lines(agency_api, agency_token_and_secret, customer):
    response = agency_api.post("/quotes", body(customer, notes="Hébergement non compris"))
    assert response.status_code == 201, response.content
    data = response.json()
    quote = Quote.objects.get(pk=data["id"])
    assert quote.created_by is None  # a token is not a user; the audit names it
    assert data["status"] == "draft"
    assert data["number"] == ""  # numbers are taken at sending
    assert data["client_id"] == customer.pk
    assert data["client_name"] == "Boulangerie Martin SARL"
    assert data["notes"] == "Hébergement non compris"
    assert [(line["position"], line["quantity"], line["unit"]) for line in data["lines"]] == [
        (0, "1.000", "flat"),
        (1, "2.500", "day"),
        (2, "3.000", "hour"),
    ]
    assert data["lines"][1]["product_code"] == "INT-JOUR"
    assert data["lines"][2]["vat_rate"] == "0.2000"
    assert data["lines"][0]["amount_ht"] is None  # frozen when sent
    assert data["totals"]["frozen"] is False
    assert data["totals"]["total_ht"] == "3411.00"
    assert data["totals"]["total_ttc"] == "3411.00"
    assert "293 B" in data["totals"]["vat_mention"]
    assert data["totals"]["explanation"]["rule"] == "document_totals"
    assert data["terms"] is None
    assert data["deposit"] == {"required": True, "rate": None, "amount": None, "clause": {}}
    assert data["revision_ids"] == [quote.pk]
    assert data["acceptance"] is None
    assert data["order_id"] is None
    event = Event.objects.get(verb="quote.created")
    assert event.actor_label == str(agency_token_and_secret[0])


def test_a_draft_may_start_without_lines(agency_api, customer):
    response = agency_api.post("/quotes", {"client_id": customer.pk})
    assert response.status_code == 201, response.content
    assert response.json()["lines"] == []
    assert response.json()["totals"] is None


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"quantity": "beaucoup"}, "lines[0].quantity"),  # the schema refuses it
        ({"quantity": "0"}, "lines[0].quantity"),  # the service refuses it
        ({"unit": "week"}, "lines[0].unit"),
        ({"vat_rate": "20"}, "lines[0].vat_rate"),
        ({"colour": "blue"}, "lines[0].colour"),
    ],
)
def test_an_invalid_line_is_422_naming_it_and_nothing_is_written(agency_api, customer, line, field):
    response = agency_api.post("/quotes", body(customer, lines=[LINES[0] | line, LINES[1]]))
    assert response.status_code == 422, response.content
    assert set(response.json()["errors"]) == {field}
    assert not Quote.objects.exists()


def test_a_missing_line_field_is_named(agency_api, customer):
    line = {k: v for k, v in LINES[0].items() if k != "description"}
    response = agency_api.post("/quotes", body(customer, lines=[LINES[0], line]))
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"lines[1].description"}


def test_missing_fields_are_named(agency_api):
    response = agency_api.post("/quotes", {"lines": [{}]})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {
        "client_id",
        "lines[0].description",
        "lines[0].quantity",
        "lines[0].unit",
        "lines[0].unit_price",
    }


def test_another_sellers_client_is_an_unknown_client(agency_api, other_seller):
    stranger = make_client(other_seller, name="Client de l'autre")
    response = agency_api.post("/quotes", body(stranger))
    assert response.status_code == 422
    assert response.json()["errors"] == {"client_id": "unknown client"}
    assert not Quote.objects.exists()


def test_update_a_draft_and_replace_its_lines(agency_api, draft):
    response = agency_api.patch(
        f"/quotes/{draft.pk}",
        {"notes": "Paiement à réception", "requires_deposit": False, "lines": [LINES[1]]},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["notes"] == "Paiement à réception"
    assert data["requires_deposit"] is False
    assert data["nature"] == "Conception et réalisation d'un site vitrine"  # not sent: kept
    assert [line["description"] for line in data["lines"]] == ["Intégration des contenus"]
    assert data["totals"]["total_ht"] == "875.00"


def test_patch_without_lines_keeps_them(agency_api, draft):
    response = agency_api.patch(f"/quotes/{draft.pk}", {"valid_until": None})
    assert response.status_code == 200
    assert response.json()["valid_until"] is None
    assert len(response.json()["lines"]) == 3


def test_an_invalid_line_in_a_patch_changes_nothing(agency_api, draft):
    response = agency_api.patch(
        f"/quotes/{draft.pk}",
        {"notes": "changé", "lines": [LINES[0], LINES[1] | {"quantity": "-1"}]},
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"lines[1].quantity"}
    draft.refresh_from_db()
    assert draft.notes == ""  # fields and lines are one change
    assert draft.lines.count() == 3


def test_null_is_refused_but_for_valid_until(agency_api, draft):
    response = agency_api.patch(f"/quotes/{draft.pk}", {"nature": None, "lines": None})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"nature", "lines"}


def test_a_sent_quote_is_frozen(agency_api, sent):
    response = agency_api.patch(f"/quotes/{sent.pk}", {"notes": "trop tard"})
    assert response.status_code == 409
    assert "révision" in response.json()["detail"]
    response = agency_api.patch(f"/quotes/{sent.pk}", {"lines": [LINES[0]]})
    assert response.status_code == 409


# --- list and read --------------------------------------------------------------------------


def test_list_filters_by_status_client_and_expiry(agency_api, agency, customer, sent, other_api):
    other_customer = make_client(agency, name="Autre client")
    soon = send(make_quote(agency, other_customer, valid_until=today_in_paris()))
    draft = make_quote(agency, customer, valid_until=None)

    def ids(query: str = "") -> list[int]:
        response = agency_api.get(f"/quotes{query}")
        assert response.status_code == 200, response.content
        data = response.json()
        assert data["count"] == len(data["items"])
        return [item["id"] for item in data["items"]]

    assert ids() == [draft.pk, soon.pk, sent.pk]  # latest first
    assert ids("?status=sent") == [soon.pk, sent.pk]
    assert ids("?status=draft") == [draft.pk]
    assert ids(f"?client_id={customer.pk}") == [draft.pk, sent.pk]
    tomorrow = today_in_paris() + timedelta(days=1)
    assert ids(f"?expiring_before={tomorrow.isoformat()}") == [soon.pk]
    assert ids(f"?expiring_before={today_in_paris().isoformat()}") == []
    assert other_api.get("/quotes").json() == {"count": 0, "items": []}

    page = agency_api.get("/quotes?limit=1&offset=1").json()
    assert page["count"] == 3
    assert [item["id"] for item in page["items"]] == [soon.pk]
    item = page["items"][0]
    assert item["number"] == soon.display_number
    assert item["total_ht"] == "3411.00"
    assert item["client_name"] == "Autre client"


@pytest.mark.parametrize(
    "query", ["status=signed", "client_id=x", "expiring_before=demain", "limit=0", "offset=-1"]
)
def test_invalid_filters_are_422_naming_them(agency_api, query):
    response = agency_api.get(f"/quotes?{query}")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {query.split("=")[0]}


def test_read_a_sent_quote_with_what_it_froze(agency_api, sent):
    response = agency_api.get(f"/quotes/{sent.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "sent"
    assert re.fullmatch(r"D\d{4}-\d{6}", data["number"])
    assert data["terms"] == {
        "version_id": sent.terms_version_id,
        "label": "v3.0",
        "text_sha256": sent.terms_version.text_sha256,
    }
    assert data["payment_terms"]["clause"] == "payment.due"
    assert data["deposit"]["required"] is True
    assert data["deposit"]["rate"] == "0.3000"
    assert data["deposit"]["amount"] == "1023.30"  # 30 % of 3 411,00
    assert data["deposit"]["clause"]["explanation"]["value"] == "1023.30"
    assert data["validity"]["valid_until"] == in_a_month().isoformat()
    assert data["validity"]["acceptance_deadline"].startswith(
        (in_a_month() + timedelta(days=1)).isoformat()
    )
    assert data["validity"]["clause"]["validity_days"] is None  # left to each quote
    assert data["totals"]["frozen"] is True
    assert data["totals"]["total_ttc"] == "3411.00"
    assert [line["amount_ht"] for line in data["lines"]] == ["2400.00", "875.00", "136.00"]
    assert data["vat_regime"] == "franchise_293b"
    assert data["parties"]["client"]["name"] == "Boulangerie Martin SARL"
    assert data["sent_at"] is not None


def test_attachments_are_listed(agency_api, draft):
    services.add_attachment(
        quote=draft, kind="specification", file=pdf_file(), by=None, title="Cahier v2"
    )
    [attachment] = agency_api.get(f"/quotes/{draft.pk}").json()["attachments"]
    assert attachment["kind"] == "specification"
    assert attachment["title"] == "Cahier v2"
    assert attachment["contractual"] is True
    assert len(attachment["sha256"]) == 64


def test_another_sellers_quote_is_404(other_api, sent):
    assert other_api.get(f"/quotes/{sent.pk}").status_code == 404
    assert other_api.get("/quotes/999999").status_code == 404


# --- sending, revising, closing -------------------------------------------------------------


def test_send_a_draft_emails_its_pdf_after_the_commit(
    agency_api, draft, mail_now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = agency_api.post(f"/quotes/{draft.pk}/send")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "sent"
    assert data["number"] == f"D{today_in_paris().year}-000001"
    assert data["terms"]["label"] == "v3.0"
    [message] = mail.outbox
    assert message.subject == f"Devis {data['number']} de NEO7 STUDIO WEB"
    assert [name for name, _, _ in message.attachments] == [f"{data['number']}.pdf"]


def test_sending_without_validity_date_is_422_naming_it(agency_api, agency, customer):
    quote = make_quote(agency, customer, valid_until=None)
    response = agency_api.post(f"/quotes/{quote.pk}/send")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"valid_until"}
    quote.refresh_from_db()
    assert quote.status == "draft"
    assert quote.number == ""


def test_sending_twice_is_409(agency_api, sent):
    response = agency_api.post(f"/quotes/{sent.pk}/send")
    assert response.status_code == 409
    assert "sent" in response.json()["detail"]


def test_revise_a_sent_quote(agency_api, sent):
    response = agency_api.post(f"/quotes/{sent.pk}/revise")
    assert response.status_code == 201, response.content
    revision = response.json()
    assert revision["status"] == "draft"
    assert revision["revision"] == 2
    assert revision["number"] == f"{sent.number}-R2"
    assert revision["previous_id"] == sent.pk
    assert revision["next_id"] is None
    assert revision["revision_ids"] == [sent.pk, revision["id"]]
    assert len(revision["lines"]) == 3
    old = agency_api.get(f"/quotes/{sent.pk}").json()
    assert old["status"] == "superseded"
    assert old["next_id"] == revision["id"]
    assert old["revision_ids"] == [sent.pk, revision["id"]]


def test_a_draft_cannot_be_revised_withdrawn_or_refused(agency_api, draft):
    for action, payload in [("revise", {}), ("withdraw", {}), ("refuse", {"reason": "non"})]:
        response = agency_api.post(f"/quotes/{draft.pk}/{action}", payload)
        assert response.status_code == 409, action
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_withdraw_with_or_without_a_reason(agency_api, agency, customer, sent):
    response = agency_api.post(f"/quotes/{sent.pk}/withdraw", {"reason": "Erreur de tarif"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "withdrawn"
    assert response.json()["withdrawal_reason"] == "Erreur de tarif"
    assert response.json()["closed_at"] is not None

    other = send(make_quote(agency, customer, valid_until=in_a_month()))
    response = agency_api.call("POST", f"/quotes/{other.pk}/withdraw", raw="")  # no body
    assert response.status_code == 200, response.content
    assert response.json()["withdrawal_reason"] == ""


def test_refuse_records_the_reason(agency_api, sent):
    response = agency_api.post(f"/quotes/{sent.pk}/refuse", {"reason": "Budget dépassé"})
    assert response.status_code == 200
    assert response.json()["status"] == "refused"
    assert response.json()["refusal_reason"] == "Budget dépassé"


@pytest.mark.parametrize("payload", [{}, {"reason": "  "}])
def test_a_refusal_needs_its_reason(agency_api, sent, payload):
    response = agency_api.post(f"/quotes/{sent.pk}/refuse", payload)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"reason"}
    sent.refresh_from_db()
    assert sent.status == "sent"


# --- acceptance -----------------------------------------------------------------------------


def test_record_an_email_of_consent(agency_api, sent):
    form, message_id = eml_form()
    response = agency_api.post(f"/quotes/{sent.pk}/acceptances/email", form=form)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "accepted"
    acceptance = data["acceptance"]
    assert acceptance["method"] == "email_consent"
    assert acceptance["email_message_id"] == message_id
    assert acceptance["email_from"] == "camille@boulangerie-martin.test"
    assert acceptance["signatory_name"] == "Camille Martin"  # the sender's name
    assert acceptance["signatory_role"] == "Gérante"
    assert len(acceptance["evidence_sha256"]) == 64
    assert "v3.0" in acceptance["statement"]
    order = Order.objects.get(quote=sent)
    assert data["order_id"] == order.pk
    assert QuoteAcceptance.objects.get(quote=sent).recorded_by is None


def test_an_email_acceptance_needs_the_file(agency_api, sent):
    response = agency_api.post(
        f"/quotes/{sent.pk}/acceptances/email", form={"signatory_role": "Gérante"}
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"eml"}


def test_a_file_that_is_not_an_email_is_422_on_eml(agency_api, sent):
    junk = SimpleUploadedFile("accord.eml", b"Bonjour, c'est d'accord.\n")
    response = agency_api.post(
        f"/quotes/{sent.pk}/acceptances/email", form={"eml": junk, "signatory_role": "Gérante"}
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"eml"}
    assert not QuoteAcceptance.objects.exists()


def test_a_company_signatory_needs_a_role(agency_api, sent):
    form = scan_form(signatory_role="")
    response = agency_api.post(f"/quotes/{sent.pk}/acceptances/post", form=form)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"signatory_role"}


def test_an_expired_quote_cannot_be_accepted(agency_api, agency, customer):
    quote = sent_in_may(agency, customer)  # valid until 31/05/2026
    upload, _ = consent_eml(sent=paris(2026, 6, 2, 9))
    response = agency_api.post(
        f"/quotes/{quote.pk}/acceptances/email", form={"eml": upload, "signatory_role": "Gérante"}
    )
    assert response.status_code == 409
    assert response.json()["detail"] == (
        f"Le devis {quote.display_number} a expiré le 31/05/2026 à minuit (heure de Paris) : il "
        "ne peut plus être accepté. Un devis expiré est considéré comme annulé (art. 3 des CGV "
        "v3.0) ; demandez un nouveau devis."
    )
    assert not Order.objects.exists()


def test_a_superseded_quote_cannot_be_accepted(agency_api, sent):
    revision = agency_api.post(f"/quotes/{sent.pk}/revise").json()
    form, _ = eml_form()
    response = agency_api.post(f"/quotes/{sent.pk}/acceptances/email", form=form)
    assert response.status_code == 409
    assert f"remplacé par sa révision {revision['number']}" in response.json()["detail"]


def test_a_draft_cannot_be_accepted(agency_api, draft):
    form, _ = eml_form()
    response = agency_api.post(f"/quotes/{draft.pk}/acceptances/email", form=form)
    assert response.status_code == 409
    assert "pas encore été envoyé" in response.json()["detail"]


def test_record_a_signed_copy_returned_by_post(agency_api, sent):
    response = agency_api.post(f"/quotes/{sent.pk}/acceptances/post", form=scan_form())
    assert response.status_code == 201, response.content
    acceptance = response.json()["acceptance"]
    assert acceptance["method"] == "postal_signed"
    assert acceptance["signed_on"] == today_in_paris().isoformat()
    assert acceptance["postal_checks"]["stamp_required"] is True
    assert response.json()["order_id"] is not None


def test_a_signed_copy_without_stamp_is_409_listing_what_is_missing(agency_api, sent):
    form = scan_form(shows_stamp="false", shows_date="false")
    response = agency_api.post(f"/quotes/{sent.pk}/acceptances/post", form=form)
    assert response.status_code == 409
    assert response.json()["missing"] == ["date", "stamp"]
    assert "cachet commercial" in response.json()["detail"]
    assert not Order.objects.exists()


def test_a_postal_acceptance_names_its_missing_fields(agency_api, sent):
    response = agency_api.post(f"/quotes/{sent.pk}/acceptances/post", form={})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"scan", "signatory_name", "signed_on"}


def test_a_signed_copy_dated_in_the_future_is_422_on_signed_on(agency_api, sent):
    tomorrow = (today_in_paris() + timedelta(days=1)).isoformat()
    response = agency_api.post(
        f"/quotes/{sent.pk}/acceptances/post", form=scan_form(signed_on=tomorrow)
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"signed_on"}


# --- PDF ------------------------------------------------------------------------------------


def text_of(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return re.sub(r"[ \u00a0\u202f]+", " ", "\n".join(p.extract_text() for p in reader.pages))


def test_the_pdf_of_a_sent_quote(agency_api, sent):
    response = agency_api.get(f"/quotes/{sent.pk}/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{sent.display_number}.pdf"'
    assert response.content.startswith(b"%PDF-")
    text = text_of(response.content)
    assert f"Devis n° {sent.display_number}" in text
    assert "Total HT 3 411,00 €" in text


def test_a_draft_has_no_pdf(agency_api, draft):
    response = agency_api.get(f"/quotes/{draft.pk}/pdf")
    assert response.status_code == 409
    assert "seul un devis envoyé a un PDF" in response.json()["detail"]


def test_the_pdf_language_is_checked(agency_api, sent):
    response = agency_api.get(f"/quotes/{sent.pk}/pdf?language=de")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"language"}
