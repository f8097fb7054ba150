"""The invoices of a contract's fees set by a clause (seed 002 art. 11): a domain name's
renewal (the contract's domain line for a registration term) and a restore from a backup
(the clause's flat fee). Each cites its clause and terms version on its line; the VAT follows
the seller's regime (none under the franchise en base, CGI 293 B). Answers
``ContractFeeInvoiced`` so that contracts keeps the invoice with its row."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction

from clausier.audit.triggers import Trigger
from clausier.catalog.domain import STANDARD_VAT_RATE
from clausier.catalog.units import Unit
from clausier.customers.models import Client
from clausier.invoicing.events import ContractFeeInvoiced
from clausier.invoicing.models import Invoice, InvoiceKind, InvoiceLine
from clausier.invoicing.services.automatic import issue_or_defer
from clausier.invoicing.services.drafts import new_draft
from clausier.invoicing.services.support import regime_for
from clausier.kernel.actor import Actor
from clausier.kernel.events import publish
from clausier.rules.money import ZERO
from clausier.sellers.models import Seller
from clausier.terms.models import TermsVersion


def _issue(
    *,
    subject: str,
    subject_id: int,
    seller_id: int,
    client_id: int,
    terms_version_id: int,
    description: str,
    amount_ht: Decimal,
    vat_rate: Decimal | None,
    notes: str,
    service_date: date,
    trigger: Trigger,
    by: Actor,
    now: datetime,
) -> Invoice:
    seller = Seller.objects.get(pk=seller_id)
    client = Client.objects.get(pk=client_id, seller_id=seller_id)
    charges_vat = regime_for(seller=seller, client=client, kind=InvoiceKind.STANDARD).charges_vat
    rate = (vat_rate if vat_rate else STANDARD_VAT_RATE.value) if charges_vat else ZERO
    draft = new_draft(
        seller=seller,
        client=client,
        kind=InvoiceKind.STANDARD,
        lines=[
            InvoiceLine(
                position=0,
                description=description,
                quantity=Decimal("1"),
                unit=Unit.FLAT,
                unit_price=amount_ht,
                vat_rate=rate,
            )
        ],
        by=by,
        terms_version=TermsVersion.objects.get(pk=terms_version_id, seller_id=seller_id),
        notes=notes,
        service_date=service_date,
        trigger=trigger,
    )
    invoice = issue_or_defer(invoice=draft, by=by, now=now, trigger=trigger)
    publish(
        ContractFeeInvoiced(
            subject=subject,
            subject_id=subject_id,
            invoice_id=invoice.pk,
            seller_id=seller_id,
            number=invoice.number or "",
            at=now,
            by=by,
        )
    )
    return invoice


@transaction.atomic
def invoice_domain_renewal(
    *,
    renewal_id: int,
    seller_id: int,
    client_id: int,
    terms_version_id: int,
    domain_name: str,
    contract_reference: str,
    expires_on: date,
    renewed_to: date,
    amount_ht: Decimal,
    vat_rate: Decimal,
    clause_id: str,
    terms_label: str,
    by: Actor,
    now: datetime,
) -> Invoice:
    """The renewal invoice of ``domain_name`` from ``expires_on`` to ``renewed_to``."""
    # Printed on the invoice, a French document whatever the reader's language.
    description = (
        f"Renouvellement du nom de domaine {domain_name} du {expires_on:%d/%m/%Y} au "
        f"{renewed_to:%d/%m/%Y} (contrat {contract_reference}, CGV {terms_label} art. 11, "
        f"clause {clause_id})"
    )
    return _issue(
        subject="domain_renewal",
        subject_id=renewal_id,
        seller_id=seller_id,
        client_id=client_id,
        terms_version_id=terms_version_id,
        description=description,
        amount_ht=amount_ht,
        vat_rate=vat_rate,
        notes=(
            "Enregistrement annuel du nom de domaine : les sommes restent dues jusqu'à la fin "
            f"de l'année d'enregistrement, même en cas de résiliation (CGV {terms_label} art. 11)"
        ),
        service_date=expires_on,
        trigger=Trigger.DOMAIN_RENEWAL_DUE,
        by=by,
        now=now,
    )


@transaction.atomic
def invoice_restore(
    *,
    request_id: int,
    seller_id: int,
    client_id: int,
    terms_version_id: int,
    contract_reference: str,
    backup_on: date,
    done_on: date,
    amount_ht: Decimal,
    label: str,
    clause_id: str,
    terms_label: str,
    by: Actor,
    now: datetime,
) -> Invoice:
    """The flat fee of a restore from the backup of ``backup_on``, done on ``done_on``."""
    # Printed on the invoice, a French document whatever the reader's language: the line
    # names the fee and its clause; the day it was done is the invoice's service date.
    description = f"{label} du {backup_on:%d/%m/%Y} (CGV {terms_label} art. 11, clause {clause_id})"
    return _issue(
        subject="restore",
        subject_id=request_id,
        seller_id=seller_id,
        client_id=client_id,
        terms_version_id=terms_version_id,
        description=description,
        amount_ht=amount_ht,
        vat_rate=None,
        notes="",
        service_date=done_on,
        trigger=Trigger.RESTORE_BILLABLE,
        by=by,
        now=now,
    )
