"""The demo data set: both seed sellers, their people, and documents dated relative to today,
made through the services; loading it twice changes nothing. Runs on SQLite and PostgreSQL."""

import io
import re
from decimal import Decimal

import pypdf
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from clausier.audit.models import Event
from clausier.catalog.models import PriceVersion, Product
from clausier.customers.models import Client, Contact
from clausier.invoicing.delivery import render_pdf
from clausier.invoicing.models import Invoice
from clausier.orders.models import Order
from clausier.quotes.models import Quote
from clausier.quotes.printing import render_quote_pdf
from clausier.rules.identifiers import check_siren, check_siret
from clausier.sellers.models import Seller, StaffMembership
from clausier.support.models import SlaPenalty
from clausier.terms.models import Acceptance, Clause, TermsStatus, TermsVersion
from clausier.withdrawal import selectors as withdrawal_selectors
from clausier.withdrawal.models import WithdrawalRequest

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


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return re.sub(r"[ \u00a0\u202f]+", " ", "\n".join(p.extract_text() for p in reader.pages))


@pytest.fixture
def demo(capsys):
    call_command("demo")
    return capsys.readouterr().out


def test_demo_loads_both_seed_sellers_and_prints_the_logins(demo):
    assert set(Seller.objects.values_list("slug", flat=True)) == {"clever-cloud", "neo7-studio-web"}
    for slug, label in (("clever-cloud", "v1.1"), ("neo7-studio-web", "v3.0")):
        version = TermsVersion.objects.get(seller__slug=slug)
        assert (version.label, version.status) == (label, TermsStatus.PUBLISHED)
    assert Product.objects.get(seller__slug="neo7-studio-web", code="restauration-sauvegarde")
    assert len(set(Client.objects.values_list("seller__slug", "kind"))) == 8
    for username in ("admin", "cc-owner", "neo7-accountant", "cc-client-consumer"):
        assert f"{username} / clausier-demo" in demo
    states = set(
        Quote.objects.filter(seller__slug="neo7-studio-web").values_list("status", flat=True)
    )
    assert states == {"draft", "sent", "accepted", "expired"}
    from clausier.terms.selectors import pending_version_for_client

    consumers = Client.objects.filter(kind="consumer")
    assert all(pending_version_for_client(client=c) is not None for c in consumers)


def test_the_agency_gets_a_fictitious_identity_marked_as_such(demo, client):
    agency = Seller.objects.get(slug="neo7-studio-web")
    assert agency.demo_identity
    check_siren(agency.siren)
    check_siret(agency.siret)
    assert (agency.legal_form, agency.share_capital, agency.rcs_city) == ("SARL", 1000, "Nantes")
    assert not Seller.objects.get(slug="clever-cloud").demo_identity

    client.login(username="neo7-owner", password="clausier-demo")
    page = client.get(f"/backoffice/{agency.slug}/settings/").content.decode()
    assert "Données fictives de démonstration" in page
    home = client.get(f"/backoffice/{agency.slug}/").content.decode()
    assert "Données fictives de démonstration" in home

    quote = Quote.objects.filter(seller=agency, status="accepted").first()
    printed = pdf_text(render_quote_pdf(quote=quote).content)
    assert "SIREN 999999998 · RCS Nantes" in printed
    assert "1 rue de l'Exemple" in printed
    invoice = Invoice.objects.filter(seller=agency, kind="final").first()
    assert "SARL au capital de 1 000,00 €" in pdf_text(render_pdf(invoice))


