"""Loads the demo data set through the services. Every step looks up before it writes, so
loading twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from clausier.catalog.seeding import install_catalog_seed
from clausier.customers import services as customer_services
from clausier.customers.models import Client, Contact
from clausier.demo.seeding import install_seed
from clausier.invoicing import services as invoicing_services
from clausier.invoicing.models import Invoice, InvoiceKind
from clausier.kernel.accounts import ensure_user
from clausier.orders import services as order_services
from clausier.orders.models import Order
from clausier.quotes import services as quote_services
from clausier.quotes.models import Quote
from clausier.sellers.models import Role, Seller
from clausier.sellers.services import set_staff_role
from clausier.terms import services as terms_services
from clausier.terms.models import AcceptanceMethod
from clausier.terms.selectors import current_version

PASSWORD = "clausier-demo"

# Example bank details (the seeds publish none); a valid IBAN/BIC pair used for the demo only.
DEMO_BANK = {"iban": "FR7630006000011234567890189", "bic": "AGRIFRPPXXX"}

SELLERS = {
    "clever-cloud": {"prefix": "cc", "accounting_email": "compta@clever-cloud.example"},
    "neo7-studio-web": {"prefix": "neo7", "accounting_email": "compta@neo7.example"},
}

# (kind, name, city, SIREN, accepted how) — consumers are left to accept in the portal.
CLIENTS = {
    "clever-cloud": [
        ("company", "Brasserie Numérique SARL", "Rennes", "732829320", "signed_quote"),
        ("association", "Les Amis du Vélo Nantais", "Nantes", "", "email_consent"),
        ("independent", "Camille Durand EI", "Angers", "", "checkbox"),
        ("consumer", "Julien Martin", "Lyon", "", None),
    ],
    "neo7-studio-web": [
        ("company", "Atelier Céramique Loire SAS", "Saint-Nazaire", "552081317", "postal_scan"),
        ("association", "Chorale du Sillon", "Nantes", "", "email_consent"),
        ("independent", "Sophie Bernard, ostéopathe", "Rezé", "", "signed_quote"),
        ("consumer", "Nadia Lefèvre", "Vertou", "", None),
    ],
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str


def _admin() -> DemoLogin:
    ensure_user(
        username="admin",
        email="admin@demo.clausier.test",
        password=PASSWORD,
        is_staff=True,
        is_superuser=True,
    )
    return DemoLogin("admin", PASSWORD, "superuser: Django admin, every seller")


def _staff(seller: Seller, prefix: str) -> list[DemoLogin]:
    logins = []
    for role in Role:
        username = f"{prefix}-{role.value}"
        user = ensure_user(
            username=username, email=f"{username}@demo.clausier.test", password=PASSWORD
        )
        set_staff_role(seller=seller, user=user, role=role.value, by=None)
        logins.append(DemoLogin(username, PASSWORD, f"{seller}: {role.label}"))
    return logins


def _client(seller: Seller, kind: str, name: str, city: str, siren: str) -> Client:
    client = Client.objects.filter(seller=seller, name=name).first()
    if client is None:
        slug = name.lower().split()[0]
        client = customer_services.create_client(
            seller=seller,
            fields={
                "kind": kind,
                "name": name,
                "siren": siren,
                "email": f"factures@{slug}.example",
                "billing_line1": "12 rue des Demoiselles",
                "billing_postal_code": "44000",
                "billing_city": city,
            },
            by=None,
        )
    return client


def _portal_contact(client: Client, username: str) -> DemoLogin:
    user = ensure_user(username=username, email=f"{username}@demo.clausier.test", password=PASSWORD)
    if not Contact.objects.filter(user=user).exists():
        customer_services.add_contact(
            client=client,
            fields={"name": client.name, "email": user.email, "is_billing": True},
            user=user,
            by=None,
        )
    return DemoLogin(username, PASSWORD, f"portail de {client} ({client.get_kind_display()})")


def _accept(client: Client, how: str, when: datetime) -> None:
    version = current_version(seller=client.seller)
    if version is None or client.acceptances.filter(version=version).exists():
        return
    contact = client.contacts.first()
    evidence = {
        AcceptanceMethod.EMAIL_CONSENT: {"message_id": f"<accord-{client.pk}@demo.clausier.test>"},
        AcceptanceMethod.CHECKBOX: {
            "accepted_by": contact.user if contact else None,
            "ip_address": "203.0.113.7",
            "user_agent": "Mozilla/5.0 (démo)",
        },
    }.get(how, {})
    if how == AcceptanceMethod.POSTAL_SCAN:
        from django.core.files.base import ContentFile

        evidence = {
            "evidence_file": ContentFile(b"%PDF-1.4 demo scan\n", name="bon-pour-accord.pdf")
        }
    terms_services.record_acceptance(
        client=client,
        version=version,
        method=how,
        accepted_by_name=client.name,
        accepted_at=when,
        by=None,
        **evidence,
    )


PARIS = ZoneInfo("Europe/Paris")

# The agency's quotes, one per state a person meets: (client kind, nature, lines, story).
AGENCY_QUOTES = [
    ("company", "Refonte du site vitrine et boutique en ligne", "sent"),
    ("association", "Site de la chorale avec agenda des concerts", "accepted"),
    ("independent", "Site du cabinet avec prise de rendez-vous", "expired"),
    ("consumer", "Blog personnel de photographie", "draft"),
    ("company", "Catalogue en ligne des collections de l'atelier", "accepted"),
]
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


def _agency_quote(seller: Seller, client: Client, nature: str, story: str) -> None:
    if Quote.objects.filter(seller=seller, client=client, nature=nature).exists():
        return
    sent_on = {
        "sent": datetime(2026, 11, 16, 10, 0, tzinfo=PARIS),
        "accepted": datetime(
            2026, 11, 9 if client.kind == "association" else 12, 10, 0, tzinfo=PARIS
        ),
        "expired": datetime(2026, 10, 1, 10, 0, tzinfo=PARIS),
    }.get(story)
    valid_until = (sent_on + timedelta(days=30)).date() if sent_on else date(2026, 12, 31)
    quote = quote_services.create_quote(
        seller=seller,
        client=client,
        fields={
            "nature": nature,
            "requires_deposit": story != "expired",
            "valid_until": valid_until,
        },
        lines=AGENCY_LINES,
        by=None,
    )
    if sent_on is None:
        return
    quote = quote_services.send_quote(quote=quote, by=None, now=sent_on)
    if story == "accepted":
        contact = client.contacts.exclude(user=None).first()
        quote_services.accept_quote_online(
            quote=quote,
            contact=contact,
            signatory_name=contact.name,
            signatory_role="Présidente",
            consent=True,
            ip_address="203.0.113.7",
            user_agent="Mozilla/5.0 (démo)",
            now=sent_on + timedelta(days=3),
        )
    elif story == "expired":
        quote_services.expire_quote(quote=quote, now=sent_on + timedelta(days=31))


# The PaaS host's online orders (seed 000 art. 4): (client kind, lines, paid on, payment
# reference). Each invoice is issued automatically once paid, paid, in date order.
PAAS_ORDERS = [
    (
        "company",
        [
            {"product_code": "instance-app", "quantity": "720"},
            {"product_code": "addon-postgresql", "quantity": 1},
        ],
        datetime(2026, 10, 6, 14, 30, tzinfo=PARIS),
        "ch_demo_0001",
    ),
    (
        "association",
        [{"product_code": "instance-app", "quantity": "360"}],
        datetime(2026, 10, 20, 9, 15, tzinfo=PARIS),
        "PAYID-DEMO-0002",
    ),
    (
        "company",
        [
            {"product_code": "instance-app", "quantity": "1440"},
            {"product_code": "stockage", "quantity": "100"},
        ],
        datetime(2026, 11, 3, 16, 45, tzinfo=PARIS),
        "ch_demo_0003",
    ),
]
# A partial credit note on the first invoice: a commercial gesture after an outage.
PAAS_CREDIT = {
    "on": datetime(2026, 11, 10, 11, 0, tzinfo=PARIS),
    "reason": "Geste commercial : indisponibilité de l'instance le 12/10/2026",
    "lines": [
        {
            "description": "Remise sur l'instance applicative (indisponibilité du 12/10/2026)",
            "quantity": "1",
            "unit": "flat",
            "unit_price": "5.00",
            "vat_rate": "0.20",
        }
    ],
}


def _paas_orders(seller: Seller) -> None:
    """Paid online orders, their invoices issued automatically (paid), one credit note.

    No unpaid invoice: the host's terms (seed 000) invoice only after the payment and set no
    payment term (no ``payment.due`` clause), so an invoice issued by staff without a
    payment would lack its due date, a mandatory mention, and be refused."""
    if Order.objects.filter(seller=seller).exists():
        return
    for kind, lines, paid_at, reference in PAAS_ORDERS:
        client = Client.objects.get(seller=seller, kind=kind)
        ordered = paid_at - timedelta(minutes=20)
        order = order_services.create_online_order(
            seller=seller, client=client, lines=lines, by=None, now=ordered
        )
        order = order_services.confirm_order(
            order=order, by=None, now=ordered + timedelta(minutes=5)
        )
        order_services.record_payment(
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
        .order_by("sequence")
        .first()
    )
    invoicing_services.issue_credit_note(
        invoice=first,
        reason=PAAS_CREDIT["reason"],
        lines=PAAS_CREDIT["lines"],
        by=None,
        now=PAAS_CREDIT["on"],
    )


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    logins = [_admin()]
    accountant = ensure_user(
        username="expert-comptable", email="expert@demo.clausier.test", password=PASSWORD
    )
    for slug, cfg in SELLERS.items():
        seller = install_seed(
            slug=slug, by=None, overrides=DEMO_BANK | {"email_accounting": cfg["accounting_email"]}
        )
        install_catalog_seed(seller=seller, by=None)
        logins += _staff(seller, cfg["prefix"])
        set_staff_role(seller=seller, user=accountant, role=Role.ACCOUNTANT, by=None)
        for kind, name, city, siren, how in CLIENTS[slug]:
            client = _client(seller, kind, name, city, siren)
            logins.append(_portal_contact(client, f"{cfg['prefix']}-client-{kind}"))
            if how:
                _accept(client, how, datetime(2026, 10, 5, 9, 30, tzinfo=UTC))
        if slug == "clever-cloud":
            _paas_orders(seller)
        if slug == "neo7-studio-web":
            # The seed gives no SIREN: the deposit invoices of the accepted quotes wait as
            # drafts saying so (and, once it is filled in, for the 2026 S2 legal rate).
            for kind, nature, story in AGENCY_QUOTES:
                client = Client.objects.get(seller=seller, kind=kind)
                _agency_quote(seller, client, nature, story)
    logins.append(DemoLogin("expert-comptable", PASSWORD, "lecture seule chez les deux vendeurs"))
    return logins
