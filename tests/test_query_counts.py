"""Query counts pinned for every list page and every API list (NetBox's way).

Each list is read with 3 rows, then with 8: the number of queries must not grow with the
rows (no query per row), and it must equal the count pinned for it in
``tests/query_counts.json`` (one section per domain). A change that saves queries is pinned
with ``pytest tests/test_query_counts.py --update-query-counts``; one that adds any fails
here until it is justified and pinned the same way.

Pages are reached by their URL names, wherever their views live. Rows are made through the
real services, by the suite's own makers.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clausier.api.services import create_token
from clausier.sellers.models import Role
from clausier.terms import services as terms_services
from clausier.terms.models import AcceptanceMethod
from clausier.webhooks import services as webhook_services
from tests.factories import (
    make_client,
    make_contact,
    make_issued_invoice,
    make_published_terms,
    make_seller,
    make_staff,
)
from tests.factories.catalog import make_product
from tests.factories.orders import install_paas, paid, recap
from tests.factories.payments import refund_owed, transfer
from tests.factories.quotes import install_agency, make_quote, paris, sent_quote

pytestmark = pytest.mark.django_db

FEW, MANY = 3, 8
_seq = itertools.count(1)


@dataclass
class World:
    """A seller, its owner, one client with a portal login, and an API token."""

    seller: Any
    staff: Any
    client: Any
    contact: Any
    secret: str
    extra: dict[str, Any] = field(default_factory=dict)


def _world(seller, *, kind: str = "company", **client_fields) -> World:
    client = make_client(seller, kind, **client_fields)
    contact = make_contact(client)
    _token, secret = create_token(seller=seller, name="ERP", by=None)
    return World(seller, make_staff(seller, Role.OWNER), client, contact, secret)


def invoicing_world() -> World:
    """A VAT-charging seller whose terms only say "paiement à 30 jours": it issues invoices
    on any date (no legal rate needed)."""
    seller = make_seller(f"facturier-{next(_seq)}", vat_number="FR87524172699")
    world = _world(seller, siren="732829320")
    world.extra["terms"] = make_published_terms(seller)
    return world


def agency_world() -> World:
    """The web agency of seed 002 (quotes)."""
    return _world(install_agency())


def paas_world() -> World:
    """The PaaS host of seed 000 and its catalog (online orders)."""
    return _world(install_paas(), kind="consumer")


# --- one more row of each list --------------------------------------------------------------


def add_client(w: World) -> None:
    make_client(w.seller)


def add_terms_version(w: World) -> None:
    terms_services.create_draft(
        seller=w.seller,
        label=f"brouillon-{next(_seq)}",
        effective_date=date(2026, 1, 1),
        text="# CGV\n\nArticle 1 : paiement à 30 jours.\n",
        by=None,
    )


def add_product(w: World) -> None:
    make_product(w.seller)


def add_draft_quote(w: World) -> None:
    make_quote(w.seller, make_client(w.seller))


def add_sent_quote(w: World) -> None:
    sent_quote(w.seller, w.client)


def add_online_order(w: World) -> None:
    recap(w.seller, w.client)


def add_late_order(w: World) -> None:
    # Paid on Friday 8 May 2026: the service was due to start by Wednesday 20 May (art. 8).
    paid(w.seller, w.client, received_at=paris(2026, 5, 8, 14, 30), reference=f"ch_{next(_seq)}")


def add_invoice(w: World) -> None:
    make_issued_invoice(w.seller, w.client, now=timezone.now())


def add_endpoint(w: World) -> None:
    webhook_services.create_endpoint(
        seller=w.seller,
        url=f"https://hooks.example.test/{next(_seq)}",
        events=["service.activate"],
        by=None,
    )


def add_delivery(w: World) -> None:
    if "endpoint" not in w.extra:
        add_endpoint(w)
        w.extra["endpoint"] = True
    webhook_services.emit(seller=w.seller, event_type="service.activate", payload={"n": next(_seq)})


def add_inbound_message(w: World) -> None:
    from clausier.inbox import services as inbox_services
    from tests.factories.inbox import eml, make_mailbox

    if "mailbox" not in w.extra:
        w.extra["mailbox"] = make_mailbox(w.seller, f"support@{w.seller.slug}.test")
    raw = eml("attachments").replace(b"<attach-1@example.fr>", f"<m{next(_seq)}@x>".encode())
    inbox_services.receive(raw=raw, source="pipe", recipients=[w.extra["mailbox"].address], by=None)


def add_payment(w: World) -> None:
    payment = transfer(w.seller, w.client, amount="100.00", on=date(2026, 5, 20))
    refund_owed(payment, amount="10.00")


def add_remittance(w: World) -> None:
    from clausier.payments import services as payment_services
    from tests.factories.payments import cheque

    if not w.seller.iban:
        w.seller.iban = "FR7630006000011234567890189"
        w.seller.save(update_fields=["iban"])
    payment = cheque(w.seller, w.client, on=date(2026, 5, 20), number=f"{next(_seq):07d}")
    payment_services.remit_cheques(
        seller=w.seller, payment_ids=[payment.pk], remitted_on=date(2026, 5, 21), by=None
    )


def add_cheque(w: World) -> None:
    from tests.factories.payments import cheque

    cheque(w.seller, w.client, on=date(2026, 5, 20), number=f"{next(_seq):07d}")


def add_statement(w: World) -> None:
    """A statement of two lines to review (each new: the bank's references never repeat)."""
    from clausier.payments.services.statements import import_statement
    from tests.payments.statements.camt import entry, statement

    n = next(_seq)
    import_statement(
        seller=w.seller,
        data=statement(entry("30.00", ref=f"Q{n}a"), entry("40.00", ref=f"Q{n}b")),
        filename=f"releve-{n}.xml",
        format="camt053",
        by=None,
    )


def add_withdrawal(w: World) -> None:
    from clausier.orders import services as order_services
    from clausier.withdrawal import services as withdrawal_services

    order = order_services.confirm_order(order=recap(w.seller, w.client), by=None)
    withdrawal_services.register_withdrawal(
        seller=w.seller,
        order=order,
        channel="email",
        received_on=timezone.localdate(),
        by=None,
    )


def add_subscription(w: World) -> None:
    from clausier.metering import services as metering_services
    from clausier.orders import services as order_services

    order = order_services.confirm_order(order=recap(w.seller, w.client), by=None)
    metering_services.start_subscription(order=order, at=timezone.now(), by=None)


def add_unknown_email(w: World) -> None:
    """Mail to the support address from a sender the seller does not know."""
    from clausier.inbox import services as inbox_services
    from clausier.inbox.models import Mailbox

    address = f"support@{w.seller.slug}.test"
    if not Mailbox.objects.filter(address=address).exists():
        inbox_services.create_mailbox(seller=w.seller, address=address, by=None)
    n = next(_seq)
    raw = (
        f"From: inconnu{n}@ailleurs.test\r\nTo: {address}\r\nSubject: Question {n}\r\n"
        f"Message-ID: <q{n}@ailleurs.test>\r\n\r\nBonjour.\r\n"
    ).encode()
    inbox_services.receive(raw=raw, source="pipe", recipients=[address], by=None)


def add_ticket(w: World) -> None:
    from clausier.support import services as support_services

    support_services.open_ticket(
        seller=w.seller,
        client=w.client,
        subject=f"Incident {next(_seq)}",
        description="Erreur 502",
        channel="portal",
        by=None,
    )


def add_contract(w: World) -> None:
    """A consumer's yearly contract whose term is near: in the renewals to come, its
    renewal information window open."""
    from clausier.contracts import services as contract_services
    from clausier.terms.selectors import current_version

    today = timezone.localdate()
    contract_services.open_contract(
        seller=w.seller,
        client=w.client,
        reference=f"CT-{next(_seq)}",
        start_on=today.replace(year=today.year - 1, day=1),
        period_months=13,
        lines=[{"kind": "hosting", "description": "Hébergement", "amount_ht": "120.00"}],
        terms_version=current_version(seller=w.seller),
        by=None,
    )


def add_claim_and_archive(w: World) -> None:
    """A contract with a liability claim and an archive request to deliver (rows as the
    register and the list read them)."""
    from clausier.contracts.models import ArchiveRequest, Contract, LiabilityClaim

    add_contract(w)
    contract = Contract.objects.filter(seller=w.seller).order_by("-id").first()
    today = timezone.localdate()
    LiabilityClaim.objects.create(
        contract=contract, received_on=today, tracking_number="1A", description="Panne"
    )
    ArchiveRequest.objects.create(
        contract=contract, received_on=today, channel="letter", deadline=today
    )


def add_nda(w: World) -> None:
    """A confidentiality agreement signed with the world's client, its PDF stored."""
    from clausier.contracts import services as contract_services
    from tests.factories.quotes import pdf_file

    contract_services.record_signed_nda(
        client=w.client,
        title=f"Accord {next(_seq)}",
        file=pdf_file("accord.pdf"),
        signed_on=timezone.localdate(),
        effective_from=timezone.localdate(),
        by=None,
    )


ART_11_CLAUSES = (
    {
        "clause_id": "domains.registration",
        "kind": "domains.registration",
        "article": "art. 11",
        "title": "Noms de domaine",
        "excerpt": "pour un an",
        "parameters": {"registrant": "seller", "term": "P1Y", "sums_due_after_termination": True},
    },
    {
        "clause_id": "hosting.restore_fee",
        "kind": "fee.flat",
        "article": "art. 11",
        "title": "Restauration",
        "excerpt": "79 €",
        "parameters": {"amount": "79.00", "label": "Restauration du site"},
    },
)


def _art_11_contract(w: World):
    """A running contract with a domain line and the backup option, under terms with art.
    11's clauses (a draft: contracts read the clauses of the terms they were made under)."""
    from clausier.contracts import services as contract_services
    from clausier.terms import services as terms_services

    n = next(_seq)
    version = terms_services.create_draft(
        seller=w.seller, label=f"art11-{n}", effective_date=date(2026, 1, 1), text="#\n", by=None
    )
    for fields in ART_11_CLAUSES:
        terms_services.add_clause(version=version, fields=fields, by=None)
    return contract_services.open_contract(
        seller=w.seller,
        client=w.client,
        reference=f"CT-{n}",
        start_on=timezone.localdate() - timedelta(days=30),
        period_months=12,
        lines=[
            {"kind": "domain", "description": "Nom de domaine", "amount_ht": "24.00"},
            {"kind": "backup", "description": "Sauvegarde", "amount_ht": "60.00"},
        ],
        terms_version=version,
        by=None,
    )


def add_domain(w: World) -> None:
    from clausier.contracts import services as contract_services

    contract_services.register_domain(
        contract=_art_11_contract(w),
        name=f"site-{next(_seq)}.fr",
        registrar="Gandi",
        registered_on=timezone.localdate() - timedelta(days=3),
        by=None,
    )


def add_restore(w: World) -> None:
    from clausier.contracts import services as contract_services

    contract_services.request_restore(
        contract=_art_11_contract(w),
        backup_on=timezone.localdate(),
        from_portal=False,
        by=None,
    )


def add_usage_run(w: World) -> None:
    from clausier.invoicing.services import usage

    usage.bill_usage(period=date(2025, 1 + next(_seq) % 12, 1), seller=w.seller, by=None)


def add_token(w: World) -> None:
    create_token(seller=w.seller, name=f"jeton-{next(_seq)}", by=None)


def add_acceptance(w: World) -> None:
    terms_services.record_acceptance(
        client=w.client,
        version=w.extra["terms"],
        method=AcceptanceMethod.EMAIL_CONSENT,
        accepted_by_name="Camille Martin",
        by=None,
        message_id=f"<accord-{next(_seq)}@client.example.test>",
    )


# --- the lists ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    domain: str  # the section of query_counts.json
    url_name: str
    audience: str  # "staff", "portal" or "api"
    world: Callable[[], World]
    add: Callable[[World], None]
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {"slug": w.seller.slug}


def _none(w: World) -> dict[str, Any]:
    return {}


def _client(w: World) -> dict[str, Any]:
    return {"client_id": w.client.pk}


CASES = [
    # back-office
    Case("customers", "backoffice:clients", "staff", invoicing_world, add_client),
    Case("terms", "backoffice:terms", "staff", invoicing_world, add_terms_version),
    Case("catalog", "backoffice:catalog", "staff", invoicing_world, add_product),
    Case("quotes", "backoffice:quotes", "staff", agency_world, add_draft_quote),
    Case("orders", "backoffice:orders", "staff", paas_world, add_online_order),
    Case("orders", "backoffice:orders_late", "staff", paas_world, add_late_order),
    Case("invoicing", "backoffice:invoices", "staff", invoicing_world, add_invoice),
    Case("webhooks", "backoffice:webhooks", "staff", invoicing_world, add_endpoint),
    Case("webhooks", "backoffice:webhook_deliveries", "staff", invoicing_world, add_delivery),
    Case("inbox", "backoffice:inbox", "staff", invoicing_world, add_inbound_message),
    Case("payments", "backoffice:payments", "staff", invoicing_world, add_payment),
    Case("payments", "backoffice:refunds", "staff", invoicing_world, add_payment),
    Case("payments", "backoffice:remittances", "staff", invoicing_world, add_remittance),
    Case("payments", "backoffice:remittance_new", "staff", invoicing_world, add_cheque),
    Case("payments", "backoffice:statements", "staff", invoicing_world, add_statement),
    Case("payments", "backoffice:statement_review", "staff", invoicing_world, add_statement),
    Case("withdrawal", "backoffice:withdrawals", "staff", paas_world, add_withdrawal),
    Case("metering", "backoffice:subscriptions", "staff", paas_world, add_subscription),
    Case("support", "backoffice:support_queue", "staff", paas_world, add_ticket),
    Case("support", "backoffice:support_emails", "staff", paas_world, add_unknown_email),
    Case("contracts", "backoffice:contracts", "staff", paas_world, add_contract),
    Case("contracts", "backoffice:contract_renewals", "staff", paas_world, add_contract),
    Case("contracts", "backoffice:domains", "staff", paas_world, add_domain),
    Case("contracts", "backoffice:restores", "staff", paas_world, add_restore),
    Case("contracts", "backoffice:ndas", "staff", agency_world, add_nda),
    Case("contracts", "backoffice:claims", "staff", paas_world, add_claim_and_archive),
    Case("contracts", "backoffice:archives_due", "staff", paas_world, add_claim_and_archive),
    Case("invoicing", "backoffice:usage_runs", "staff", paas_world, add_usage_run),
    Case("audit", "backoffice:audit", "staff", invoicing_world, add_client),
    Case("api", "backoffice:api_tokens", "staff", invoicing_world, add_token),
    # portal
    Case("portal", "portal:home", "portal", agency_world, add_sent_quote, _none),
    Case("quotes", "portal:quotes", "portal", agency_world, add_sent_quote, _none),
    Case("orders", "portal:orders", "portal", paas_world, add_online_order, _none),
    Case("invoicing", "portal:invoices", "portal", invoicing_world, add_invoice, _none),
    Case("payments", "portal:payments", "portal", invoicing_world, add_payment, _none),
    Case("withdrawal", "portal:withdrawals", "portal", paas_world, add_withdrawal, _none),
    Case("contracts", "portal:contracts", "portal", paas_world, add_contract, _none),
    Case("contracts", "portal:domains", "portal", paas_world, add_domain, _none),
    Case("contracts", "portal:ndas", "portal", agency_world, add_nda, _none),
    Case("metering", "portal:consumption", "portal", paas_world, add_subscription, _none),
    Case("support", "portal:tickets", "portal", paas_world, add_ticket, _none),
    # API
    Case("customers", "api-v1:list_clients", "api", invoicing_world, add_client, _none),
    Case("terms", "api-v1:list_terms", "api", invoicing_world, add_terms_version, _none),
    Case("terms", "api-v1:list_acceptances", "api", invoicing_world, add_acceptance, _client),
    Case("catalog", "api-v1:list_products", "api", invoicing_world, add_product, _none),
    Case("quotes", "api-v1:list_quotes", "api", agency_world, add_draft_quote, _none),
    Case("orders", "api-v1:list_orders", "api", paas_world, add_online_order, _none),
    Case("invoicing", "api-v1:list_invoices", "api", invoicing_world, add_invoice, _none),
    Case("payments", "api-v1:list_payments", "api", invoicing_world, add_payment, _none),
    Case("withdrawal", "api-v1:list_withdrawals", "api", paas_world, add_withdrawal, _none),
    Case("metering", "api-v1:list_subscriptions", "api", paas_world, add_subscription, _none),
    Case("support", "api-v1:list_tickets", "api", paas_world, add_ticket, _none),
    Case("contracts", "api-v1:list_contracts", "api", paas_world, add_contract, _none),
    Case("contracts", "api-v1:list_domains", "api", paas_world, add_domain, _none),
]


def read(client, case: Case, world: World) -> tuple[int, list[str], int]:
    """The number of queries of one GET of the list, their SQL, and the answer's length."""
    url = reverse(case.url_name, kwargs=case.kwargs(world))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.secret}"} if case.audience == "api" else {}
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), [q["sql"] for q in queries.captured_queries], len(response.content)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.url_name)
def test_a_list_reads_in_a_fixed_number_of_queries(client, case, query_count_baseline):
    world = case.world()
    if case.audience == "staff":
        client.force_login(world.staff)
    elif case.audience == "portal":
        client.force_login(world.contact.user)
    for _ in range(FEW):
        case.add(world)
    read(client, case, world)  # the first request fills the process's caches
    few, _sql, few_length = read(client, case, world)
    for _ in range(MANY - FEW):
        case.add(world)
    many, sql, many_length = read(client, case, world)

    assert many_length > few_length, f"{case.url_name} does not show the rows added"
    assert many == few, f"{case.url_name}: {few} queries with {FEW} rows, {many} with {MANY}:\n" + (
        "\n".join(sql)
    )
    query_count_baseline.check(case.domain, case.url_name, many)


def test_every_list_is_counted_once():
    names = [case.url_name for case in CASES]
    assert len(names) == len(set(names))