def test_both_sellers_issue_invoices_paid_late_and_overdue_with_intact_chains(demo, capsys):
    today = timezone.localdate()
    agency = Invoice.objects.filter(seller__slug="neo7-studio-web").order_by("issued_at")
    # The deposit paid late brought its penalty invoice (seed 002 art. 6), out of VAT's scope.
    [penalty] = agency.filter(kind="penalty")
    assert penalty.total_vat == 0
    assert penalty.total_ttc > 40
    agency = agency.exclude(kind="penalty")
    # The maintenance contract ended at its term: its unpaid months invoiced (seed 002 art. 7).
    [ended] = agency.filter(notes__contains="CT-MCO-001")
    assert ended.kind == "standard"
    agency = agency.exclude(pk=ended.pk)
    # A restore from a backup, done: the clause's 79 € flat fee (seed 002 art. 11).
    [restored] = agency.filter(lines__description__contains="hosting.restore_fee")
    assert restored.total_ht == 79
    agency = agency.exclude(pk=restored.pk)
    assert [i.kind for i in agency] == ["deposit", "deposit", "final", "final"]
    assert all(i.status == "issued" and i.number for i in Invoice.objects.all())
    for invoice in agency:
        # Franchise en base: no VAT, the 293 B mention.
        assert invoice.total_ttc == invoice.total_ht
        assert any("293 B" in m for m in invoice.document.vat_mentions), invoice.number
    deposits = [i for i in agency if i.kind == "deposit"]
    assert all(i.total_ht == deposits[0].total_ht for i in deposits)
    on_time, late = deposits
    assert on_time.paid_on <= on_time.due_date
    assert late.paid_on > late.due_date  # paid, weeks after its due date
    paid_final, overdue = [i for i in agency if i.kind == "final"]
    assert paid_final.payment_status(today=today) == "paid"
    assert overdue.payment_status(today=today) == "late"
    assert overdue.due_date < today

    standard = Invoice.objects.filter(seller__slug="clever-cloud", kind="standard")
    # Last month's usage of the host's three subscriptions, billed by the usage billing run
    # as the scheduler does on the 1st: one invoice each, issued.
    usage = standard.filter(usage_billing__isnull=False)
    assert usage.count() == 3
    assert all(i.status == "issued" for i in usage)
    # The association's prepaid credits (60 EUR) pay its month first: a deducting line of at
    # most its HT, the rest invoiced; the others pay their whole month.
    for invoice in usage:
        lines = list(invoice.lines.order_by("position"))
        consumed = sum((line.amount_ht for line in lines if line.amount_ht > 0), Decimal(0))
        if invoice.client.kind == "association":
            assert lines[-1].description.startswith("Crédits prépayés utilisés")
            assert -lines[-1].amount_ht == min(consumed, Decimal("60.00"))
        else:
            assert invoice.total_ht == consumed > 0
    host = standard.filter(usage_billing__isnull=True)
    assert host.count() == 4  # the last one's order withdrawn from (paas_withdrawal)
    assert {i.payment_status(today=today) for i in host} == {"paid"}
    assert all(i.document.vat_breakdown[0].rate == 20 for i in host)
    assert all((today - i.issue_date).days <= 120 for i in host)
    notes = Invoice.objects.filter(seller__slug="clever-cloud", kind="credit_note")
    # Seed 000 art. 10.1.4: the critical ticket answered late, its penalty credited.
    [penalty_note] = notes.filter(reason__startswith="Pénalité de niveau de service")
    [penalty] = SlaPenalty.objects.filter(seller__slug="clever-cloud")
    assert penalty_note.total_ht == penalty.amount_ht > 0
    assert penalty.ticket.reference in penalty_note.reason
    note, withdrawn = notes.exclude(pk=penalty_note.pk).order_by("issued_at")
    assert note.corrects == host.order_by("issued_at").first()

    [withdrawal] = WithdrawalRequest.objects.filter(seller__slug="clever-cloud")
    assert (withdrawal.status, withdrawal.reason_code) == ("accepted", "early_start")
    assert 0 < withdrawal.amount_owed < withdrawal.refund_amount
    assert withdrawal.refund_due_on < today  # overdue: the dashboard has one to show
    # The withdrawn order's invoice credited but the L221-25 amount; the refund follows.
    assert withdrawal.order.status == "withdrawn"
    assert withdrawn.corrects.order_id == withdrawal.order_id
    # 20 % VAT on a whole HT in cents reaches not every TTC: at most a cent more credited.
    assert Decimal("0") <= withdrawn.total_ttc - withdrawal.refund_amount <= Decimal("0.01")
    assert withdrawal_selectors.overdue_refunds(seller=withdrawal.seller, today=today).exists()

    call_command("verify_ledger")
    out = capsys.readouterr().out
    assert "ROMPU" not in out
    # One chain per seller, series and year: three, or more when the data spans a new year.
    assert out.count("chaîne intacte") >= 3


def test_the_hosts_clients_have_a_month_of_usage_and_its_live_chart(demo, client):
    from clausier.metering import credits, usage
    from clausier.metering.models import MeterPrice, Subscription, UsageEvent

    host = Seller.objects.get(slug="clever-cloud")
    subs = Subscription.objects.filter(seller=host, status="active", order__withdrawals=None)
    assert subs.count() == 3
    now = timezone.now()
    period = usage.month_of(now)
    last_month = usage.month_of(period.start - timezone.timedelta(days=1))
    for sub in subs:
        assert UsageEvent.objects.filter(
            subscription=sub, timestamp__gte=last_month.start, timestamp__lt=last_month.end
        ).exists()
    # each meter's price revised in the middle of last month
    for code in ("instance-hours", "bandwidth-gb", "build-minutes"):
        days = MeterPrice.objects.filter(meter__seller=host, meter__code=code)
        assert [d.day for d in days.values_list("effective_from", flat=True)] == [1, 15]

    company = subs.filter(client__kind="company").order_by("started_at").first()
    consumption = usage.current_consumption(subscription=company, now=now)
    assert {m.usage.meter.code for m in consumption.meters if m.line} == {
        "instance-hours",
        "bandwidth-gb",
        "build-minutes",
    }
    association = Client.objects.get(seller=host, kind="association")
    [used] = Invoice.objects.filter(
        client=association, usage_billing__isnull=False, lines__description__startswith="Crédits"
    ).values_list("lines__amount_ht", flat=True)
    assert credits.credit_available(association, now) == Decimal("60.00") + used

    client.login(username="cc-client-company", password="clausier-demo")
    page = client.get(f"/portal/consumption/{company.pk}/")
    assert page.status_code == 200
    assert page.content.decode().count('class="usage-chart__bar"') == 3 * len(period.days)


