"""A seller chooses how penalties are billed: a penalty invoice issued by itself when a late
invoice is paid in full (the default), or only when staff ask; set on a back-office screen
by the owner and accounting, honoured when a late invoice is paid."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from clausier.audit.models import Event
from clausier.collections import penalty_selectors, services
from clausier.collections.models import LateInvoice, PenaltyBilling, PenaltyInvoicing
from clausier.invoicing.models import Invoice, InvoiceKind
from clausier.sellers.models import Role
from tests.factories import make_issued_invoice, make_staff
from tests.factories.payments import transfer

pytestmark = pytest.mark.django_db

# Due Monday 16 February 2026; paid 16 March: 28 days late, 6.03 + 40.00.
ISSUED = timezone.make_aware(datetime(2026, 1, 15, 10), timezone.get_default_timezone())
LINE = {
    "description": "Refonte du site",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "1000",
    "vat_rate": "0.20",
}


def text(response) -> str:
    return re.sub(r"\s+", " ", strip_tags(response.content.decode()))


def settings_url(shop) -> str:
    return reverse("backoffice:penalty_settings", args=[shop.slug])


def test_by_default_a_late_invoice_paid_is_billed_at_once(shop, company):
    assert penalty_selectors.penalty_invoicing(seller_id=shop.pk) == PenaltyInvoicing.AUTOMATIC
    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])

    transfer(shop, company, amount="1200.00", on=date(2026, 3, 16), invoices=[(invoice, "1200.00")])

    assert Invoice.objects.get(kind=InvoiceKind.PENALTY).total_ttc == Decimal("46.03")


def test_on_demand_a_late_invoice_paid_waits_for_staff(shop, company):
    services.set_penalty_invoicing(seller=shop, invoicing=PenaltyInvoicing.ON_DEMAND, by=None)
    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])

    transfer(shop, company, amount="1200.00", on=date(2026, 3, 16), invoices=[(invoice, "1200.00")])

    assert not Invoice.objects.filter(kind=InvoiceKind.PENALTY).exists()
    # Staff bill them when they choose: the final billing, up to the day it was paid.
    billing = services.bill_penalties(invoice=invoice, on=date(2026, 4, 2), by=None)
    assert (billing.final, billing.period_to) == (True, date(2026, 3, 16))
    assert (billing.interest, billing.indemnity) == (Decimal("6.03"), Decimal("40.00"))
    assert LateInvoice.objects.get(invoice=invoice).status == "billed"
    assert Invoice.objects.filter(kind=InvoiceKind.PENALTY).count() == 1


def test_an_unknown_choice_is_refused_naming_the_field(shop):
    with pytest.raises(ValidationError) as refused:
        services.set_penalty_invoicing(seller=shop, invoicing="weekly", by=None)
    assert "invoicing" in refused.value.message_dict


def test_the_owner_sets_it_on_screen_and_the_change_is_audited(client, shop, company):
    owner = make_staff(shop, Role.OWNER)
    client.force_login(owner)

    page = text(client.get(settings_url(shop)))
    done = client.post(settings_url(shop), {"invoicing": "on_demand"})
    again = client.post(settings_url(shop), {"invoicing": "on_demand"})
    bad = client.post(settings_url(shop), {"invoicing": "weekly"})

    assert "Automatique" in page
    assert "À la demande" in page
    assert done.status_code == again.status_code == 302
    assert bad.status_code == 400
    assert penalty_selectors.penalty_invoicing(seller_id=shop.pk) == "on_demand"
    assert Event.objects.filter(verb="penalty_settings.changed").count() == 1
    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])
    transfer(shop, company, amount="1200.00", on=date(2026, 3, 16), invoices=[(invoice, "1200.00")])
    assert not PenaltyBilling.objects.exists()


@pytest.mark.parametrize("role", [Role.ACCOUNTING])
def test_accounting_may_change_it(client, shop, role):
    client.force_login(make_staff(shop, role))
    assert client.post(settings_url(shop), {"invoicing": "on_demand"}).status_code == 302
    assert penalty_selectors.penalty_invoicing(seller_id=shop.pk) == "on_demand"


def test_sales_see_it_but_cannot_change_it(client, shop):
    client.force_login(make_staff(shop, Role.SALES))

    page = text(client.get(settings_url(shop)))
    refused = client.post(settings_url(shop), {"invoicing": "on_demand"})

    assert "Automatique" in page
    assert refused.status_code == 403
    assert penalty_selectors.penalty_invoicing(seller_id=shop.pk) == "automatic"
