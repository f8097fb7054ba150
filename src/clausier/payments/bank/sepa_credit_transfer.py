"""Refunds by transfer, handed to the bank as a SEPA credit transfer file (ISO 20022 pain.001).

Staff upload the file to the bank's website, which pays every refund of it from the seller's
account. The file is built with ``sepaxml`` and validated against the schema of its version
before it is returned; the message id, the creation time and the payment information id come
from the caller, so the same batch always gives the same file.

The SEPA rulebook's character set is basic Latin: names and references are transliterated
("Hélène" -> "Helene") and cut to their maximum lengths (70 and 140).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Final
from xml.etree import ElementTree

import sepaxml
from lxml import etree
from sepaxml import SepaTransfer

from clausier.rules.errors import RuleError
from clausier.rules.explain import LegalFact
from clausier.rules.identifiers import check_bic, check_iban

RULEBOOK: Final = LegalFact(
    "Virement SEPA (SCT), message pain.001",
    "EPC125-05 SEPA Credit Transfer Rulebook; ISO 20022 pain.001",
)
RULE: Final = f"{RULEBOOK.value} ({RULEBOOK.source})"
SCHEMAS: Final = ("pain.001.001.03", "pain.001.001.09")
DEFAULT_SCHEMA: Final = "pain.001.001.09"
CENT: Final = Decimal("0.01")
MAX_AMOUNT: Final = Decimal("999999999.99")
MAX_ID: Final = 35
# SEPA's restricted set, for identifiers (EPC230-15 section 1.4).
_ID_CHARACTERS: Final = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ "
)


@dataclass(frozen=True, slots=True)
class Debtor:
    """The seller's account the refunds are paid from."""

    name: str
    iban: str
    bic: str = ""


@dataclass(frozen=True, slots=True)
class Refund:
    """One refund: whom to pay, how much and with which reference. ``end_to_end_id`` comes
    back on the client's statement and on the seller's (CAMT ``EndToEndId``), so that the
    debit is matched to its refund."""

    creditor_name: str
    iban: str
    amount: Decimal
    reference: str
    end_to_end_id: str
    bic: str = ""


def _check_id(field: str, value: str) -> str:
    if not value or len(value) > MAX_ID:
        raise RuleError(field, RULE, f"{value!r} : 1 à {MAX_ID} caractères")
    if not set(value) <= _ID_CHARACTERS or value.startswith("/") or "//" in value:
        raise RuleError(
            field, RULE, f"{value!r} : lettres, chiffres et / - ? : ( ) . , ' + seulement"
        )
    return value


def _check_amount(field: str, amount: Decimal) -> int:
    if not isinstance(amount, Decimal):
        raise RuleError(field, RULE, f"{amount!r} : un Decimal en euros est attendu")
    if amount != amount.quantize(CENT):
        raise RuleError(field, RULE, f"{amount} : au centime près")
    if not CENT <= amount <= MAX_AMOUNT:
        raise RuleError(field, RULE, f"{amount} : entre 0,01 et 999 999 999,99 euros")
    return int(amount * 100)


def _payment(index: int, refund: Refund, execution_date: date) -> dict:
    field = f"refunds[{index}]"
    if not refund.creditor_name.strip():
        raise RuleError(f"{field}.creditor_name", RULE, "le nom du bénéficiaire est obligatoire")
    if not refund.reference.strip():
        raise RuleError(f"{field}.reference", RULE, "la référence du remboursement est obligatoire")
    payment = {
        "name": " ".join(refund.creditor_name.split()),
        "IBAN": check_iban(refund.iban, field=f"{field}.iban"),
        "amount": _check_amount(f"{field}.amount", refund.amount),
        "execution_date": execution_date,
        "description": " ".join(refund.reference.split()),
        "endtoend_id": _check_id(f"{field}.end_to_end_id", refund.end_to_end_id),
    }
    if refund.bic.strip():
        payment["BIC"] = check_bic(refund.bic, field=f"{field}.bic")
    return payment


def credit_transfer_file(
    *,
    debtor: Debtor,
    refunds: Sequence[Refund],
    execution_date: date,
    message_id: str,
    created_at: datetime,
    schema: str = DEFAULT_SCHEMA,
) -> bytes:
    """The pain.001 file (UTF-8 XML) paying ``refunds`` from ``debtor``'s account on
    ``execution_date``, as one batch identified by ``message_id``."""
    if schema not in SCHEMAS:
        raise RuleError("schema", RULE, f"{schema!r} : {' ou '.join(SCHEMAS)}")
    if not refunds:
        raise RuleError("refunds", RULE, "aucun remboursement à virer")
    _check_id("message_id", message_id)
    ids = [r.end_to_end_id for r in refunds]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise RuleError("end_to_end_id", RULE, f"{repeated[0]!r} sert deux fois dans le lot")
    if not debtor.name.strip():
        raise RuleError("debtor.name", RULE, "le nom du titulaire du compte est obligatoire")
    config = {
        "name": " ".join(debtor.name.split()),
        "IBAN": check_iban(debtor.iban, field="debtor.iban"),
        "batch": True,
        "currency": "EUR",
    }
    if debtor.bic.strip():
        config["BIC"] = check_bic(debtor.bic, field="debtor.bic")
    transfer = SepaTransfer(config, schema=schema, clean=True)
    for index, refund in enumerate(refunds):
        transfer.add_payment(_payment(index, refund, execution_date))
    document = ElementTree.fromstring(transfer.export(validate=False))
    _stamp(document, message_id=message_id, created_at=created_at)
    out = b'<?xml version="1.0" encoding="UTF-8"?>' + ElementTree.tostring(document, "utf-8")
    validator = _schema(schema)
    if not validator.validate(etree.fromstring(out)):
        error = validator.error_log.last_error
        raise RuleError(
            "refunds", RULE, f"le fichier ne suit pas le schéma {schema} ({error.message})"
        )
    return out


@cache
def _schema(name: str) -> etree.XMLSchema:
    """The XML schema of ``name`` that ``sepaxml`` ships, loaded once."""
    path = Path(sepaxml.__file__).parent / "schemas" / f"{name}.xsd"
    return etree.XMLSchema(etree.parse(path, etree.XMLParser(no_network=True)))


def _stamp(document: ElementTree.Element, *, message_id: str, created_at: datetime) -> None:
    """The caller's identifiers and time instead of the library's random ones and clock."""
    namespace = document.tag.partition("}")[0] + "}"
    header = document.find(f"{namespace}CstmrCdtTrfInitn/{namespace}GrpHdr")
    assert header is not None
    header.find(f"{namespace}MsgId").text = message_id
    header.find(f"{namespace}CreDtTm").text = created_at.replace(microsecond=0).isoformat()
    for rank, info in enumerate(document.iter(f"{namespace}PmtInf"), start=1):
        info.find(f"{namespace}PmtInfId").text = f"{message_id}-{rank}"[:MAX_ID]
