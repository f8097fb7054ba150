"""Domain names registered for a client (seed 002 art. 11, clause ``domains.registration``):
recorded with their expiry (the clause's term from the registration day,
:func:`clausier.rules.domains.registration_expiry`), renewed ahead of it while their contract
runs (one renewal per domain and expiry, billed by invoicing through
:class:`~clausier.contracts.events.DomainRenewalDue`), released at their expiry once the
contract has ended, or transferred out."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import record_on
from clausier.contracts import selectors
from clausier.contracts import transitions as t
from clausier.contracts.events import DomainRenewalDue
from clausier.contracts.inputs import past_date
from clausier.contracts.models import (
    Contract,
    ContractLine,
    Domain,
    DomainRenewal,
    LineKind,
    RestoreRequest,
)
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict, DomainError
from clausier.kernel.events import publish
from clausier.rules.domains import (
    InvalidDomainName,
    normalise_name,
    registration_expiry,
    renewal_due_on,
)
from clausier.rules.money import CENT, ZERO
from clausier.terms.schemas import ClauseKind
from clausier.terms.selectors import clause_of_kind


def _registration_clause(contract: Contract):
    """The contract's terms' ``domains.registration`` clause, or a refusal naming it."""
    clause = clause_of_kind(version=contract.terms_version, kind=ClauseKind.DOMAINS_REGISTRATION)
    if clause is None:
        raise DomainError(
            _(
                "Les CGV %(terms)s du contrat ne prévoient pas l'enregistrement de noms de "
                "domaine (clause domains.registration absente)."
            )
            % {"terms": contract.terms_label}
        )
    return clause


def _registrant(contract: Contract, params: dict) -> str:
    if params.get("registrant") == "client":
        return str(contract.client)
    return contract.seller.legal_name or str(contract.seller)


def _clean_name(name: str) -> str:
    try:
        return normalise_name(name)
    except InvalidDomainName:
        raise ValidationError(
            {
                "name": _(
                    "nom de domaine invalide : des libellés de lettres, chiffres ou tirets "
                    "séparés par des points, avec une extension (exemple : boulangerie.fr)"
                )
            }
        ) from None


def _domain_line(contract: Contract, line: ContractLine | None) -> ContractLine | None:
    if line is not None:
        if line.contract_id != contract.pk or line.kind != LineKind.DOMAIN:
            raise ValidationError({"line": _("choisir une ligne « nom de domaine » du contrat")})
        return line
    return contract.lines.filter(kind=LineKind.DOMAIN).order_by("position", "id").first()


@transaction.atomic
def register_domain(
    *,
    contract: Contract,
    name: str,
    registrar: str,
    registered_on: date,
    line: ContractLine | None = None,
    by: Actor,
    now: datetime | None = None,
) -> Domain:
    """``name`` registered on ``registered_on`` for ``contract``'s client, through
    ``registrar``, in the name the clause says (seed 002: the seller's); it expires one
    clause term later and is renewed with its contract's domain line."""
    today = timezone.localdate(aware_now(now))
    contract = (
        Contract.objects.select_for_update().select_related("seller", "client").get(pk=contract.pk)
    )
    if contract.status not in t.RUNNING:
        raise DomainError(
            _("Le %(contract)s n'est plus en cours (%(status)s).")
            % {"contract": contract, "status": contract.get_status_display()}
        )
    clause = _registration_clause(contract)
    name = _clean_name(name)
    registrar = " ".join(str(registrar or "").split())
    if not registrar:
        raise ValidationError({"registrar": _("le bureau d'enregistrement est obligatoire")})
    registered_on = past_date(registered_on, "registered_on", today=today)
    if Domain.objects.filter(seller=contract.seller, name=name).exists():
        raise ValidationError({"name": _("ce nom de domaine est déjà au registre")})
    params = clause.parameters or {}
    expiry = registration_expiry(registered_on=registered_on, term=params.get("term", "P1Y"))
    expiry = expiry.citing(clause=clause.clause_id, terms=contract.terms_label)
    record = Domain.objects.create(
        seller=contract.seller,
        client=contract.client,
        contract=contract,
        line=_domain_line(contract, line),
        name=name,
        registrar=registrar[:120],
        registrant=_registrant(contract, params),
        registered_on=registered_on,
        expires_on=expiry.value,
        term=str(params.get("term", "P1Y")),
        clause_id=clause.clause_id,
        terms_label=contract.terms_label,
        explanation=expiry.as_dict(),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    record_on(
        obj=record,
        actor=by,
        verb="domain.registered",
        after={
            "contract": contract.reference,
            "registrar": record.registrar,
            "registered_on": registered_on.isoformat(),
            "expires_on": record.expires_on.isoformat(),
        },
    )
    return record


def _line_amount(record: Domain) -> tuple[Decimal, Decimal]:
    line = record.line
    if line is None:
        return ZERO.quantize(CENT), ZERO
    # The line is priced per contract period; a registration term is the clause's.
    return line.amount_ht.quantize(CENT), line.vat_rate


@transaction.atomic
def renew_if_due(
    *, domain: Domain, today: date, by: Actor = None, now: datetime | None = None
) -> DomainRenewal | None:
    """The renewal of ``domain`` for its current expiry when ``today`` has reached the
    renewal day and its contract runs, once per expiry (a second run finds it and does
    nothing); None otherwise. Priced, the renewal is invoiced (``DomainRenewalDue``) and
    the expiry moves one term on when invoicing records its invoice; free (no domain
    line), it moves at once."""
    record = (
        Domain.objects.select_for_update(of=("self",))
        .select_related("contract", "line", "seller")
        .get(pk=domain.pk)
    )
    if record.status != t.DOMAIN_ACTIVE or record.contract.status not in t.RUNNING:
        return None
    ends_on = _known_end(record.contract)
    if ends_on is not None and ends_on < record.expires_on:
        # The contract ends before this registration year does: the name is not renewed
        # (only the current registration stays payable after the end, seed 002 art. 11).
        return None
    if today < renewal_due_on(expires_on=record.expires_on, days_before=selectors.renewal_days()):
        return None
    if record.renewals.filter(expires_on=record.expires_on).exists():
        return None
    at = aware_now(now)
    renewed = registration_expiry(registered_on=record.expires_on, term=record.term).citing(
        clause=record.clause_id, terms=record.terms_label
    )
    amount, vat_rate = _line_amount(record)
    renewal = DomainRenewal.objects.create(
        domain=record,
        expires_on=record.expires_on,
        renewed_to=renewed.value,
        due_on=today,
        amount_ht=amount,
        vat_rate=vat_rate,
        explanation=renewed.as_dict(),
    )
    t.check_domain(label=str(record), current=record.status, target=t.RENEWAL_DUE)
    record.status = t.RENEWAL_DUE
    record.save(update_fields=["status"])
    record_on(
        obj=record,
        actor=by,
        verb="domain.renewal_due",
        after={
            "renewal": renewal.pk,
            "expires_on": renewal.expires_on.isoformat(),
            "renewed_to": renewal.renewed_to.isoformat(),
            "amount_ht": str(amount),
        },
    )
    if amount > 0:
        contract = record.contract
        publish(
            DomainRenewalDue(
                renewal_id=renewal.pk,
                domain_name=record.name,
                contract_reference=contract.reference,
                seller_id=record.seller_id,
                client_id=record.client_id,
                terms_version_id=contract.terms_version_id,
                expires_on=renewal.expires_on,
                renewed_to=renewal.renewed_to,
                amount_ht=amount,
                vat_rate=vat_rate,
                clause_id=record.clause_id,
                terms_label=record.terms_label,
                at=at,
                by=by,
            )
        )
    else:
        _renewed(record, renewal, by=by)
    return renewal


def _known_end(contract) -> date | None:
    """The day ``contract`` is already known to end, or None: a notice received (its
    effective date), or a revised price not accepted for the current term (art. 12b: the
    contract then ends at the term unless the client accepts)."""
    if contract.status == t.NOTICE_GIVEN:
        notice = contract.notices.order_by("effective_on").last()
        if notice is not None:
            return notice.effective_on
    revision = selectors.revision_of_term(contract=contract)
    if revision is not None and revision.status != t.REVISION_ACCEPTED:
        return contract.term_end
    return None


def _renewed(record: Domain, renewal: DomainRenewal, *, by: Actor) -> None:
    t.check_domain(label=str(record), current=record.status, target=t.DOMAIN_ACTIVE)
    record.status = t.DOMAIN_ACTIVE
    record.expires_on = renewal.renewed_to
    record.save(update_fields=["status", "expires_on"])
    if renewal.amount_ht > 0 and record.line_id is not None:
        # The renewal's invoice bills the domain line through the new expiry: the contract's
        # final sums must not bill those days again. (A line never billed keeps its unpaid
        # days: they are owed by the final invoice, the renewal covering only the next year.)
        line = ContractLine.objects.select_for_update().get(pk=record.line_id)
        if line.paid_through is not None and line.paid_through < renewal.renewed_to:
            line.paid_through = renewal.renewed_to
            line.save(update_fields=["paid_through"])
    record_on(
        obj=record,
        actor=by,
        verb="domain.renewed",
        after={"expires_on": renewal.renewed_to.isoformat(), "invoice": renewal.invoice_number},
    )


@transaction.atomic
def record_fee_invoice(
    *, subject: str, subject_id: int, seller_id: int, invoice_id: int, number: str, by: Actor
) -> None:
    """Invoicing made the invoice of a renewal (``domain_renewal``) or a restore
    (``restore``): kept with its row; a renewal invoiced moves the domain's expiry on."""
    if subject == "domain_renewal":
        renewal = (
            DomainRenewal.objects.select_for_update(of=("self",))
            .select_related("domain")
            .get(pk=subject_id, domain__seller_id=seller_id)
        )
        renewal.invoice_id, renewal.invoice_number = invoice_id, number
        renewal.save(update_fields=["invoice_id", "invoice_number"])
        record = Domain.objects.select_for_update().get(pk=renewal.domain_id)
        if record.status == t.RENEWAL_DUE and record.expires_on == renewal.expires_on:
            _renewed(record, renewal, by=by)
        return
    request = (
        RestoreRequest.objects.select_for_update(of=("self",))
        .select_related("contract__seller")
        .get(pk=subject_id, contract__seller_id=seller_id)
    )
    request.invoice_id, request.invoice_number = invoice_id, number
    request.save(update_fields=["invoice_id", "invoice_number"])
    record_on(
        obj=request.contract,
        actor=by,
        verb="contract.restore_invoiced",
        after={"restore": request.pk, "invoice": number},
    )


@transaction.atomic
def release_if_expired(*, domain: Domain, today: date, by: Actor = None) -> bool:
    """A domain whose contract has ended is released at its expiry (not renewed: its last
    registration year stayed payable, seed 002 art. 11); True if it was."""
    record = (
        Domain.objects.select_for_update(of=("self",)).select_related("contract").get(pk=domain.pk)
    )
    if record.status not in t.DOMAIN_HELD or record.contract.status in t.RUNNING:
        return False
    if today < record.expires_on:
        return False
    t.check_domain(label=str(record), current=record.status, target=t.RELEASED)
    record.status = t.RELEASED
    record.ended_on = record.expires_on
    record.save(update_fields=["status", "ended_on"])
    record_on(
        obj=record,
        actor=by,
        verb="domain.released",
        after={"ended_on": record.expires_on.isoformat(), "contract": record.contract.reference},
    )
    return True


@transaction.atomic
def record_transfer(
    *, domain: Domain, transferred_on: date, by: Actor, now: datetime | None = None
) -> Domain:
    """``domain`` transferred out to another registrar or holder on ``transferred_on``."""
    today = timezone.localdate(aware_now(now))
    record = Domain.objects.select_for_update().get(pk=domain.pk)
    if record.status not in t.DOMAIN_HELD:
        raise Conflict(_("Ce nom de domaine n'est plus au registre du prestataire."))
    transferred_on = past_date(transferred_on, "transferred_on", today=today)
    if transferred_on < record.registered_on:
        raise ValidationError(
            {"transferred_on": _("le transfert ne peut pas précéder l'enregistrement")}
        )
    t.check_domain(label=str(record), current=record.status, target=t.TRANSFERRED)
    record.status = t.TRANSFERRED
    record.ended_on = transferred_on
    record.save(update_fields=["status", "ended_on"])
    record_on(
        obj=record,
        actor=by,
        verb="domain.transferred",
        after={"ended_on": transferred_on.isoformat()},
    )
    return record
