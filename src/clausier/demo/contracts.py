"""The agency's recurring services (seed 002 art. 7), dated relative to today: a consumer's
hosting contract whose renewal is coming, its renewal information sent in the Chatel window
(C. conso. L215-1), and a company's maintenance contract ended at its term after a registered
letter received in time, its unpaid months invoiced. Through the services; each looks up
before it writes, so loading twice changes nothing."""

from __future__ import annotations

from datetime import timedelta

from clausier.contracts import domain, services, tasks
from clausier.contracts.models import Contract
from clausier.customers.models import Client
from clausier.demo.stories import at, today
from clausier.sellers.models import Seller
from clausier.terms.selectors import current_version

RENEWING = "CT-HEB-001"
TERMINATED = "CT-MCO-001"


def agency_contracts(seller: Seller) -> None:
    _renewal_coming(seller)
    _terminated(seller)


def _renewal_coming(seller: Seller) -> None:
    """Nadia Lefèvre's hosting, domain name and backup option, a yearly term ending in about
    ten weeks: the last day to refuse the renewal is a month before, and the information left
    today, inside its window."""
    if Contract.objects.filter(seller=seller, reference=RENEWING).exists():
        return
    client = Client.objects.get(seller=seller, kind="consumer")
    term_end = today() + timedelta(days=75)
    contract = services.open_contract(
        seller=seller,
        client=client,
        reference=RENEWING,
        start_on=domain.add_months(term_end + timedelta(days=1), -12),
        period_months=12,
        lines=[
            {"kind": "hosting", "description": "Hébergement du site vitrine", "amount_ht": "180"},
            {"kind": "domain", "description": "Nom de domaine nadia-lefevre.fr", "amount_ht": "15"},
            {"kind": "backup", "description": "Option de sauvegarde du site", "amount_ht": "60"},
        ],
        terms_version=current_version(seller=seller),
        by=None,
    )
    tasks.inform_if_due(contract, today=today())


def _terminated(seller: Seller) -> None:
    """Atelier Céramique Loire's maintenance, 90 € a month for a yearly term, half paid: the
    client's registered letter arrived three days before the deadline; the contract ended at
    its term, a month ago, and the six unpaid months were invoiced."""
    if Contract.objects.filter(seller=seller, reference=TERMINATED).exists():
        return
    client = Client.objects.get(seller=seller, kind="company")
    start = domain.add_months(today() - timedelta(days=30), -12)
    contract = services.open_contract(
        seller=seller,
        client=client,
        reference=TERMINATED,
        start_on=start,
        period_months=12,
        lines=[
            {
                "kind": "maintenance",
                "description": "Maintenance du site (MCO)",
                "amount_ht": "1080",
                "paid_through": domain.add_months(start, 6) - timedelta(days=1),
            }
        ],
        terms_version=current_version(seller=seller),
        by=None,
    )
    deadline = domain.deadline_of(
        term_end=contract.term_end,
        months=contract.notice_months,
        calendar=domain.contract_calendar(),
    ).value
    received = deadline - timedelta(days=3)
    services.record_notice(
        contract=contract,
        given_by="client",
        channel="registered_letter",
        sent_on=received - timedelta(days=2),
        received_on=received,
        tracking_number="1A 123 456 7890 1",
        by=None,
        now=at(received, 11),
    )
    services.advance(contract=contract, today=today())
