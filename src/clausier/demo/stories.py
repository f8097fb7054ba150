"""The demo's documents, dated relative to today so that the dashboard has something to show:
the agency's quotes (one per state) and two orders invoiced under 293 B (30 % deposit, then
the balance), the host's online orders invoiced at 20 % VAT once paid, and a credit note.
Each story goes through the services, in date order, as the people would have done it; each
looks up before it writes, so loading twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from clausier.customers.models import Client
from clausier.invoicing import services as invoicing_services
from clausier.invoicing.models import Invoice, InvoiceKind
from clausier.kernel.clock import PARIS
from clausier.legal.selectors import legal_rate_table
from clausier.orders import services as order_services
from clausier.orders.models import Order
from clausier.payments import services as payment_services
from clausier.quotes import services as quote_services
from clausier.quotes.models import Quote
from clausier.rules.errors import MissingRateError
from clausier.sellers.models import Seller


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """``day`` at ``hour`` in Paris, aware."""
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def today() -> date:
    return timezone.localdate()


def rate_anchor(*, on: date) -> date:
    """The latest day, ``on`` at most, that the legal-rate table covers: the agency's
    penalties are a multiple of the legal rate of the invoice date (seed 002 art. 6), which
    clausier never guesses. While the Journal officiel's rate of the current semester is not
    entered, the agency's invoices are dated in the last semester that has one."""
    table = legal_rate_table()
    day = on
    for _ in range(8):
        try:
            table.period_on(day)
        except MissingRateError:
            day = (
                date(day.year, 1, 1) - timedelta(days=1)
                if day.month <= 6
                else date(day.year, 6, 30)
            )
            continue
        return day
    return on


# --- the web agency (seed 002) -----------------------------------------------------------------

AGENCY_LINES = [
    {
        "description": "Conception et création du site (forfait)",
        "quantity": Decimal("1"),
        "unit": "flat",
        "unit_price": Decimal("1800.00"),
        "product_code": "site-vitrine",
    },
    {
        "description": "Développement spécifique",
        "quantity": Decimal("6"),
        "unit": "hour",
        "unit_price": Decimal("55.00"),
        "product_code": "developpement-heure",
    },
    {
        "description": "Journée de formation à l'administration",
        "quantity": Decimal("1"),
        "unit": "day",
        "unit_price": Decimal("420.00"),
        "product_code": "formation-journee",
    },
]


@dataclass(frozen=True)
class AgencyQuote:
    """A quote of the agency and what became of it; days count back from today (``sent``) or,
    for a story that invoices, from the rate anchor (see :func:`rate_anchor`)."""

    client_kind: str
    nature: str
    story: str  # draft, sent, expired, paid_on_time, overdue
    sent: int | None = None  # days before today / the anchor
    accepted: int | None = None
    deposit_cashed: int | None = None
    work_started: int | None = None
    final_invoiced: int | None = None
    final_paid: int | None = None


AGENCY_QUOTES = [
    # The association accepted early, paid its deposit and its balance on time.
    AgencyQuote(
        "association",
        "Site de la chorale avec agenda des concerts",
        "paid_on_time",
        sent=125,
        accepted=120,
        deposit_cashed=116,
        work_started=110,
        final_invoiced=62,
        final_paid=55,
    ),
    # The company paid its deposit weeks after its due date; its balance is overdue now.
    AgencyQuote(
        "company",
        "Catalogue en ligne des collections de l'atelier",
        "overdue",
        sent=85,
        accepted=80,
        deposit_cashed=48,
        work_started=46,
        final_invoiced=35,
    ),
    AgencyQuote("company", "Refonte du site vitrine et boutique en ligne", "sent", sent=6),
    AgencyQuote("independent", "Site du cabinet avec prise de rendez-vous", "expired", sent=70),
    AgencyQuote("consumer", "Blog personnel de photographie", "draft"),
]


def agency_start(*, anchor: date) -> date:
    """The first day of the agency's stories: its clients accept its terms before it."""
    return anchor - timedelta(days=140)


