"""The API's bodies for clients (django-ninja schemas).

Input schemas forbid unknown fields (a typo is a 422 naming it, never silently dropped) and
check types only: the business rules (SIREN key, VAT number, lengths...) stay in the models
and services, which answer with a field -> message map the API returns as is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema

from clausier.customers.domain import client_warnings
from clausier.customers.models import ClientKind
from clausier.kernel.wording import worded
from clausier.sellers.models import EInvoiceScheme
from clausier.web.api import Input, LanguageCode, today_in_paris

ClientKindName = Literal[tuple(ClientKind.values)]  # type: ignore[valid-type]
# "" clears it: the documents then give the SIREN in the French directory (0225).
EInvoiceSchemeCode = Literal["", *EInvoiceScheme.values]  # type: ignore[valid-type]


class WarningOut(Schema):
    field: str
    message: str
    law: str


class ClientOut(Schema):
    id: int
    kind: str
    name: str
    siren: str
    vat_number: str
    email: str
    einvoice_scheme: str
    einvoice_address: str
    phone: str
    billing_line1: str
    billing_line2: str
    billing_postal_code: str
    billing_city: str
    billing_country: str
    delivery_line1: str
    delivery_line2: str
    delivery_postal_code: str
    delivery_city: str
    delivery_country: str
    preferred_language: str
    is_professional: bool
    warnings: list[WarningOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_warnings(obj) -> list[Any]:
        return [
            {"field": w.field, "message": worded(w.message), "law": w.law}
            for w in client_warnings(kind=obj.kind, siren=obj.siren, on=today_in_paris())
        ]


class ClientPage(Schema):
    count: int
    items: list[ClientOut]


class ClientIn(Input):
    kind: ClientKindName
    name: str
    email: str
    billing_line1: str
    billing_postal_code: str
    billing_city: str
    siren: str = ""
    vat_number: str = ""
    einvoice_scheme: EInvoiceSchemeCode = ""
    einvoice_address: str = ""
    phone: str = ""
    billing_line2: str = ""
    billing_country: str = "FR"
    delivery_line1: str = ""
    delivery_line2: str = ""
    delivery_postal_code: str = ""
    delivery_city: str = ""
    delivery_country: str = ""
    # Omitted: the seller's default language (``default_language`` of its settings).
    preferred_language: LanguageCode = Field(
        None,
        description="The language of the client's documents and e-mails; omitted: the "
        "seller's default language.",
    )


class ClientPatch(Input):
    """Only the fields sent change; ``null`` is refused (send ``""`` to clear a field)."""

    kind: ClientKindName = None
    name: str = None
    email: str = None
    billing_line1: str = None
    billing_postal_code: str = None
    billing_city: str = None
    siren: str = None
    vat_number: str = None
    einvoice_scheme: EInvoiceSchemeCode = None
    einvoice_address: str = None
    phone: str = None
    billing_line2: str = None
    billing_country: str = None
    delivery_line1: str = None
    delivery_line2: str = None
    delivery_postal_code: str = None
    delivery_city: str = None
    delivery_country: str = None
    preferred_language: LanguageCode = None
