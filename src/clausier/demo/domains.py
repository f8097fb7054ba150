"""The agency's domain names and restores (seed 002 art. 11), dated relative to today:
Nadia Lefèvre's domain name registered for her hosting contract, in the agency's name, and
a restore of her site from a backup, done and billed the clause's 79 € flat. Through the
services; each looks up before it writes, so loading twice changes nothing."""

from __future__ import annotations

from datetime import timedelta

from clausier.contracts import services
from clausier.contracts.models import Contract, Domain, LineKind, RestoreRequest
from clausier.demo.contracts import RENEWING
from clausier.demo.stories import at, today
from clausier.sellers.models import Seller

DOMAIN_NAME = "nadia-lefevre.fr"


def agency_domains(seller: Seller) -> None:
    contract = Contract.objects.filter(seller=seller, reference=RENEWING).first()
    if contract is None:
        return
    _domain(contract)
    _restore(contract)


def _domain(contract: Contract) -> None:
    """Registered the day the contract started: it expires with the term."""
    if Domain.objects.filter(seller=contract.seller, name=DOMAIN_NAME).exists():
        return
    services.register_domain(
        contract=contract,
        name=DOMAIN_NAME,
        registrar="Gandi",
        registered_on=contract.start_on,
        by=None,
        now=at(contract.start_on, 10),
    )


def _restore(contract: Contract) -> None:
    """With the backup option of her contract, a restore of last week's backup asked
    from the portal three days ago and done today: its flat fee invoiced."""
    if RestoreRequest.objects.filter(contract=contract).exists():
        return
    if not contract.lines.filter(kind=LineKind.BACKUP).exists():
        return
    asked = today() - timedelta(days=3)
    request = services.request_restore(
        contract=contract,
        backup_on=asked - timedelta(days=4),
        note="Une mise à jour a cassé la page d'accueil.",
        from_portal=True,
        by=None,
        now=at(asked, 9),
    )
    # Done now: its invoice comes after every invoice the demo issued before it (an issue
    # date never goes back in the series).
    services.finish_restore(request=request, by=None)
