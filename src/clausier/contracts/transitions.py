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


def check(*, label: str, current: str, target: str) -> None:
    allowed = TRANSITIONS[current]
    if target not in allowed:
        raise InvalidTransition(label, current, target, set(allowed))


def allowed_actions(contract) -> list[str]:
    """What a screen may offer on ``contract``."""
    return [ACTIONS[target] for target in sorted(TRANSITIONS[contract.status])]


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
