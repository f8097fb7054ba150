"""What the contracts' screens show beyond the rows: each contract's clock (its term, the
last day to give notice with its explanation, the consumer's renewal information window and
whether the letter left in it), and what terminating today would do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clausier.contracts import domain
from clausier.contracts import transitions as t
from clausier.contracts.models import Contract, PriceRevision, RenewalLetter
from clausier.rules.calendar import FrenchCalendar
from clausier.rules.explain import Explained


@dataclass(frozen=True)
class Clock:
    term_end: date
    deadline: Explained
    chatel: tuple[date, date] | None
    letter: RenewalLetter | None
    free_termination_from: date | None
    today: date | None = None
    # A revised price proposed for this term (seed 002 art. 12b): no tacit renewal at it.
    revision: PriceRevision | None = None

    @property
    def chatel_state(self) -> str:
        """``sent`` (in the window), ``late`` (sent after it), ``due`` (window open, not
        sent), ``waiting`` (window not open), ``missed`` (closed, not sent), or ``""``."""
        if self.chatel is None:
            return ""
        if self.letter is not None:
            return "sent" if self.letter.in_time else "late"
        earliest, latest = self.chatel
        if self.today is None or self.today < earliest:
            return "waiting"
        return "due" if self.today <= latest else "missed"


def clock(contract: Contract, *, today: date | None = None) -> Clock:
    deadline = domain.deadline_of(
        term_end=contract.term_end, months=contract.notice_months, calendar=FrenchCalendar()
    )
    chatel = None
    letter = None
    if contract.consumer and contract.tacit_renewal:
        chatel = domain.chatel_window(notice_deadline=deadline.value).value
        letter = next(
            (
                x
                for x in contract.renewal_letters.all()
                if x.term_end == contract.term_end and x.sent
            ),
            None,
        )
    return Clock(
        term_end=contract.term_end,
        deadline=deadline,
        chatel=chatel,
        letter=letter,
        free_termination_from=contract.free_termination_from,
        today=today,
        revision=next(
            (r for r in contract.price_revisions.all() if r.term_end == contract.term_end), None
        ),
    )


def termination_preview(contract: Contract, *, today: date) -> domain.NoticeDecision | None:
    """What a notice given today would decide; None when the contract takes none."""
    if contract.status not in t.NOTICE_OPEN:
        return None
    return domain.decide_notice(
        contract=domain.ContractFacts.of(contract),
        received_on=today,
        sent_on=today,
        calendar=FrenchCalendar(),
    )


def revision_consequence(revision: PriceRevision) -> dict:
    """What each answer to ``revision`` does, for the portal's confirmation step."""
    return {
        "term_end": revision.term_end,
        "current_total_ht": revision.current_total_ht,
        "new_total_ht": revision.new_total_ht,
        "lines": revision.lines,
    }


def insolvency_warning(contract: Contract, *, today: date):
    """The legal lint's warning on the contract's insolvency clause (C. com. L622-13,
    L641-11-1), shown beside the insolvency form; None when its terms have none."""
    from clausier.terms.selectors import lint_version

    findings = lint_version(version=contract.terms_version, on=today)
    return next((f for f in findings if f.code == "insolvency.mandatory_law"), None)


def revision_as_api(revision: PriceRevision | None) -> dict | None:
    if revision is None:
        return None
    return {
        "id": revision.pk,
        "term_end": revision.term_end,
        "status": revision.status,
        "reason": revision.reason,
        "proposed_on": revision.proposed_on,
        "decided_on": revision.decided_on,
        "current_total_ht": revision.current_total_ht,
        "new_total_ht": revision.new_total_ht,
        "lines": revision.lines,
    }


def may_terminate_online(contract: Contract) -> bool:
    return contract.status in t.NOTICE_OPEN


def as_api(contract: Contract) -> dict:
    shown = clock(contract)
    return {
        "id": contract.pk,
        "reference": contract.reference,
        "client_id": contract.client_id,
        "order_id": contract.order_id,
        "consumer": contract.consumer,
        "status": contract.status,
        "start_on": contract.start_on,
        "period_months": contract.period_months,
        "term_start": contract.term_start,
        "term_end": contract.term_end,
        "tacit_renewal": contract.tacit_renewal,
        "notice_deadline": shown.deadline.value,
        "notice_source": contract.notice_source,
        "free_termination_from": contract.free_termination_from,
        "ended_on": contract.ended_on,
        "end_reason": contract.end_reason,
        "final_amount_ht": contract.final_amount_ht,
        "refund_amount_ht": contract.refund_amount_ht,
        "terms_version": contract.terms_label,
        "version": contract.version,
        "price_revision": revision_as_api(shown.revision),
        "lines": [
            {
                "id": line.pk,
                "kind": line.kind,
                "description": line.description,
                "amount_ht": line.amount_ht,
                "vat_rate": line.vat_rate,
                "paid_through": line.paid_through,
            }
            for line in contract.lines.all()
        ],
        "allowed_actions": t.allowed_actions(contract),
    }


def notice_as_api(notice) -> dict:
    return {
        name: getattr(notice, name)
        for name in (
            "given_by",
            "channel",
            "sent_on",
            "received_on",
            "tracking_number",
            "term_end",
            "deadline",
            "in_time",
            "effective_on",
        )
    } | {"id": notice.pk}


def claim_as_api(claim) -> dict:
    cap = (claim.explanation or {}).get("cap") or {}
    return {
        "id": claim.pk,
        "contract_id": claim.contract_id,
        "client_id": claim.contract.client_id,
        "received_on": claim.received_on,
        "sent_on": claim.sent_on,
        "tracking_number": claim.tracking_number,
        "amount_claimed": claim.amount_claimed,
        "status": claim.status,
        "decided_amount": claim.decided_amount,
        "exclusions": list(claim.exclusions),
        "paid_ht": claim.paid_ht,
        "cap_ht": claim.cap_ht,
        "cap_clause": cap.get("clause", ""),
        "terms_version": cap.get("terms", ""),
    }


def domain_as_api(domain) -> dict:
    return {
        "id": domain.pk,
        "name": domain.name,
        "client_id": domain.client_id,
        "contract_id": domain.contract_id,
        "registrar": domain.registrar,
        "registrant": domain.registrant,
        "status": domain.status,
        "registered_on": domain.registered_on,
        "expires_on": domain.expires_on,
        "term": domain.term,
        "clause": domain.clause_id,
        "terms_version": domain.terms_label,
        "ended_on": domain.ended_on,
    }
