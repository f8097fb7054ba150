"""Loads the demo data set through the services. Every step looks up before it writes, so
loading twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction

from clausier.catalog.seeding import install_catalog_seed
from clausier.customers import services as customer_services
from clausier.customers.models import Client, Contact
from clausier.demo import confidentiality, contracts, domains, stories, support, usage
from clausier.demo.seeding import install_seed
from clausier.kernel.accounts import ensure_user
from clausier.sellers.models import Role, Seller
from clausier.sellers.services import set_staff_role
from clausier.terms import services as terms_services
from clausier.terms.models import AcceptanceMethod
from clausier.terms.selectors import current_version

PASSWORD = "clausier-demo"

# Example bank details (the seeds publish none); a valid IBAN/BIC pair used for the demo only.
DEMO_BANK = {"iban": "FR7630006000011234567890189", "bic": "AGRIFRPPXXX"}

# The agency's terms (seed 002) give no SIREN, no address, no legal form: the demo gives it
# a fictitious identity that passes every check (the SIREN's and SIRET's Luhn keys) so that
# it can invoice, flagged ``demo_identity`` so that the settings screen says so.
DEMO_IDENTITIES = {
    "neo7-studio-web": {
        "legal_form": "SARL",
        "share_capital": Decimal("1000.00"),
        "siren": "999999998",
        "siret": "99999999800019",
        "rcs_city": "Nantes",
        "address_line1": "1 rue de l'Exemple (adresse fictive)",
        "postal_code": "44000",
        "city": "Nantes",
        "email_sales": "contact@neo7.example",
        "demo_identity": True,
    },
}

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


def _signed_letter(client: Client, version, when: datetime) -> bytes:
    """The demo's stand-in for a scanned "Bon pour accord" letter: a real one-page PDF that
    opens in any viewer."""
    import json

    import typst

    words = {
        "client": client.name,
        "terms": f"{version.title} {version.label}",
        "date": f"{when:%d/%m/%Y}",
    }
    source = (
        '#let d = json(bytes(sys.inputs.words))\n#set page(paper: "a4")\n'
        "= Bon pour accord\n"
        "Je soussigné(e), pour #(d.client), accepte les #(d.terms) sans modification.\n\n"
        "Fait le #(d.date).\n\n_(Lettre de démonstration.)_"
    )
    return typst.compile(source.encode(), format="pdf", sys_inputs={"words": json.dumps(words)})


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

        letter = _signed_letter(client, version, when)
        evidence = {"evidence_file": ContentFile(letter, name="bon-pour-accord.pdf")}
    terms_services.record_acceptance(
        client=client,
        version=version,
        method=how,
        accepted_by_name=client.name,
        accepted_at=when,
        by=None,
        **evidence,
    )


def _seller(slug: str, cfg: dict) -> Seller:
    """The seed seller, with the demo's bank details and, for a seller whose terms give no
    identity, the demo's fictitious one (loading the demo again sets them again)."""
    overrides = DEMO_BANK | {"email_accounting": cfg["accounting_email"]}
    return install_seed(slug=slug, by=None, overrides=overrides | DEMO_IDENTITIES.get(slug, {}))


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    logins = [_admin()]
    accountant = ensure_user(
        username="expert-comptable", email="expert@demo.clausier.test", password=PASSWORD
    )
    anchor = stories.rate_anchor(on=stories.today())
    terms_accepted = {
        "clever-cloud": stories.at(stories.today() - timedelta(days=stories.PAAS_START)),
        "neo7-studio-web": stories.at(stories.agency_start(anchor=anchor)),
    }
    for slug, cfg in SELLERS.items():
        seller = _seller(slug, cfg)
        install_catalog_seed(seller=seller, by=None)
        logins += _staff(seller, cfg["prefix"])
        set_staff_role(seller=seller, user=accountant, role=Role.ACCOUNTANT, by=None)
        for kind, name, city, siren, how in CLIENTS[slug]:
            client = _client(seller, kind, name, city, siren)
            logins.append(_portal_contact(client, f"{cfg['prefix']}-client-{kind}"))
            if how:
                _accept(client, how, terms_accepted[slug])
        if slug == "clever-cloud":
            stories.paas_orders(seller)
            stories.paas_withdrawal(seller)
            subscriptions = usage.paas_usage(seller)
            usage.paas_credits(seller)
            usage.invoice_last_month(seller, subscriptions=subscriptions)
            support.paas_support(seller)
        if slug == "neo7-studio-web":
            stories.agency_quotes(seller, anchor=anchor)
            contracts.agency_contracts(seller)
            domains.agency_domains(seller)
            confidentiality.agency_confidentiality(seller, prefix=cfg["prefix"])
    logins.append(DemoLogin("expert-comptable", PASSWORD, "lecture seule chez les deux vendeurs"))
    return logins