def _accept(quote: Quote, when: datetime) -> Order:
    contact = quote.client.contacts.exclude(user=None).first()
    accepted = quote_services.accept_quote_online(
        quote=quote,
        contact=contact,
        signatory_name=contact.name,
        signatory_role="Présidente",
        consent=True,
        ip_address="203.0.113.7",
        user_agent="Mozilla/5.0 (démo)",
        now=when,
    )
    return accepted.order


def _invoice_order(order: Order, spec: AgencyQuote, anchor: date) -> None:
    """From the deposit invoice issued at acceptance to the balance invoice, and its payment."""
    cashed = anchor - timedelta(days=spec.deposit_cashed)
    payment_services.record_deposit_cashed(
        order=order, cashed_on=cashed, by=None, now=at(cashed, 17)
    )
    started = anchor - timedelta(days=spec.work_started)
    order = order_services.start_work(order=order, by=None, now=at(started, 9))
    invoiced = anchor - timedelta(days=spec.final_invoiced)
    final = invoicing_services.final_invoice(order=order, by=None, now=at(invoiced, 11))
    if spec.final_paid is not None:
        paid = anchor - timedelta(days=spec.final_paid)
        payment_services.record_invoice_payment(
            invoice=final,
            amount=final.amount_due,
            paid_on=paid,
            method="cheque",
            by=None,
            now=at(paid, 16),
        )


def agency_quotes(seller: Seller, *, anchor: date) -> None:
    """The agency's quotes, in the order of the events they start (numbers are
    chronological): the two invoiced orders step by step, then the recent quotes."""
    invoiced = [spec for spec in AGENCY_QUOTES if spec.accepted is not None]
    for spec in invoiced:
        _agency_quote(seller, spec, day=anchor - timedelta(days=spec.sent))
    # Events of both invoiced stories, interleaved by date (one invoice series, one chain).
    orders = {
        spec: Order.objects.filter(quote__seller=seller, quote__nature=spec.nature).first()
        for spec in invoiced
    }
    for spec in sorted(invoiced, key=lambda s: -s.final_invoiced):
        order = orders[spec]
        if (
            order is not None
            and not Invoice.objects.filter(order=order, kind=InvoiceKind.FINAL).exists()
        ):
            _invoice_order(order, spec, anchor)
    for spec in AGENCY_QUOTES:
        if spec.accepted is None:
            sent = None if spec.sent is None else today() - timedelta(days=spec.sent)
            _agency_quote(seller, spec, day=sent)


def _agency_quote(seller: Seller, spec: AgencyQuote, *, day: date | None) -> None:
    if Quote.objects.filter(seller=seller, nature=spec.nature).exists():
        return
    client = Client.objects.get(seller=seller, kind=spec.client_kind)
    valid_until = (day or today()) + timedelta(days=30)
    quote = quote_services.create_quote(
        seller=seller,
        client=client,
        fields={
            "nature": spec.nature,
            "requires_deposit": spec.story != "expired",
            "valid_until": valid_until,
        },
        lines=AGENCY_LINES,
        by=None,
    )
    if day is None:
        return
    quote = quote_services.send_quote(quote=quote, by=None, now=at(day))
    if spec.accepted is not None:
        # Accepted: the order opens and its deposit invoice is issued at once (30 %).
        _accept(quote, at(day + timedelta(days=spec.sent - spec.accepted), 18))
    elif spec.story == "expired":
        quote_services.expire_quote(quote=quote, now=at(valid_until + timedelta(days=1), 2))


# --- the PaaS host (seed 000) ------------------------------------------------------------------

