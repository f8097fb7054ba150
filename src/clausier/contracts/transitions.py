"""The state table of a contract.

``active`` -> ``notice_given`` (a notice not to renew received for the current term)
-> ``terminated`` (at the effective date); ``active`` -> ``expired`` (a term reached without
tacit renewal); ``active`` <-> ``suspended`` (collections: non-payment, seed 002 art. 6).
A notice may be withdrawn by agreement (``notice_given`` -> ``active``). ``terminated`` and
``expired`` are final. Later clauses (breach, insolvency, force majeure) end in
``terminated`` too, with their own reason code.
"""

from __future__ import annotations

from typing import Final

from clausier.kernel.errors import InvalidTransition

ACTIVE, NOTICE_GIVEN, TERMINATED, EXPIRED, SUSPENDED = (
    "active",
    "notice_given",
    "terminated",
    "expired",
    "suspended",
)

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    ACTIVE: frozenset({NOTICE_GIVEN, TERMINATED, EXPIRED, SUSPENDED}),
    NOTICE_GIVEN: frozenset({ACTIVE, TERMINATED}),
    SUSPENDED: frozenset({ACTIVE, NOTICE_GIVEN, TERMINATED, EXPIRED}),
    TERMINATED: frozenset(),
    EXPIRED: frozenset(),
}

# The states in which the contract runs (renewed at term, notices received).
RUNNING: Final = frozenset({ACTIVE, NOTICE_GIVEN, SUSPENDED})
# The states in which a notice not to renew may still be given.
NOTICE_OPEN: Final = frozenset({ACTIVE, SUSPENDED})

ACTIONS: Final[dict[str, str]] = {
    NOTICE_GIVEN: "give_notice",
    TERMINATED: "terminate",
    SUSPENDED: "suspend",
    ACTIVE: "resume",
    EXPIRED: "expire",
}

# Why a contract ended (``Contract.end_reason``).
NOTICE_AT_TERM = "notice_at_term"  # seed 002 art. 7: notice received in time
CHATEL_ANY_TIME = "chatel_any_time"  # C. conso. L215-1 al. 2: information not sent in time
NOT_RENEWED = "not_renewed"  # a contract without tacit renewal reached its term
WITHDRAWAL = "withdrawal"  # C. conso. L221-18: the consumer withdrew from the order

# End reasons whose sums are settled elsewhere: a withdrawal's order is credited by invoicing
# (L221-24, L221-25), so the contract's end leaves no final invoice nor refund of its own.
SETTLED_ELSEWHERE: Final = frozenset({WITHDRAWAL})
BREACH = "breach"  # seed 002 art. 7: a breach not remedied within 10 jours ouvrés
FORCE_MAJEURE = "force_majeure"  # seed 002 art. 8: beyond 15 jours ouvrés after notification
PRICE_REFUSED = "price_refused"  # seed 002 art. 12b: the client refused the revised price
PRICE_NOT_ACCEPTED = "price_not_accepted"  # art. 12b: the revised price unanswered at term
INSOLVENCY = "insolvency"  # art. 7 al. 3: formal notice to the administrator unanswered

# A price revision proposed at term (seed 002 art. 12b): ``proposed`` -> ``accepted`` or
# ``refused`` (the client's answer, by the term's end), or ``lapsed`` (unanswered at term).
# Accepted, the contract renews at term with the new amounts; refused or lapsed, it ends at
# term. All three are final.
REVISION_PROPOSED, REVISION_ACCEPTED, REVISION_REFUSED, REVISION_LAPSED = (
    "proposed",
    "accepted",
    "refused",
    "lapsed",
)
REVISION_TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    REVISION_PROPOSED: frozenset({REVISION_ACCEPTED, REVISION_REFUSED, REVISION_LAPSED}),
    REVISION_ACCEPTED: frozenset(),
    REVISION_REFUSED: frozenset(),
    REVISION_LAPSED: frozenset(),
}
# What each answer to a revision does at term: the end reason when it ends the contract.
REVISION_END_REASONS: Final = {
    REVISION_REFUSED: PRICE_REFUSED,
    REVISION_PROPOSED: PRICE_NOT_ACCEPTED,
}


def check(*, label: str, current: str, target: str) -> None:
    allowed = TRANSITIONS[current]
    if target not in allowed:
        raise InvalidTransition(label, current, target, set(allowed))


def check_revision(*, label: str, current: str, target: str) -> None:
    allowed = REVISION_TRANSITIONS[current]
    if target not in allowed:
        raise InvalidTransition(label, current, target, set(allowed))


def allowed_actions(contract) -> list[str]:
    """What a screen may offer on ``contract``."""
    return [ACTIONS[target] for target in sorted(TRANSITIONS[contract.status])]


