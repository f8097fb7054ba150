"""A contract's life: opened (from an accepted quote's recurring lines, an activated online
order, or by staff), its terms renewed by tacit renewal day after day, ended at a term after
a notice (or at any time for a consumer not told of the renewal in time), with its final sums.

Each write locks the contract's row, records one audit event, and a termination publishes
:class:`~clausier.contracts.events.ContractTerminated` in its transaction."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clausier.audit.services import record_on
from clausier.audit.triggers import Trigger
from clausier.contracts import domain
from clausier.contracts import transitions as t
from clausier.contracts.events import ContractTerminated
from clausier.contracts.models import Contract, ContractLine, LineKind, Party, PriceRevision
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.events import publish
from clausier.orders.models import Order
from clausier.rules.money import CENT, ZERO
from clausier.terms.models import TermsVersion
from clausier.terms.schemas import ClauseKind
from clausier.terms.selectors import clause_of_kind


def _renewal_terms(version: TermsVersion) -> tuple[bool, int, str]:
    """Tacit renewal, notice months and their source, from the terms' renewal clause (seed
    002 art. 7). Terms without one set no notice period (never another seller's clause):
    the contract runs period after period and a notice ends it at the end of the period in
    which it is received."""
    clause = clause_of_kind(version=version, kind=ClauseKind.CONTRACT_RENEWAL)
    if clause is None:
        return True, domain.NO_NOTICE_MONTHS, f"CGV {version.label}"
    params = clause.parameters or {}
    notice = params.get("notice") or {}
    months = notice.get("n", 0) if notice.get("unit") == "mois" else 0
    if notice.get("unit") == "an":
        months = 12 * notice.get("n", 0)
    return bool(params.get("tacit", True)), int(months), f"CGV {version.label} {clause.article}"


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (ArithmeticError, ValueError):
        raise ValidationError({field: _("montant attendu")}) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError({field: _("montant positif ou nul attendu")})
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _check_lines(lines: list[dict[str, Any]]) -> None:
    if not lines:
        raise ValidationError({"lines": _("un contrat a au moins une prestation récurrente")})
    for line in lines:
        if line.get("kind") not in LineKind.values:
            raise ValidationError({"lines": _("nature de prestation inconnue")})
        if not str(line.get("description") or "").strip():
            raise ValidationError({"lines": _("désignation obligatoire")})


@transaction.atomic
def open_contract(
    *,
    seller,
    client,
    reference: str,
    start_on: date,
    period_months: int,
    lines: list[dict[str, Any]],
    terms_version: TermsVersion,
    order: Order | None = None,
    by: Actor,
    trigger: Trigger | None = None,
) -> Contract:
    """A contract of ``client`` from ``start_on`` for periods of ``period_months``, renewed
    as the terms' renewal clause says, with ``lines`` (``kind``, ``description``,
    ``amount_ht`` per period, ``vat_rate``, ``paid_through``, ``order_line``)."""
    if not isinstance(period_months, int) or not 1 <= period_months <= 120:
        raise ValidationError({"period_months": _("durée d'une période : 1 à 120 mois")})
    if not isinstance(start_on, date) or isinstance(start_on, datetime):
        raise ValidationError({"start_on": _("date attendue (AAAA-MM-JJ)")})
    _check_lines(lines)
    if Contract.objects.filter(seller=seller, reference=reference).exists():
        raise ValidationError({"reference": _("un contrat porte déjà cette référence")})
    tacit, notice_months, source = _renewal_terms(terms_version)
    term_start, term_end = domain.term_of(start_on=start_on, period_months=period_months, index=0)
    contract = Contract.objects.create(
        seller=seller,
        client=client,
        order=order,
        reference=reference,
        consumer=not client.is_professional,
        start_on=start_on,
        period_months=period_months,
        term_start=term_start,
        term_end=term_end,
        tacit_renewal=tacit,
        notice_months=notice_months,
        notice_source=source,
        terms_version=terms_version,
        terms_label=terms_version.label,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    ContractLine.objects.bulk_create(
        ContractLine(
            contract=contract,
            position=position,
            kind=line["kind"],
            description=str(line["description"]).strip(),
            amount_ht=_money(line.get("amount_ht", 0), "amount_ht"),
            vat_rate=Decimal(str(line.get("vat_rate", 0))),
            paid_through=line.get("paid_through"),
            order_line=line.get("order_line"),
        )
        for position, line in enumerate(lines)
    )
    record_on(
        obj=contract,
        actor=by,
        verb="contract.opened",
        after={
            "client": str(client),
            "start_on": start_on.isoformat(),
            "period_months": period_months,
            "term_end": term_end.isoformat(),
            "order": order.reference if order else "",
        },
        trigger=trigger,
    )
    return contract


def _period_amount(line, months: int) -> Decimal:
    """A recurring line's HT amount per period of ``months``: its amount over the months it
    covers, times the period's (nothing for a metered service, billed on its consumption)."""
    covered = domain.months_of(line.unit, line.quantity)
    if line.unit == "metered" or not covered:
        return ZERO
    return (line.amount_ht * months / covered).quantize(CENT, rounding=ROUND_HALF_UP)