# (client kind, lines, paid how many days ago, payment reference). Each invoice is issued
# automatically once the order is paid (seed 000 art. 4), in date order.
PAAS_ORDERS = [
    (
        "company",
        [
            {"product_code": "instance-app", "quantity": "720"},
            {"product_code": "addon-postgresql", "quantity": 1},
        ],
        75,
        "ch_demo_0001",
    ),
    ("association", [{"product_code": "instance-app", "quantity": "360"}], 45, "PAYID-DEMO-0002"),
    (
        "company",
        [
            {"product_code": "instance-app", "quantity": "1440"},
            {"product_code": "stockage", "quantity": "100"},
        ],
        20,
        "ch_demo_0003",
    ),
]
PAAS_START = 100  # days ago: the host's clients accept its terms before their first order
# A partial credit note on the first invoice: a commercial gesture after an outage.
PAAS_CREDIT = {
    "days_ago": 40,
    "reason": "Geste commercial : indisponibilité de l'instance applicative",
    "lines": [
        {
            "description": "Remise sur l'instance applicative (indisponibilité)",
            "quantity": "1",
            "unit": "flat",
            "unit_price": "5.00",
            "vat_rate": "0.20",
        }
    ],
}


def paas_orders(seller: Seller) -> None:
    """Paid online orders, their invoices issued automatically (paid), one credit note.

    No unpaid invoice here: the host's terms (seed 000) invoice only after the payment."""
    if Order.objects.filter(seller=seller).exists():
        return
    for kind, lines, days_ago, reference in PAAS_ORDERS:
        client = Client.objects.get(seller=seller, kind=kind)
        paid_at = at(today() - timedelta(days=days_ago), 14, 30)
        ordered = paid_at - timedelta(minutes=20)
        order = order_services.create_online_order(
            seller=seller, client=client, lines=lines, by=None, now=ordered
        )
        order = order_services.confirm_order(
            order=order, by=None, now=ordered + timedelta(minutes=5)
        )
        payment_services.record_payment(
            order=order,
            received_at=paid_at,
            provider="stripe" if reference.startswith("ch_") else "paypal",
            reference=reference,
            amount=order.total_ttc,
            by=None,
            now=paid_at + timedelta(minutes=1),
        )
    first = (
        Invoice.objects.filter(seller=seller, kind=InvoiceKind.STANDARD)
        .order_by("issued_at", "sequence")
        .first()
    )
    invoicing_services.issue_credit_note(
        invoice=first,
        reason=PAAS_CREDIT["reason"],
        lines=PAAS_CREDIT["lines"],
        by=None,
        now=at(today() - timedelta(days=PAAS_CREDIT["days_ago"]), 11),
    )


def paas_withdrawal(seller: Seller) -> None:
    """The host's consumer orders a month of hosting, asks it to start at once (L221-25),
    then withdraws by e-mail the next day: accepted, the order withdrawn, its invoice
    credited but the day provided, the rest owed back by card within 14 days (L221-24), a
    refund now overdue on the dashboard. Its invoice comes after the host's last one
    (invoice numbers follow their dates)."""
    from clausier.orders.domain import EXPRESS_START
    from clausier.withdrawal import services as withdrawal_services
    from clausier.withdrawal.models import WithdrawalRequest

    if WithdrawalRequest.objects.filter(seller=seller).exists():
        return
    client = Client.objects.get(seller=seller, kind="consumer")
    concluded = at(today() - timedelta(days=19), 9, 15)
    order = order_services.create_online_order(
        seller=seller,
        client=client,
        lines=[
            {"product_code": "instance-app", "quantity": "720"},
            {"product_code": "addon-postgresql", "quantity": 1},
        ],
        by=None,
        now=concluded - timedelta(minutes=10),
    )
    order = order_services.confirm_order(
        order=order,
        by=None,
        now=concluded,
        express_start=True,
        express_start_text=EXPRESS_START.value,
    )
    paid_at = concluded + timedelta(minutes=5)
    payment_services.record_payment(
        order=order,
        received_at=paid_at,
        provider="stripe",
        reference="ch_demo_0004",
        amount=order.total_ttc,
        by=None,
        now=paid_at + timedelta(minutes=1),
    )
    order_services.activate_service(order=order, by=None, now=concluded + timedelta(hours=3))
    withdrawal_services.register_withdrawal(
        seller=seller,
        order=Order.objects.get(pk=order.pk),
        channel="email",
        received_on=today() - timedelta(days=18),
        statement="Bonjour, je souhaite me rétracter de ma commande d'hébergement. Julien Martin",
        by=None,
    )
