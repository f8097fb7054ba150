"""Back-office invoices: the list an accountant reads (filters, totals, waiting drafts), the
draft editor and its issue, the invoice page and its actions (credit notes, payments), the
order page's balance invoice, and who may do what."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clausier.invoicing import services as invoicing_services
from clausier.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from clausier.payments import services as payment_services
from clausier.rules.money import format_eur
from clausier.sellers.models import Role
from tests.factories import make_client, make_draft_invoice, make_staff
from tests.factories.invoicing import days_ago, invoicing_seller, issued, vat_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return invoicing_seller()


@pytest.fixture
def studio(shop):
    return make_client(shop, "company", name="Studio Loire SARL", siren="732829320")


@pytest.fixture
def bakery(shop):
    return make_client(shop, "company", name="Boulangerie Martin", siren="552081317")


@pytest.fixture
def owner(shop):
    return make_staff(shop, Role.OWNER)


@pytest.fixture
def accountant(shop):
    return make_staff(shop, Role.ACCOUNTANT)


def url(shop, name, **kwargs):
    return reverse(f"backoffice:{name}", kwargs={"slug": shop.slug, **kwargs})


def listed(response) -> str:
    return response.content.decode()


# --- the list -----------------------------------------------------------------------------------


@pytest.fixture
def ledger(shop, studio, bakery):
    """Four issued invoices (two late, one to pay, one paid), a credit note, a draft."""
    late_studio = issued(shop, studio, days=70, lines=[vat_line(unit_price="1000")])  # 1 200 TTC
    late_bakery = issued(shop, bakery, days=50, lines=[vat_line(unit_price="200")])  # 240 TTC
    paid = issued(shop, studio, days=20, lines=[vat_line(unit_price="300")])  # 360 TTC
    payment_services.record_invoice_payment(
        invoice=paid, amount=Decimal("360"), paid_on=days_ago(5).date(), by=None
    )
    to_pay = issued(shop, bakery, days=3, lines=[vat_line(unit_price="100")])  # 120 TTC
    note = invoicing_services.issue_credit_note(
        invoice=late_studio,
        reason="Remise commerciale",
        lines=[vat_line(description="Remise", unit_price="250")],  # 300 TTC
        by=None,
        now=days_ago(2),
    )
    draft = make_draft_invoice(shop, studio, lines=[vat_line(unit_price="50")])
    return {
        "late_studio": late_studio,
        "late_bakery": late_bakery,
        "paid": paid,
        "to_pay": to_pay,
        "note": note,
        "draft": draft,
    }


def numbers_in(response, ledger) -> set[str]:
    page = listed(response)
    return {name for name, inv in ledger.items() if inv.number and inv.number in page} | (
        {"draft"} if f"/invoices/{ledger['draft'].pk}/" in page else set()
    )


def test_list_filters_by_state_kind_client_period_payment_and_overdue(
    client, owner, shop, studio, ledger
):
    client.force_login(owner)
    everything = {"late_studio", "late_bakery", "paid", "to_pay", "note", "draft"}
    assert numbers_in(client.get(url(shop, "invoices")), ledger) == everything
    cases = {
        "status=draft": {"draft"},
        "status=issued": everything - {"draft"},
        "kind=credit_note": {"note"},
        f"client={studio.pk}": {"late_studio", "paid", "note", "draft"},
        "overdue=1": {"late_studio", "late_bakery"},
        "payment=paid": {"paid"},
        "payment=to_pay": {"to_pay"},
        f"date_from={days_ago(25).date():%Y-%m-%d}": {"paid", "to_pay", "note"},
        f"date_to={days_ago(45).date():%Y-%m-%d}": {"late_studio", "late_bakery"},
        f"q={ledger['paid'].number}": {"paid"},
        "q=Boulangerie": {"late_bakery", "to_pay"},
    }
    for query, expected in cases.items():
        response = client.get(url(shop, "invoices") + "?" + query)
        assert response.status_code == 200
        assert numbers_in(response, ledger) == expected, query
    # A stale or tampered link falls back to the defaults instead of failing.
    assert client.get(url(shop, "invoices") + "?sort=nope&date_from=x&client=y").status_code == 200


def test_totals_deduct_credit_notes_and_leave_drafts_out(client, owner, shop, ledger):
    client.force_login(owner)
    response = client.get(url(shop, "invoices"))
    totals = response.context["totals"]
    # 1000 + 200 + 300 + 100 HT invoiced, 250 HT credited; the 50 HT draft is not in the books.
    assert totals["ht"] == Decimal("1350.00")
    assert totals["vat"] == Decimal("270.00")
    assert totals["ttc"] == Decimal("1620.00")
    assert totals["paid"] == Decimal("360.00")
    # Still due: 1200 − 300 credited, 240, 120 (the paid one owes nothing).
    assert totals["due"] == Decimal("1260.00")
    assert totals["drafts"] == 1
    page = listed(response)
    assert format_eur(Decimal("1350")) in page
    assert format_eur(Decimal("1260")) in page
    assert "1 brouillon n'est pas compté" in page

    late = client.get(url(shop, "invoices") + "?overdue=1").context["totals"]
    assert (late["ttc"], late["due"]) == (Decimal("1440.00"), Decimal("1140.00"))


def test_list_sorts_and_paginates(client, owner, shop, ledger):
    client.force_login(owner)
    rows = client.get(url(shop, "invoices") + "?sort=-ttc").context["page"].object_list
    assert [r.pk for r in rows][:2] == [ledger["late_studio"].pk, ledger["paid"].pk]
    assert rows[len(rows) - 1].pk == ledger["note"].pk  # an avoir counts negative
    default = client.get(url(shop, "invoices")).context["page"].object_list
    assert default[0].pk == ledger["draft"].pk  # the work waiting comes first


def test_a_draft_left_waiting_shows_why(client, owner, shop):
    # A professional client without SIREN: the automatic issue would leave it waiting.
    nameless = make_client(shop, "company", name="Sans SIREN SAS")
    draft = make_draft_invoice(shop, nameless)
    with pytest.raises(invoicing_services.MissingMentions) as refused:
        invoicing_services.issue_invoice(invoice=draft, by=None)
    Invoice.objects.filter(pk=draft.pk).update(issue_blocked_reason=str(refused.value))
    client.force_login(owner)
    page = listed(client.get(url(shop, "invoices")))
    assert "Émissions en attente" in page
    assert "SIREN du client professionnel" in page
    assert "client.siren" not in page


def test_list_runs_the_same_queries_for_3_or_25_invoices(client, owner, shop, studio, bakery):
    client.force_login(owner)
    for days in (30, 29, 28):
        issued(shop, studio, days=days)
    client.get(url(shop, "invoices"))  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(shop, "invoices")).status_code == 200
    for days in range(27, 5, -1):
        issued(shop, bakery if days % 2 else studio, days=days)
    make_draft_invoice(shop, studio)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url(shop, "invoices"))
    assert len(response.context["page"].object_list) == 25
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --- the draft editor and the issue ------------------------------------------------------------


def editor_post(client_id=None, **rows):
    data = {"line_count": "2", "notes": ""}
    if client_id is not None:
        data["client"] = str(client_id)
    data |= {
        "line-0-description": "Développement",
        "line-0-quantity": "2,5",
        "line-0-unit": "day",
        "line-0-unit_price": "480",
        "line-0-vat_rate": "0.20",
    }
    data |= rows
    return data


def test_create_then_issue_from_the_editor(client, owner, shop, studio):
    client.force_login(owner)
    response = client.post(url(shop, "invoice_new"), editor_post(studio.pk, issue="1"))
    invoice = Invoice.objects.get(seller=shop)
    assert response.status_code == 302
    assert response["Location"] == url(shop, "invoice", invoice_id=invoice.pk)
    assert invoice.status == InvoiceStatus.ISSUED
    assert invoice.number.startswith("F")
    assert invoice.total_ht == Decimal("1200.00")
    assert invoice.total_ttc == Decimal("1440.00")
    page = listed(client.get(response["Location"]))
    assert invoice.number in page
    assert "Pourquoi ?" in page
    assert "30 jours" in page
    assert invoice.chain_hash in page  # the accountant's fingerprint


def test_draft_saved_edited_then_issued_from_its_page(client, owner, shop, studio):
    client.force_login(owner)
    client.post(url(shop, "invoice_new"), editor_post(studio.pk))
    draft = Invoice.objects.get(seller=shop)
    assert draft.status == InvoiceStatus.DRAFT
    assert draft.number is None
    edit = url(shop, "invoice_edit", invoice_id=draft.pk)
    assert client.get(edit).status_code == 200
    response = client.post(edit, editor_post(**{"line-0-quantity": "1"}))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.total_ht == Decimal("480.00")
    response = client.post(url(shop, "invoice_issue", invoice_id=draft.pk))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == InvoiceStatus.ISSUED
    # Issued, it no longer opens in the editor.
    assert client.get(edit).status_code == 302


def test_editor_errors_are_shown_and_nothing_is_lost(client, owner, shop, studio):
    client.force_login(owner)
    response = client.post(
        url(shop, "invoice_new"),
        editor_post(studio.pk, **{"line-0-unit_price": "", "line-1-description": "Recette"}),
    )
    assert response.status_code == 400
    page = listed(response)
    assert "Indiquez le prix unitaire HT." in page
    assert "Développement" in page
    assert "Recette" in page
    assert not Invoice.objects.exists()


def test_a_missing_mention_is_named_with_where_to_complete_it(client, owner, shop):
    nameless = make_client(shop, "company", name="Sans SIREN SAS")
    client.force_login(owner)
    response = client.post(url(shop, "invoice_new"), editor_post(nameless.pk, issue="1"))
    assert response.status_code == 400
    page = listed(response)
    assert "SIREN du client professionnel" in page
    assert "client.siren" not in page
    assert reverse("backoffice:client_edit", args=[shop.slug, nameless.pk]) in page
    draft = Invoice.objects.get(seller=shop)
    assert draft.status == InvoiceStatus.DRAFT  # saved, waiting for the SIREN

    response = client.post(url(shop, "invoice_issue", invoice_id=draft.pk))
    assert response.status_code == 409
    assert "SIREN du client professionnel" in listed(response)
    assert "client.siren" not in listed(response)


def test_draft_deleted(client, owner, shop, studio):
    draft = make_draft_invoice(shop, studio)
    client.force_login(owner)
    response = client.post(url(shop, "invoice_delete", invoice_id=draft.pk))
    assert response.status_code == 302
    assert not Invoice.objects.filter(pk=draft.pk).exists()


# --- credit notes and payments ------------------------------------------------------------------


def credit_post(mode="partial", reason="Une journée non réalisée", **rows):
    return {"credit-mode": mode, "credit-reason": reason} | {
        f"credit-{k}": v for k, v in rows.items()
    }


def test_partial_credit_note_then_never_more_than_remains(client, owner, shop, studio):
    invoice = issued(
        shop,
        studio,
        days=10,
        lines=[
            vat_line("Développement", quantity="3", unit_price="400"),
            vat_line("Hébergement", unit_price="100"),
        ],
    )  # 1 300 HT, 1 560 TTC
    client.force_login(owner)
    target = url(shop, "invoice_credit_note", invoice_id=invoice.pk)

    response = client.post(target, credit_post(quantity_0="1"))
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    assert response.status_code == 302
    assert response["Location"] == url(shop, "invoice", invoice_id=note.pk)
    assert note.corrects_id == invoice.pk
    assert note.number.startswith("AV")
    assert note.total_ttc == Decimal("480.00")
    invoice.refresh_from_db()
    assert invoice.credited_amount == Decimal("480.00")
    assert format_eur(Decimal("1080")) in listed(
        client.get(url(shop, "invoice", invoice_id=invoice.pk))
    )

    # Three days again: more than the two left on the invoice.
    response = client.post(target, credit_post(quantity_0="3", reason="Erreur"))
    assert response.status_code == 400
    assert "dépasse ce qui reste à créditer" in listed(response)
    assert Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).count() == 1

    # A reason is required; a partial note names at least one line.
    assert "Indiquez le motif" in listed(
        client.post(target, credit_post(reason="", quantity_1="1"))
    )
    assert "au moins une ligne" in listed(client.post(target, credit_post()))

    # The rest, in full: the invoice is then cancelled and nothing more can be credited.
    response = client.post(target, credit_post(mode="full", reason="Projet arrêté"))
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.credited_amount == invoice.total_ttc
    response = client.post(target, credit_post(mode="full", reason="Encore"))
    assert response.status_code == 400
    assert "déjà entièrement annulée" in listed(response)


def test_credit_note_at_a_lower_price(client, owner, shop, studio):
    invoice = issued(shop, studio, days=10, lines=[vat_line(quantity="2", unit_price="400")])
    client.force_login(owner)
    response = client.post(
        url(shop, "invoice_credit_note", invoice_id=invoice.pk),
        credit_post(quantity_0="2", unit_price_0="50", reason="Geste commercial"),
    )
    assert response.status_code == 302
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    assert note.total_ht == Decimal("100.00")


def test_payment_recorded_marks_the_invoice_paid(client, owner, shop, studio):
    invoice = issued(shop, studio, days=40)  # 600 TTC, late
    client.force_login(owner)
    target = url(shop, "invoice_payment", invoice_id=invoice.pk)
    response = client.post(target, {"payment-amount": "200,00", "payment-paid_on": ""})
    assert response.status_code == 400  # the date is required, the amount kept
    assert 'value="200,00"' in listed(response)
    paid_on = days_ago(1).date()
    response = client.post(
        target, {"payment-amount": "600,00", "payment-paid_on": f"{paid_on:%Y-%m-%d}"}
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("600.00")
    assert invoice.paid_on == paid_on
    assert numbers_in_list(client, shop, "payment=paid") == {invoice.number}


def numbers_in_list(client, shop, query) -> set[str]:
    rows = client.get(url(shop, "invoices") + "?" + query).context["page"].object_list
    return {r.number for r in rows}


# --- the order page ----------------------------------------------------------------------------


def test_order_page_lists_its_invoices_and_prepares_the_balance_invoice(client, media):
    from tests.factories.invoicing import accepted_order, invoicing_agency

    agency = invoicing_agency()
    bakery = make_client(agency, "company", name="Boulangerie Martin SARL", siren="552081317")
    order = accepted_order(agency, bakery)
    deposit = Invoice.objects.get(order=order, kind=InvoiceKind.DEPOSIT)
    client.force_login(make_staff(agency, Role.OWNER))
    page = listed(client.get(reverse("backoffice:order", args=[agency.slug, order.pk])))
    assert deposit.number in page
    assert "Facture de solde" in page

    response = client.post(reverse("backoffice:order_final_invoice", args=[agency.slug, order.pk]))
    final = Invoice.objects.get(order=order, kind=InvoiceKind.FINAL)
    assert response.status_code == 302
    assert response["Location"] == url(agency, "invoice", invoice_id=final.pk)
    assert final.status == InvoiceStatus.DRAFT  # to check, then issue from its page
    page = listed(client.get(reverse("backoffice:order", args=[agency.slug, order.pk])))
    assert f"/invoices/{final.pk}/" in page


# --- who may do what ---------------------------------------------------------------------------


def test_accountant_reads_and_exports_but_never_writes(client, accountant, shop, studio):
    invoice = issued(shop, studio, days=10)
    draft = make_draft_invoice(shop, studio)
    client.force_login(accountant)
    assert client.get(url(shop, "invoices")).status_code == 200
    assert client.get(url(shop, "invoices_csv")).status_code == 200
    page = listed(client.get(url(shop, "invoice", invoice_id=invoice.pk)))
    assert "Créer un avoir" not in page
    assert "Enregistrer un paiement" not in page
    draft_page = listed(client.get(url(shop, "invoice", invoice_id=draft.pk)))
    assert "Émettre" not in draft_page
    for name, target in (
        ("invoice_issue", draft),
        ("invoice_delete", draft),
        ("invoice_credit_note", invoice),
        ("invoice_payment", invoice),
    ):
        response = client.post(url(shop, name, invoice_id=target.pk))
        assert response.status_code == 403, name
        assert "Expert-comptable" in listed(response)
    assert client.get(url(shop, "invoice_new")).status_code == 403
    draft.refresh_from_db()
    assert draft.status == InvoiceStatus.DRAFT


def test_another_sellers_invoice_is_404(client, owner, shop):
    other = invoicing_seller("autre")
    theirs = issued(other, make_client(other, "company", siren="552081317"), days=3)
    client.force_login(owner)
    assert client.get(url(shop, "invoice", invoice_id=theirs.pk)).status_code == 404
    assert client.post(url(shop, "invoice_payment", invoice_id=theirs.pk)).status_code == 404


# --- downloads and sending again ---------------------------------------------------------------


def test_pdf_and_xml_download_the_stored_documents(client, accountant, shop, studio):
    invoice = issued(shop, studio, days=5)
    draft = make_draft_invoice(shop, studio)
    client.force_login(accountant)
    pdf = client.get(url(shop, "invoice_pdf", invoice_id=invoice.pk))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="{invoice.number}.pdf"'
    assert pdf.content.startswith(b"%PDF")
    invoice.refresh_from_db()
    assert pdf["X-Document-SHA256"] == invoice.pdf_sha256
    assert hashlib.sha256(pdf.content).hexdigest() == invoice.pdf_sha256
    # Downloaded again: the same file, never printed anew.
    assert client.get(url(shop, "invoice_pdf", invoice_id=invoice.pk)).content == pdf.content

    xml = client.get(url(shop, "invoice_xml", invoice_id=invoice.pk))
    assert xml.status_code == 200
    assert xml["Content-Type"] == "application/xml"
    assert invoice.number.encode() in xml.content
    assert hashlib.sha256(xml.content).hexdigest() == invoice.xml_sha256

    assert client.get(url(shop, "invoice_pdf", invoice_id=draft.pk)).status_code == 404
    assert client.get(url(shop, "invoice_xml", invoice_id=draft.pk)).status_code == 404


def test_resend_to_other_addresses_queues_the_email(client, shop, studio):
    invoice = issued(shop, studio, days=5)
    client.force_login(make_staff(shop, Role.SALES))  # a courtesy sales may do
    target = url(shop, "invoice_resend", invoice_id=invoice.pk)
    response = client.post(target, {"resend-to": "compta@studio.test, pas-une-adresse"})
    assert response.status_code == 400
    assert "« pas-une-adresse »" in listed(response)

    response = client.post(target, {"resend-to": "compta@studio.test; dg@studio.test"})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.email_status == "queued"
    assert invoice.email_to == ["compta@studio.test", "dg@studio.test"]
    page = listed(client.get(url(shop, "invoice", invoice_id=invoice.pk)))
    assert "Envoi en attente" in page
    assert "compta@studio.test, dg@studio.test" in page


def test_resend_is_not_for_the_accountant(client, accountant, shop, studio):
    invoice = issued(shop, studio, days=5)
    client.force_login(accountant)
    assert "Renvoyer par e-mail" not in listed(
        client.get(url(shop, "invoice", invoice_id=invoice.pk))
    )
    response = client.post(url(shop, "invoice_resend", invoice_id=invoice.pk))
    assert response.status_code == 403
