from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from clausier.audit.models import Event
from clausier.catalog.models import PriceVersion, Product
from clausier.customers.models import Client, Contact
from clausier.invoicing.models import Invoice
from clausier.orders.models import Order
from clausier.quotes.models import Quote
from clausier.sellers.models import Seller, StaffMembership
from clausier.terms.models import Acceptance, Clause, TermsStatus, TermsVersion

pytestmark = pytest.mark.django_db

MODELS = (
    Seller,
    StaffMembership,
    Client,
    Contact,
    TermsVersion,
    Clause,
    Acceptance,
    Product,
    PriceVersion,
    Quote,
    Order,
    Invoice,
    Event,
)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_loads_both_seed_sellers_and_prints_the_logins(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert set(Seller.objects.values_list("slug", flat=True)) == {"clever-cloud", "neo7-studio-web"}
    for slug, label in (("clever-cloud", "v1.1"), ("neo7-studio-web", "v3.0")):
        version = TermsVersion.objects.get(seller__slug=slug)
        assert (version.label, version.status) == (label, TermsStatus.PUBLISHED)
    assert Product.objects.filter(seller__slug="clever-cloud").exists()
    assert Product.objects.get(seller__slug="neo7-studio-web", code="restauration-sauvegarde")
    kinds = set(Client.objects.values_list("seller__slug", "kind"))
    assert len(kinds) == 8  # every kind of client at each seller
    for username in (
        "admin",
        "cc-owner",
        "neo7-accountant",
        "cc-client-consumer",
        "expert-comptable",
    ):
        assert f"{username} / clausier-demo" in out


def test_loading_the_demo_twice_changes_nothing():
    call_command("demo")
    first = counts()
    call_command("demo")
    assert counts() == first


def test_demo_shows_the_agency_quotes_in_each_state_and_orders_awaiting_deposit():
    call_command("demo")
    states = set(
        Quote.objects.filter(seller__slug="neo7-studio-web").values_list("status", flat=True)
    )
    assert states == {"draft", "sent", "accepted", "expired"}
    orders = Order.objects.filter(seller__slug="neo7-studio-web")
    assert {order.status for order in orders} == {"awaiting_deposit"}
    assert orders.count() == 2


def test_the_agency_deposit_invoices_wait_saying_what_is_missing():
    # The seed gives the agency no SIREN: clausier refuses to issue an incomplete invoice,
    # and the acceptance still holds.
    call_command("demo")
    drafts = Invoice.objects.filter(seller__slug="neo7-studio-web")
    assert drafts.count() == 2
    for draft in drafts:
        assert (draft.kind, draft.status, draft.number) == ("deposit", "draft", None)
        assert "SIREN du vendeur (seller.siren)" in draft.issue_blocked_reason


def test_the_paas_invoices_are_issued_paid_after_the_online_payment(capsys):
    call_command("demo")
    invoices = Invoice.objects.filter(seller__slug="clever-cloud", kind="standard").order_by(
        "sequence"
    )
    assert [i.number for i in invoices] == ["F2026-000001", "F2026-000002", "F2026-000003"]
    today = date(2026, 11, 23)
    assert [i.payment_status(today=today) for i in invoices] == ["paid"] * 3
    assert [str(i.issue_date) for i in invoices] == ["2026-10-06", "2026-10-20", "2026-11-03"]
    assert all(i.document.vat_breakdown[0].rate == Decimal("20.00") for i in invoices)
    note = Invoice.objects.get(seller__slug="clever-cloud", kind="credit_note")
    assert (note.number, note.corrects, note.total_ttc) == (
        "AV2026-000001",
        invoices[0],
        Decimal("6.00"),
    )
    call_command("verify_ledger")
    out = capsys.readouterr().out
    assert "ROMPU" not in out
    assert out.count("chaîne intacte") == 2


def test_demo_consumers_still_have_terms_to_accept_in_the_portal():
    from clausier.terms.selectors import pending_version_for_client

    call_command("demo")
    consumers = Client.objects.filter(kind="consumer")
    assert all(pending_version_for_client(client=c) is not None for c in consumers)
    others = Client.objects.exclude(kind="consumer")
    assert all(pending_version_for_client(client=c) is None for c in others)
