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
    # Support tickets: everyone reads the queue; support, on-call and the owner answer,
    # qualify, classify and log time.
    "support.view": ALL_ROLES,
    "support.edit": frozenset({OWNER, SUPPORT, ONCALL}),
    # Outgoing webhooks: the delivery log (no secret) for whoever runs the platform, a
    # delivery sent again by on-call, endpoints and their signing secrets by the owner.
    "webhooks.view": frozenset({OWNER, SUPPORT, ONCALL}),
    "webhooks.retry": frozenset({OWNER, ONCALL}),
    "webhooks.manage": frozenset({OWNER}),
    # Mail in: the messages received at the seller's support addresses (raw included) for
    # whoever answers clients or runs the platform; parsing one again after a fix likewise.
    "inbox.view": frozenset({OWNER, SUPPORT, ONCALL}),
    "inbox.reparse": frozenset({OWNER, SUPPORT, ONCALL}),
    # The seller's identity, bank details and numbering are printed on every document.
    "settings.edit": frozenset({OWNER}),
}


def role_can(role: str, permission: str) -> bool:
    try:
        return role in PERMISSIONS[permission]
    except KeyError:
        raise ValueError(f"unknown permission {permission!r}") from None


# --- settings -------------------------------------------------------------------------------

# What the owner sets on the settings screen, group by group.
SETTINGS_GROUPS: Final[dict[str, tuple[str, ...]]] = {
    "identity": (
        "legal_name",
        "trade_name",
        "legal_form",
        "share_capital",
        "siren",
        "siret",
        "rcs_city",
        "address_line1",
        "address_line2",
        "postal_code",
        "city",
        "country",
        "phone",
    ),
    "tax": ("vat_regime", "vat_number", "einvoice_scheme", "einvoice_address"),
    "bank": ("iban", "bic"),
    "contact": ("email_sales", "email_accounting", "email_support", "default_language"),
    "branding": ("brand_color",),
    "numbering": ("invoice_prefix", "credit_note_prefix", "quote_prefix"),
}
SETTINGS_FIELDS: Final = frozenset(name for group in SETTINGS_GROUPS.values() for name in group)
# The fields that say who the seller is: a demo identity is no longer fictitious once one
# of them is written by hand.
IDENTITY_FIELDS: Final = frozenset(SETTINGS_GROUPS["identity"]) | {"vat_number"}
