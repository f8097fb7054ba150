"""The SEPA payment QR code printed on an invoice (EPC069-12, version 002).

A banking app that scans it fills a SEPA credit transfer: the beneficiary's name, IBAN and
BIC, the amount in euros and the reference to quote. :func:`epc_payload` builds the text
(UTF-8, one field a line) and refuses what the standard refuses, naming the field;
:func:`epc_svg` draws it with error correction level M, as the standard requires.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

import segno

from clausier.rules.creditor_reference import check_creditor_reference, is_creditor_reference
from clausier.rules.errors import RuleError
from clausier.rules.explain import LegalFact
from clausier.rules.identifiers import check_bic, check_iban, compact_identifier

STANDARD: Final = LegalFact(
    "Code QR de paiement SEPA, version 002", "EPC069-12 v3.1, Quick Response Code guidelines"
)
RULE: Final = f"{STANDARD.value} ({STANDARD.source})"
MAX_NAME: Final = 70
MAX_REFERENCE: Final = 35
MAX_TEXT: Final = 140
MAX_INFORMATION: Final = 70
MAX_PAYLOAD_BYTES: Final = 331
MAX_QR_VERSION: Final = 13
MIN_AMOUNT: Final = Decimal("0.01")
MAX_AMOUNT: Final = Decimal("999999999.99")


@dataclass(frozen=True, slots=True)
class TransferRequest:
    """What the client's bank needs to pay: ``reference`` (an ``RF`` creditor reference) or
    ``text`` (free remittance information), not both. ``amount`` may be left out, for the
    payer to type."""

    name: str
    iban: str
    amount: Decimal | None = None
    bic: str = ""
    reference: str = ""
    text: str = ""
    purpose: str = ""
    information: str = ""


def _require_length(field: str, value: str, maximum: int) -> None:
    if len(value) > maximum:
        raise RuleError(field, RULE, f"{len(value)} caractères, {maximum} au plus")


def _amount(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    if not isinstance(amount, Decimal):
        raise RuleError("amount", RULE, f"{amount!r} : un Decimal en euros est attendu")
    if amount != amount.quantize(MIN_AMOUNT):
        raise RuleError("amount", RULE, f"{amount} : au centime près")
    if not MIN_AMOUNT <= amount <= MAX_AMOUNT:
        raise RuleError("amount", RULE, f"{amount} : entre {MIN_AMOUNT} et {MAX_AMOUNT} euros")
    return f"EUR{amount:.2f}"


def _remittance(request: TransferRequest) -> tuple[str, str]:
    reference = compact_identifier(request.reference) if request.reference else ""
    text = request.text.strip()
    if reference and text:
        raise RuleError("text", RULE, "une référence structurée ou un texte, pas les deux")
    if reference:
        _require_length("reference", reference, MAX_REFERENCE)
        if reference.startswith("RF") or is_creditor_reference(reference):
            reference = check_creditor_reference(reference, field="reference")
    _require_length("text", text, MAX_TEXT)
    return reference, text


def epc_payload(request: TransferRequest) -> str:
    """The text encoded in the QR code, fields separated by line feeds, trailing empty
    fields left out."""
    name = " ".join(request.name.split())
    if not name:
        raise RuleError("name", RULE, "le nom du bénéficiaire est obligatoire")
    _require_length("name", name, MAX_NAME)
    iban = check_iban(request.iban)
    bic = check_bic(request.bic) if request.bic.strip() else ""
    purpose = request.purpose.strip().upper()
    if purpose and (len(purpose) != 4 or not purpose.isalnum()):
        raise RuleError("purpose", RULE, f"{purpose!r} : un code ISO 20022 de 4 caractères")
    reference, text = _remittance(request)
    information = request.information.strip()
    _require_length("information", information, MAX_INFORMATION)
    for field, value in (("text", text), ("information", information)):
        if "\n" in value or "\r" in value:
            raise RuleError(field, RULE, "un retour à la ligne n'est pas admis")
    fields = [
        "BCD",
        "002",
        "1",  # UTF-8
        "SCT",
        bic,
        name,
        iban,
        _amount(request.amount),
        purpose,
        reference,
        text,
        information,
    ]
    payload = "\n".join(fields).rstrip("\n")
    size = len(payload.encode())
    if size > MAX_PAYLOAD_BYTES:
        raise RuleError("payload", RULE, f"{size} octets, {MAX_PAYLOAD_BYTES} au plus")
    return payload


def epc_qr(request: TransferRequest) -> segno.QRCode:
    qr = segno.make_qr(epc_payload(request).encode(), error="m", boost_error=False)
    if qr.version > MAX_QR_VERSION:  # pragma: no cover - 331 bytes fit in version 13
        raise RuleError("payload", RULE, f"version {qr.version} du code QR, 13 au plus")
    return qr


def epc_svg(request: TransferRequest, *, scale: int = 4, title: str = "") -> str:
    """The QR code as an SVG document (no XML declaration), to put in a page or a PDF."""
    out = io.BytesIO()
    epc_qr(request).save(
        out, kind="svg", scale=scale, xmldecl=False, svgns=True, title=title or None
    )
    return out.getvalue().decode()
