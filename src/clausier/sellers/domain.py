"""Who may do what at a seller: the role -> permission table (pure)."""

from __future__ import annotations

from typing import Final

OWNER, SALES, ACCOUNTING, SUPPORT, ONCALL, ACCOUNTANT = (
    "owner",
    "sales",
    "accounting",
    "support",
    "oncall",
    "accountant",
)
ALL_ROLES: Final = frozenset({OWNER, SALES, ACCOUNTING, SUPPORT, ONCALL, ACCOUNTANT})

# Every staff role reads; writes are narrower. The read-only accountant never writes.
PERMISSIONS: Final[dict[str, frozenset[str]]] = {
    "seller.view": ALL_ROLES,
    "clients.view": ALL_ROLES,
    "clients.edit": frozenset({OWNER, SALES, ACCOUNTING, SUPPORT}),
    "terms.view": ALL_ROLES,
    "terms.edit": frozenset({OWNER}),
    "acceptances.record": frozenset({OWNER, SALES}),
    "audit.view": frozenset({OWNER, ACCOUNTING, ACCOUNTANT}),
    "api_tokens.manage": frozenset({OWNER}),
    "catalog.view": ALL_ROLES,
    "catalog.edit": frozenset({OWNER, SALES}),
    "quotes.view": ALL_ROLES,
    # Drafting, sending, revising, withdrawing a quote and recording the client's refusal.
    "quotes.edit": frozenset({OWNER, SALES}),
    # An acceptance received by email or by post binds the client: sales and the owner only.
    "quotes.record_acceptance": frozenset({OWNER, SALES}),
    "orders.view": ALL_ROLES,
    # Recording the deposit or an online payment received or failed (accounting sees the
    # bank), validating an online order, starting work or activating the service.
    "orders.edit": frozenset({OWNER, SALES, ACCOUNTING}),
    # Cancelling an order undoes a contract with the client: a commercial decision.
    "orders.cancel": frozenset({OWNER, SALES}),
    # Invoices: everyone reads the ledger (the external accountant too, and exports it);
    # drafts, issue, credit notes and payments received are the books, kept by the owner and
    # accounting; sending an issued invoice again to the client is a courtesy sales may do.
    "invoices.view": ALL_ROLES,
    "invoices.edit": frozenset({OWNER, ACCOUNTING}),
    "invoices.send": frozenset({OWNER, SALES, ACCOUNTING}),
    # Outgoing webhooks: the delivery log (no secret) for whoever runs the platform, a
    # delivery sent again by on-call, endpoints and their signing secrets by the owner.
    "webhooks.view": frozenset({OWNER, SUPPORT, ONCALL}),
    "webhooks.retry": frozenset({OWNER, ONCALL}),
    "webhooks.manage": frozenset({OWNER}),
}


def role_can(role: str, permission: str) -> bool:
    try:
        return role in PERMISSIONS[permission]
    except KeyError:
        raise ValueError(f"unknown permission {permission!r}") from None