# --- liability claims (seed 002 art. 10) --------------------------------------------------
# ``received`` -> ``under_review`` -> ``accepted`` | ``rejected``; an accepted claim is
# ``settled`` once the decided amount is paid. ``rejected`` and ``settled`` are final.
RECEIVED, UNDER_REVIEW, ACCEPTED, REJECTED, SETTLED = (
    "received",
    "under_review",
    "accepted",
    "rejected",
    "settled",
)
CLAIM_TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    RECEIVED: frozenset({UNDER_REVIEW, REJECTED}),
    UNDER_REVIEW: frozenset({ACCEPTED, REJECTED}),
    ACCEPTED: frozenset({SETTLED}),
    REJECTED: frozenset(),
    SETTLED: frozenset(),
}
# A claim still open: its cap may be measured again.
CLAIM_OPEN: Final = frozenset({RECEIVED, UNDER_REVIEW, ACCEPTED})

# --- site archive requests (seed 002 art. 7) ----------------------------------------------
REQUESTED, DELIVERED = "requested", "delivered"
ARCHIVE_TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    REQUESTED: frozenset({DELIVERED}),
    DELIVERED: frozenset(),
}
# The contract states in which its site archive may be asked (ended, or ending under notice).
ARCHIVE_OPEN: Final = frozenset({TERMINATED, EXPIRED, NOTICE_GIVEN})


def claim_actions(claim) -> list[str]:
    """The statuses a screen may offer a liability claim."""
    return sorted(CLAIM_TRANSITIONS[claim.status])


def archive_actions(request) -> list[str]:
    """What a screen may offer an archive request (``deliver`` while requested)."""
    return ["deliver"] if DELIVERED in ARCHIVE_TRANSITIONS[request.status] else []


def check_claim(*, current: str, target: str) -> None:
    allowed = CLAIM_TRANSITIONS[current]
    if target not in allowed:
        raise InvalidTransition("réclamation", current, target, set(allowed))


# A confidentiality agreement (``Nda``, seed 002 art. 9): requested -> signed | declined.
NDA_REQUESTED, NDA_SIGNED, NDA_DECLINED = "requested", "signed", "declined"
NDA_TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    NDA_REQUESTED: frozenset({NDA_SIGNED, NDA_DECLINED}),
    NDA_SIGNED: frozenset(),
    NDA_DECLINED: frozenset(),
}
NDA_ACTIONS: Final[dict[str, str]] = {NDA_SIGNED: "sign", NDA_DECLINED: "decline"}


def nda_allowed_actions(nda) -> list[str]:
    """What a screen may offer on a confidentiality agreement."""
    return [NDA_ACTIONS[target] for target in sorted(NDA_TRANSITIONS[nda.status])]


# A domain name registered for a client (seed 002 art. 11): ``active`` -> ``renewal_due``
# (its renewal recorded, invoicing answering) -> ``active`` (renewed: its expiry one term
# on); ``released`` at its expiry once its contract has ended; ``transferred`` out at the
# client's request. ``released`` and ``transferred`` are final.
DOMAIN_ACTIVE, RENEWAL_DUE, RELEASED, TRANSFERRED = (
    "active",
    "renewal_due",
    "released",
    "transferred",
)
DOMAIN_TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    DOMAIN_ACTIVE: frozenset({RENEWAL_DUE, RELEASED, TRANSFERRED}),
    RENEWAL_DUE: frozenset({DOMAIN_ACTIVE, RELEASED, TRANSFERRED}),
    RELEASED: frozenset(),
    TRANSFERRED: frozenset(),
}
DOMAIN_HELD: Final = frozenset({DOMAIN_ACTIVE, RENEWAL_DUE})

# A restore from a backup (seed 002 art. 11, the backup option): ``requested`` -> ``done``
# (billed the clause's flat fee) or ``refused``; both final.
REQUESTED, DONE, REFUSED = "requested", "done", "refused"
RESTORE_TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    REQUESTED: frozenset({DONE, REFUSED}),
    DONE: frozenset(),
    REFUSED: frozenset(),
}
RESTORE_ACTIONS: Final[dict[str, str]] = {DONE: "done", REFUSED: "refuse"}


def check_domain(*, label: str, current: str, target: str) -> None:
    allowed = DOMAIN_TRANSITIONS[current]
    if target not in allowed:
        raise InvalidTransition(label, current, target, set(allowed))


def check_restore(*, label: str, current: str, target: str) -> None:
    allowed = RESTORE_TRANSITIONS[current]
    if target not in allowed:
        raise InvalidTransition(label, current, target, set(allowed))


def allowed_restore_actions(request) -> list[str]:
    """What a screen may offer on a restore request."""
    return [RESTORE_ACTIONS[target] for target in sorted(RESTORE_TRANSITIONS[request.status])]


def allowed_domain_actions(domain) -> list[str]:
    """What a screen may offer on a domain name (staff: record its transfer out)."""
    return ["transfer"] if TRANSFERRED in DOMAIN_TRANSITIONS[domain.status] else []
