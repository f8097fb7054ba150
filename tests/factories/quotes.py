"""Builders for quotes and orders on the real NEO7 seed (the web agency of seed 002)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from clausier.demo.seeding import install_seed
from clausier.quotes import services
from clausier.quotes.models import Quote
from clausier.sellers.models import Seller

PARIS = ZoneInfo("Europe/Paris")
AGENCY = "neo7-studio-web"


def paris(*args: int) -> datetime:
    """An aware datetime in Europe/Paris: ``paris(2026, 5, 31, 23, 59)``."""
    return datetime(*args, tzinfo=PARIS)


def install_agency() -> Seller:
    return install_seed(slug=AGENCY, by=None)


WEBSITE_LINES = [
    {
        "description": "Création du site vitrine (5 pages)",
        "quantity": Decimal("1"),
        "unit": "flat",
        "unit_price": Decimal("2400.00"),
    },
    {
        "description": "Intégration des contenus",
        "quantity": Decimal("2.5"),
        "unit": "day",
        "unit_price": Decimal("350.00"),
        "product_code": "INT-JOUR",
    },
    {
        "description": "Formation à l'administration du site",
        "quantity": Decimal("3"),
        "unit": "hour",
        "unit_price": Decimal("45.333"),
        "vat_rate": Decimal("0.20"),
    },
]
# 2 400,00 + 875,00 + 136,00 (3 × 45,333 = 135,999 -> 136,00) = 3 411,00 € HT; no VAT (293 B).
WEBSITE_TOTAL_HT = Decimal("3411.00")


def make_quote(
    seller: Seller,
    client,
    *,
    valid_until: date | None = date(2026, 5, 31),
    requires_deposit: bool = True,
    lines: list[dict] | None = None,
    by=None,
) -> Quote:
    return services.create_quote(
        seller=seller,
        client=client,
        fields={
            "nature": "Conception et réalisation d'un site vitrine",
            "requires_deposit": requires_deposit,
            "valid_until": valid_until,
        },
        lines=WEBSITE_LINES if lines is None else lines,
        by=by,
    )


def sent_quote(seller: Seller, client, *, now: datetime | None = None, **kwargs) -> Quote:
    quote = make_quote(seller, client, **kwargs)
    return services.send_quote(quote=quote, by=None, now=now or paris(2026, 5, 4, 10, 0))


def pdf_file(name: str = "cahier-des-charges.pdf", body: bytes = b"spec") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + body + b"\n%%EOF\n", "application/pdf")


def consent_eml(
    *,
    sent: datetime,
    sender: str = "Camille Martin <camille@boulangerie-martin.test>",
    subject: str = "Re: Devis D2026-000001",
    body: str = "Bonjour, je vous donne mon accord pour le devis D2026-000001. Camille Martin",
) -> tuple[SimpleUploadedFile, str]:
    """A real RFC 5322 message of consent, as an uploaded .eml, and its Message-ID."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "contact@neo7.test"
    message["Subject"] = subject
    message["Date"] = format_datetime(sent)
    message["Message-ID"] = make_msgid(domain="boulangerie-martin.test")
    message.set_content(body)
    upload = SimpleUploadedFile("accord.eml", message.as_bytes(), "message/rfc822")
    return upload, message["Message-ID"]
