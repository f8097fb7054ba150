"""The usage billing run draws the client's prepaid credits: a negative line "Crédits prépayés
utilisés" (balance before, used, after) of at most the month's HT, the rest invoiced; the
credits drawn by metering in the draft's transaction, once per subscription and month; two
subscriptions of one client share them; a rerun draws and deducts nothing more."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from clausier.invoicing.events import PrepaidCreditUsed
from clausier.invoicing.models import InvoiceStatus, UsageBilling, UsageBillingOutcome
from clausier.kernel.events import publish
from clausier.metering import credits
from clausier.metering import services as metering_services
from clausier.metering.domain import PARIS
from clausier.metering.models import CreditEntry, CreditKind
from tests.factories.metering import active_subscription
from tests.invoicing.test_usage_billing import OCTOBER, at, bill, priced, store  # noqa: F401

pytestmark = pytest.mark.django_db

LATER = datetime(2027, 1, 1, tzinfo=PARIS)


def grant(client, amount):
    metering_services.grant_credit(
        client=client,
        amount=D(amount),
        reason="Crédits achetés",
        by=None,
        kind=CreditKind.PURCHASE,
        now=at(1),
    )


@pytest.fixture
def one(paas, paas_company, priced):  # noqa: F811
    sub = active_subscription(paas, paas_company, reference="ch_one")
    store(sub, priced, [(at(3), 100), (at(20), 10)])  # 110 requests: 11,00 € HT
    return sub


def billing_of(sub):
    return UsageBilling.objects.select_related("invoice").get(
        subscription=sub, period_start=OCTOBER
    )


def drawn(client):
    return list(
        CreditEntry.objects.filter(account__client=client, kind=CreditKind.DRAWDOWN)
        .order_by("id")
        .values_list("reference", "amount")
    )


def test_credits_larger_than_the_month_make_an_issued_invoice_of_zero(paas, paas_company, one):
    grant(paas_company, "50.00")

    bill(paas)

    billing = billing_of(one)
    invoice = billing.invoice
    assert invoice.status == InvoiceStatus.ISSUED
    assert invoice.number
    assert (invoice.total_ht, invoice.total_vat, invoice.total_ttc) == (D("0.00"),) * 3
    usage_line, credit_line = invoice.lines.order_by("position")
    assert usage_line.amount_ht == D("11.00")
    assert credit_line.description == (
        "Crédits prépayés utilisés : solde avant 50,00\u00a0€, utilisé 11,00\u00a0€, "
        "solde après 39,00\u00a0€"
    )
    assert (credit_line.quantity, credit_line.unit_price, credit_line.amount_ht) == (
        D(1),
        D("-11.0000"),
        D("-11.00"),
    )
    assert credit_line.vat_rate == usage_line.vat_rate == D("0.2000")
    # Factur-X: a negative quantity at a positive net price (BR-27), read back from the XML.
    with invoice.xml.open("rb") as stored:
        xml = stored.read().decode()
    assert "<ram:ChargeAmount>11</ram:ChargeAmount>" in xml or "<ram:ChargeAmount>11.00" in xml
    assert ">-1</ram:BilledQuantity>" in xml
    explained = billing.explanation["prepaid_credits"]
    assert explained["rule"] == "prepaid_credit_used"
    assert explained["value"] == "11.00"
    assert [s["value"] for s in explained["steps"]][-3:] == ["11.00", "11.00", "39.00"]
    assert drawn(paas_company) == [(f"{one.external_id}/2026-10", D("-11.00"))]
    assert credits.credit_available(paas_company, LATER) == D("39.00")
    outcome = UsageBillingOutcome.objects.get(subscription=one)
    assert (outcome.outcome, outcome.invoice_id) == ("invoiced", invoice.pk)


def test_credits_smaller_than_the_month_leave_the_rest_invoiced(paas, paas_company, one):
    grant(paas_company, "5.00")

    bill(paas)

    invoice = billing_of(one).invoice
    assert invoice.status == InvoiceStatus.ISSUED
    assert (invoice.total_ht, invoice.total_vat, invoice.total_ttc) == (
        D("6.00"),
        D("1.20"),
        D("7.20"),
    )
    credit_line = invoice.lines.order_by("position").last()
    assert credit_line.description == (
        "Crédits prépayés utilisés : solde avant 5,00\u00a0€, utilisé 5,00\u00a0€, "
        "solde après 0,00\u00a0€"
    )
    assert credits.credit_available(paas_company, LATER) == D("0.00")
    assert drawn(paas_company) == [(f"{one.external_id}/2026-10", D("-5.00"))]


def test_no_credits_no_line(paas, paas_company, one):
    bill(paas)

    invoice = billing_of(one).invoice
    assert invoice.lines.count() == 1
    assert invoice.total_ht == D("11.00")
    assert "prepaid_credits" not in billing_of(one).explanation


@pytest.mark.parametrize("chunk", [100, 1])
def test_subscriptions_of_one_client_share_its_credits(paas, paas_company, priced, chunk):  # noqa: F811
    subs = [active_subscription(paas, paas_company, reference=f"ch_{n}") for n in range(3)]
    for n, sub in enumerate(subs):
        store(sub, priced, [(at(3), 100 * (n + 1)), (at(20), 10)])  # 11, 21, 31 € HT
    grant(paas_company, "40.00")

    bill(paas, chunk=chunk)

    invoices = [billing_of(s).invoice for s in subs]
    assert [i.total_ht for i in invoices] == [D("0.00"), D("0.00"), D("23.00")]
    assert all(i.status == InvoiceStatus.ISSUED for i in invoices)
    assert [i.lines.order_by("position").last().amount_ht for i in invoices] == [
        D("-11.00"),
        D("-21.00"),
        D("-8.00"),
    ]
    assert drawn(paas_company) == [
        (f"{subs[0].external_id}/2026-10", D("-11.00")),
        (f"{subs[1].external_id}/2026-10", D("-21.00")),
        (f"{subs[2].external_id}/2026-10", D("-8.00")),
    ]
    assert credits.credit_available(paas_company, LATER) == D("0.00")


def test_a_rerun_draws_and_deducts_nothing_more(paas, paas_company, one):
    grant(paas_company, "50.00")
    bill(paas)
    first = billing_of(one).invoice

    bill(paas)
    grant(paas_company, "10.00")
    bill(paas)

    assert UsageBilling.objects.filter(subscription=one).count() == 1
    assert billing_of(one).invoice_id == first.pk
    assert first.lines.count() == 2
    assert drawn(paas_company) == [(f"{one.external_id}/2026-10", D("-11.00"))]
    assert credits.credit_available(paas_company, LATER) == D("49.00")


def test_credits_taken_meanwhile_refuse_the_deduction(paas, paas_company, one):
    """Drawn less than the draft deducts (a concurrent draw took the balance): the fact's
    reaction raises, the publisher's change is rolled back."""
    grant(paas_company, "5.00")
    fact = PrepaidCreditUsed(
        client_id=paas_company.pk,
        seller_id=paas.pk,
        amount=D("8.00"),
        reference=f"{one.external_id}/2026-10",
        invoice_id=0,
        at=at(31),
        by=None,
    )
    with pytest.raises(ValidationError, match="8,00"), transaction.atomic():
        publish(fact)
    assert drawn(paas_company) == []
    assert credits.credit_available(paas_company, LATER) == D("5.00")