def test_loading_the_demo_twice_changes_nothing(demo):
    first = counts()
    call_command("demo")
    assert counts() == first


def test_the_hosts_support_desk_has_tickets_with_clocks_running(demo, client):
    from clausier.support import selectors as support_selectors
    from clausier.support.models import Ticket

    host = Seller.objects.get(slug="clever-cloud")
    statuses = set(Ticket.objects.filter(seller=host).values_list("status", flat=True))
    assert {"new", "in_progress", "waiting_client", "resolved"} <= statuses
    rows = support_selectors.queue(seller=host, now=timezone.now())
    assert rows[0].clocks is not None
    assert any(r.ticket.awaiting_email_confirmation for r in rows)
    client.login(username="cc-support", password="clausier-demo")
    page = client.get(reverse("backoffice:support_queue", args=["clever-cloud"]))
    assert page.status_code == 200
    assert "Base PostgreSQL injoignable" in page.content.decode()


def test_the_agency_has_a_renewal_coming_with_its_letter_and_a_contract_ended_and_invoiced(
    demo, client
):
    from clausier.contracts.models import Contract

    renewing = Contract.objects.get(reference="CT-HEB-001")
    assert (renewing.status, renewing.consumer) == ("active", True)
    [letter] = renewing.renewal_letters.all()
    assert letter.in_time
    assert letter.sent_on == timezone.localdate()

    ended = Contract.objects.get(reference="CT-MCO-001")
    assert (ended.status, ended.end_reason) == ("terminated", "notice_at_term")
    assert ended.final_amount_ht > 0
    [invoice] = Invoice.objects.filter(client=ended.client, notes__contains="CT-MCO-001")
    assert invoice.total_ht == ended.final_amount_ht
    assert invoice.number

    client.login(username="neo7-client-consumer", password="clausier-demo")
    page = client.get(f"/portal/contracts/{renewing.pk}/")
    assert page.status_code == 200
    assert "Résilier" in page.content.decode()
    # Its domain name (seed 002 art. 11), in the agency's name, and a restore billed.
    [domain] = renewing.domains.all()
    assert (domain.name, domain.status) == ("nadia-lefevre.fr", "active")
    assert "nadia-lefevre.fr" in page.content.decode()
    [restore] = renewing.restores.all()
    assert restore.status == "done"
    assert restore.invoice_number


def test_the_agency_has_a_contract_kept_after_a_breach_remedied_in_time(demo, client):
    from clausier.contracts.models import Contract

    cured = Contract.objects.get(reference="CT-MAJ-001")
    assert cured.status == "active"
    [breach] = cured.breaches.all()
    assert breach.remedied_on is not None
    assert breach.sent_on < breach.remedied_on <= breach.ends_on

    client.login(username="neo7-owner", password="clausier-demo")
    page = client.get(reverse("backoffice:contract", args=["neo7-studio-web", cured.pk]))
    assert page.status_code == 200
    assert breach.remedied_on.strftime("%d/%m/%Y") in page.content.decode()


def test_the_agency_has_a_price_revision_awaiting_the_clients_answer(demo):
    from clausier.contracts.models import Contract

    revised = Contract.objects.get(reference="CT-MCO-002")
    [revision] = revised.price_revisions.all()
    assert (revision.status, revision.term_end) == ("proposed", revised.term_end)
    assert (revision.current_total_ht, revision.new_total_ht) == (960, 1200)
    assert revised.status == "active"


def test_the_agency_has_a_claim_capped_by_what_was_paid_and_an_archive_to_deliver(demo, client):
    from clausier.contracts.models import Contract

    ended = Contract.objects.get(reference="CT-MCO-001")
    [claim] = ended.claims.all()
    # Franchise (293 B): what was paid is HT; the cap is half of it (seed 002 art. 10).
    assert claim.paid_ht == ended.final_amount_ht
    assert claim.cap_ht == (ended.final_amount_ht / 2).quantize(claim.cap_ht)
    assert claim.explanation["cap"]["clause"] == "liability.cap"
    assert claim.exclusions == ["client_decision"]
    [archive] = ended.archive_requests.all()
    assert archive.status == "requested"
    assert archive.deadline > archive.received_on


def test_the_agency_has_a_confidential_quote_and_a_signed_nda(demo, client):
    """Seed 002 art. 9: the salesperson named reads the confidential quote, support gets the
    403 page; the company client downloads its signed agreement in the portal."""
    from clausier.contracts.models import Nda
    from clausier.quotes.models import Quote

    quote = Quote.objects.get(seller__slug="neo7-studio-web", confidential=True)
    assert [u.username for u in quote.confidential_staff.all()] == ["neo7-sales"]
    url = f"/backoffice/neo7-studio-web/quotes/{quote.pk}/"
    client.login(username="neo7-sales", password="clausier-demo")
    assert client.get(url).status_code == 200
    client.login(username="neo7-support", password="clausier-demo")
    assert client.get(url).status_code == 403
    nda = Nda.objects.get(seller__slug="neo7-studio-web", status="signed")
    client.login(username="neo7-client-company", password="clausier-demo")
    assert client.get(f"/portal/ndas/{nda.pk}/file/").status_code == 200
