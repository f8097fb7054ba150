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
}


def role_can(role: str, permission: str) -> bool:
    try:
        return role in PERMISSIONS[permission]
    except KeyError:
        raise ValueError(f"unknown permission {permission!r}") from None