def _prepaid_through(order: Order, line, start_on: date) -> date | None:
    """The last day a line of an order is paid (or invoiced) for: the months it covers from
    ``start_on``. An online order is paid first (seed 000 art. 4); an order from an accepted
    quote is invoiced in full by the order's own invoices (deposit and balance), so its
    recurring lines' first months are never billed again at the contract's end. None for an
    unpaid online order or a metered service (billed on its consumption)."""
    covered = domain.months_of(line.unit, line.quantity)
    invoiced = order.paid_at is not None or order.quote_id is not None
    if not invoiced or line.unit == "metered" or not covered:
        return None
    return domain.add_months(start_on, covered) - timedelta(days=1)


@transaction.atomic
def open_for_order(*, order: Order, start_on: date, by: Actor, trigger: Trigger) -> Contract | None:
    """The contract of ``order``'s recurring lines (counted by the month or the year), once;
    None when the order has none. An order made from a quote starts the contract on the day
    given (the acceptance); an online order on its service's activation."""
    existing = Contract.objects.filter(order=order).first()
    if existing is not None:
        return existing
    lines = list(order.lines.order_by("position", "id"))
    months = domain.recurring_period([(line.unit, line.quantity) for line in lines])
    if months is None:
        return None
    recurring = [line for line in lines if line.unit in domain.PERIOD_MONTHS]
    contract = open_contract(
        seller=order.seller,
        client=order.client,
        reference=order.reference,
        start_on=start_on,
        period_months=months,
        lines=[
            {
                "kind": domain.kind_of(line.description),
                "description": line.description,
                "amount_ht": _period_amount(line, months),
                "vat_rate": line.vat_rate,
                "order_line": line,
                "paid_through": _prepaid_through(order, line, start_on),
            }
            for line in recurring
        ],
        terms_version=order.terms_version,
        order=order,
        by=by,
        trigger=trigger,
    )
    _keep_quote_confidential(contract, order)
    return contract


def _keep_quote_confidential(contract: Contract, order: Order) -> None:
    """Seed 002 art. 9: the clauses of a signed quote are confidential, and so are those of the
    contract made from it: a confidential quote's contract is read by the same named staff."""
    quote = order.quote
    if quote is None or not quote.confidential:
        return
    contract.confidential = True
    contract.save(update_fields=["confidential", "updated_at"])
    contract.confidential_staff.set(quote.confidential_staff.all())


