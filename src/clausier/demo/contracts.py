"""The agency's recurring services (seed 002 art. 7), dated relative to today: a consumer's
hosting contract whose renewal is coming, its renewal information sent in the Chatel window
(C. conso. L215-1); a company's maintenance contract ended at its term after a registered
letter received in time, its unpaid months invoiced; the choir's content updates kept after a
breach remedied within its 10 jours ouvrés; and a company's maintenance whose price is revised
at its coming term (seed 002 art. 12b), the client's answer pending. Through the services;
each looks up before it writes, so loading twice changes nothing."""

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
CURED = "CT-MAJ-001"
REVISED = "CT-MCO-002"


def agency_contracts(seller: Seller) -> None:
    _renewal_coming(seller)
    _terminated(seller)
    _breach_cured(seller)
    _price_revision_pending(seller)
    agency_claim(seller)


def _price_revision_pending(seller: Seller) -> None:
    """Atelier Céramique Loire's new shop site, hosting and maintenance for a yearly term
    ending in about six weeks: its traffic grew fourfold, so the agency proposed today a
    higher maintenance package (art. 12b); the tacit renewal of that term is void and the
    client's answer, from the portal, is awaited."""
    if Contract.objects.filter(seller=seller, reference=REVISED).exists():
        return
    client = Client.objects.get(seller=seller, kind="company")
    term_end = today() + timedelta(days=45)
    start = domain.add_months(term_end + timedelta(days=1), -12)
    contract = services.open_contract(
        seller=seller,
        client=client,
        reference=REVISED,
        start_on=start,
        period_months=12,
        lines=[
            {
                "kind": "hosting",
                "description": "Hébergement de la boutique en ligne",
                "amount_ht": "360",
                "paid_through": term_end,
            },
            {
                "kind": "maintenance",
                "description": "Forfait de maintenance (MCO)",
                "amount_ht": "600",
                "paid_through": term_end,
            },
        ],
        terms_version=current_version(seller=seller),
        by=None,
    )
    maintenance = contract.lines.get(kind="maintenance")
    services.propose_price_revision(
        contract=contract,
        amounts={maintenance.pk: "840"},
        reason="traffic",
        reason_note="Fréquentation multipliée par quatre depuis le lancement de la boutique",
        by=None,
    )


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


def _breach_cured(seller: Seller) -> None:
    """The Chorale du Sillon's monthly content updates: the agency's registered letter of
    three weeks ago named the client's missing texts (art. 7); the texts came on the eighth
    jour ouvré, inside the 10, so the contract goes on and its page shows both dates."""
    if Contract.objects.filter(seller=seller, reference=CURED).exists():
        return
    client = Client.objects.get(seller=seller, kind="association")
    contract = services.open_contract(
        seller=seller,
        client=client,
        reference=CURED,
        start_on=domain.add_months(today(), -5),
        period_months=12,
        lines=[
            {
                "kind": "content",
                "description": "Mise à jour mensuelle des contenus du site",
                "amount_ht": "600",
            }
        ],
        terms_version=current_version(seller=seller),
        by=None,
    )
    sent_on = today() - timedelta(days=21)
    breach = services.record_breach(
        contract=contract,
        given_by="seller",
        description=(
            "Textes et photos de la page « Concerts » non fournis depuis deux mois malgré "
            "trois relances (art. 10 : informations indispensables à la prestation)."
        ),
        sent_on=sent_on,
        tracking_number="1A 555 010 2026 4",
        by=None,
        now=at(sent_on, 10),
    )
    remedied_on = domain.contract_calendar().add_working_days(sent_on, 8)
    services.record_remedy(
        breach=breach,
        remedied_on=remedied_on,
        note="Textes et photos reçus par e-mail ; mise en ligne faite.",
        by=None,
        now=at(remedied_on, 17),
    )


def agency_claim(seller: Seller) -> None:
    """Atelier Céramique Loire paid the final invoice of its ended maintenance contract, then
    sent a registered letter claiming damages for a lost contact form: the claim's cap is
    half of the HT actually paid for the service that day (seed 002 art. 10), with the
    payment counted; and its written request for the site's archive, to deliver within the
    agency's usual delay (art. 7)."""
    from clausier.contracts.models import LiabilityClaim
    from clausier.invoicing.models import Invoice
    from clausier.payments import services as payment_services

    contract = Contract.objects.filter(seller=seller, reference=TERMINATED).first()
    if contract is None or LiabilityClaim.objects.filter(contract=contract).exists():
        return
    final = Invoice.objects.filter(
        seller=seller,
        client=contract.client,
        status="issued",
        notes__startswith=f"Facture de fin du contrat {contract.reference},",
    ).first()
    day = today()
    if final is not None and final.amount_paid < final.total_ttc:
        payment_services.record_invoice_payment(
            invoice=final,
            amount=final.total_ttc - final.amount_paid,
            paid_on=day,
            by=None,
            reference="VIR ATELIER CERAMIQUE LOIRE",
        )
    services.record_claim(
        contract=contract,
        received_on=day,
        sent_on=day - timedelta(days=2),
        tracking_number="1A 987 654 3210 9",
        description="Formulaire de contact inopérant pendant deux semaines : commandes perdues.",
        amount_claimed="2500",
        exclusions=["client_decision"],
        by=None,
    )
    if not contract.archive_requests.exists():
        services.record_archive_request(
            contract=contract, received_on=day, channel="letter", by=None
        )
