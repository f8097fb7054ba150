"""The API's bodies for sellers (django-ninja schemas)."""

from __future__ import annotations

from decimal import Decimal

from ninja import Schema


class SellerOut(Schema):
    id: int
    slug: str
    display_name: str
    legal_name: str
    trade_name: str
    legal_form: str
    share_capital: Decimal | None
    siren: str
    siret: str
    rcs_city: str
    vat_number: str
    vat_regime: str
    einvoice_scheme: str
    einvoice_address: str
    address_line1: str
    address_line2: str
    postal_code: str
    city: str
    country: str
    phone: str
    support_phone: str
    email_sales: str
    email_support: str
    email_accounting: str
    jurisdiction: str
    mediator_name: str
    mediator_url: str