def _locked(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().get(pk=contract.pk)


def _renew(
    contract: Contract, *, today: date, by: Actor, revision: PriceRevision | None = None
) -> None:
    """The current term ended without notice: the next one starts (tacit renewal, or the
    client's acceptance of a revised price: ``revision``'s amounts from the new term, a new
    version of the contract). A consumer not told in time (C. conso. L215-1) may end it at
    any time from now on."""
    index = domain.term_index(
        start_on=contract.start_on,
        period_months=contract.period_months,
        term_start=contract.term_start,
    )
    before = {
        "term_start": contract.term_start.isoformat(),
        "term_end": contract.term_end.isoformat(),
    }
    free_from = None
    if contract.consumer:
        deadline = domain.deadline_of(
            term_end=contract.term_end,
            months=contract.notice_months,
            calendar=domain.contract_calendar(),
        ).value
        letter = (
            contract.renewal_letters.filter(term_end=contract.term_end)
            .exclude(message_id="")
            .first()
        )
        told = domain.letter_in_time(
            notice_deadline_on=deadline, sent_on=letter.sent_on if letter else None
        )
        if not told.value:
            free_from = contract.term_end + timedelta(days=1)
    contract.term_start, contract.term_end = domain.term_of(
        start_on=contract.start_on, period_months=contract.period_months, index=index + 1
    )
    fields = ["term_start", "term_end", "updated_at"]
    if contract.consumer:
        contract.free_termination_from = free_from
        fields.append("free_termination_from")
    contract.save(update_fields=fields)
    after = {
        "term_start": contract.term_start.isoformat(),
        "term_end": contract.term_end.isoformat(),
    }
    if revision is not None:
        before["version"] = contract.version
        after.update(_apply_revision(contract, revision))
    if free_from is not None:
        after["free_termination_from"] = free_from.isoformat()
        moved = _free_pending_notice(contract, free_from=free_from)
        if moved is not None:
            after["notice_effective_on"] = moved.isoformat()
    verb = "contract.renewed" if revision is None else "contract.renewed_at_new_price"
    record_on(obj=contract, actor=by, verb=verb, before=before, after=after)


def _apply_revision(contract: Contract, revision: PriceRevision) -> dict[str, Any]:
    """The accepted amounts carried by ``contract``'s lines from the new term (called by the
    daily job under the contract's lock, inside its renewal): a new version of the contract,
    the former amounts kept on ``revision``. Returns what the renewal's audit records."""
    new = {str(row["line"]): Decimal(row["new"]) for row in revision.lines}
    for line in contract.lines.select_for_update():
        if str(line.pk) in new and new[str(line.pk)] != line.amount_ht:
            line.amount_ht = new[str(line.pk)]
            line.save(update_fields=["amount_ht"])
    contract.version = revision.version_before + 1
    contract.save(update_fields=["version", "updated_at"])
    return {
        "version": contract.version,
        "revision": revision.pk,
        "new_total_ht": str(revision.new_total_ht),
    }


def _free_pending_notice(contract: Contract, *, free_from: date) -> date | None:
    """A consumer's late notice pending when the renewal frees them (C. conso. L215-1
    al. 2): it now ends the contract the day after it was sent, not before ``free_from``.
    Returns the new effective date, None when no client's notice was pending."""
    if contract.status != t.NOTICE_GIVEN:
        return None
    notice = (
        contract.notices.select_for_update()
        .filter(given_by=Party.CLIENT)
        .order_by("effective_on", "id")
        .first()
    )
    if notice is None:
        return None
    effective = domain.freed_effective_on(
        sent_on=notice.sent_on or notice.received_on, free_from=free_from
    )
    if effective >= notice.effective_on:
        return None
    notice.effective_on = effective
    notice.save(update_fields=["effective_on"])
    return effective


@transaction.atomic
def advance(*, contract: Contract, today: date, by: Actor = None) -> Contract:
    """``contract`` brought to ``today`` (idempotent, the daily job): each term ended before
    today is renewed by tacit renewal, unless a notice ends the contract at that term (or
    earlier, for a consumer free to end at any time), or the contract has no tacit renewal
    (it expires), or a revised price was proposed for that term and not accepted (seed 002
    art. 12b: it ends at the term). A breach not remedied by its deadline ends it on that
    deadline."""
    contract = _locked(contract)
    while contract.status in t.RUNNING:
        breach = (
            contract.breaches.filter(remedied_on__isnull=True, ends_on__lt=today)
            .order_by("ends_on", "id")
            .first()
        )
        notice = contract.notices.order_by("effective_on", "id").first()
        notice_first = (
            contract.status == t.NOTICE_GIVEN
            and notice is not None
            and notice.effective_on <= (breach.ends_on if breach else notice.effective_on)
        )
        if breach is not None and not notice_first and breach.ends_on <= contract.term_end:
            # Seed 002 art. 7: the breach not remedied in time ends the contract.
            return terminate(contract=contract, effective_on=breach.ends_on, reason=t.BREACH, by=by)
        if contract.status == t.NOTICE_GIVEN and notice is not None and notice.effective_on < today:
            return terminate(
                contract=contract,
                effective_on=notice.effective_on,
                reason=domain.end_reason(
                    consumer=contract.consumer,
                    effective_on=notice.effective_on,
                    term_end=notice.term_end,
                ),
                by=by,
            )
        if contract.term_end >= today:
            break
        revision = contract.price_revisions.filter(term_end=contract.term_end).first()
        if revision is not None and revision.status != t.REVISION_ACCEPTED:
            return _end_for_revision(contract, revision, by=by)
        if not contract.tacit_renewal and revision is None:
            return terminate(
                contract=contract,
                effective_on=contract.term_end,
                reason=t.NOT_RENEWED,
                by=by,
            )
        _renew(contract, today=today, by=by, revision=revision)
    return contract


def _end_for_revision(contract: Contract, revision: PriceRevision, *, by: Actor) -> Contract:
    """Seed 002 art. 12b: the revised price refused, or unanswered at term (the revision
    lapses), the tacit renewal is void and the contract ends at the term, its prepaid
    services not yet performed refunded pro rata temporis."""
    reason = t.REVISION_END_REASONS[revision.status]
    if revision.status == t.REVISION_PROPOSED:
        t.check_revision(label=str(revision), current=revision.status, target=t.REVISION_LAPSED)
        revision = PriceRevision.objects.select_for_update().get(pk=revision.pk)
        revision.status = t.REVISION_LAPSED
        revision.save(update_fields=["status"])
    return terminate(contract=contract, effective_on=contract.term_end, reason=reason, by=by)


@transaction.atomic
def terminate(
    *,
    contract: Contract,
    effective_on: date,
    reason: str,
    by: Actor,
    now: datetime | None = None,
    trigger: Trigger | None = None,
) -> Contract:
    """``contract`` ended on ``effective_on`` (its last day served) for ``reason``: its final
    sums computed line by line (work done and not paid owed, prepaid days after it
    refunded, pro rata temporis; a domain name payable to its term's end), frozen with their
    explanation, and :class:`ContractTerminated` published. A contract without tacit
    renewal reaching its term (``reason`` ``not_renewed``) ends ``expired``, the same way."""
    at = aware_now(now)
    contract = _locked(contract)
    status = t.EXPIRED if reason == t.NOT_RENEWED else t.TERMINATED
    t.check(label=str(contract), current=contract.status, target=status)
    if effective_on < contract.term_start - timedelta(days=1):
        raise ValidationError(
            {"effective_on": _("la fin ne peut pas précéder le début de la période en cours")}
        )
    term_start, term_end = contract.term_start, contract.term_end
    if effective_on < term_start:
        # Ended at an earlier term (a notice recorded after the renewal): that term's sums.
        term_start, term_end = domain.term_containing(
            start_on=contract.start_on, period_months=contract.period_months, day=effective_on
        )
    lines = list(contract.lines.all())
    sums = domain.final_sums(
        lines=tuple(
            domain.LineFacts(
                key=str(line.pk),
                kind=line.kind,
                amount=line.amount_ht,
                paid_through=line.paid_through,
            )
            for line in lines
        ),
        term_start=term_start,
        term_end=term_end,
        effective_on=effective_on,
    )
    if reason in t.SETTLED_ELSEWHERE:
        sums = [replace(s, owed=ZERO, refund=ZERO) for s in sums]
    owed = sum((s.owed for s in sums), ZERO)
    refund = sum((s.refund for s in sums), ZERO)
    before = {"status": contract.status}
    contract.status, contract.end_reason, contract.ended_on = status, reason, effective_on
    contract.final_amount_ht, contract.refund_amount_ht = owed, refund
    contract.end_explanation = {
        "lines": [
            {
                "line": s.key,
                "served_through": s.served_through.isoformat(),
                "owed": str(s.owed),
                "refund": str(s.refund),
                "explanations": [e.as_dict() for e in s.explanations],
            }
            for s in sums
        ]
    }
    contract.save(
        update_fields=[
            "status",
            "end_reason",
            "ended_on",
            "final_amount_ht",
            "refund_amount_ht",
            "end_explanation",
            "updated_at",
        ]
    )
    record_on(
        obj=contract,
        actor=by,
        verb="contract.terminated" if status == t.TERMINATED else "contract.expired",
        before=before,
        after={
            "status": status,
            "ended_on": effective_on.isoformat(),
            "end_reason": reason,
            "final_amount_ht": str(owed),
            "refund_amount_ht": str(refund),
        },
        trigger=trigger,
    )
    publish(
        ContractTerminated(
            contract_id=contract.pk,
            reference=contract.reference,
            seller_id=contract.seller_id,
            client_id=contract.client_id,
            order_id=contract.order_id,
            terms_version_id=contract.terms_version_id,
            effective_on=effective_on,
            reason=reason,
            final_amount_ht=owed,
            refund_amount_ht=refund,
            lines=tuple(
                domain.EndedLine(
                    description=line.description,
                    kind=line.kind,
                    vat_rate=line.vat_rate,
                    owed_from=s.owed_from,
                    served_through=s.served_through,
                    owed=s.owed,
                    refund=s.refund,
                )
                for line, s in zip(lines, sums, strict=True)
            ),
            at=at,
            by=by,
        )
    )
    return contract
