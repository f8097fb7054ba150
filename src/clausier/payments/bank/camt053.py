"""ISO 20022 bank-to-customer statements (CAMT.053, versions 001.02 to 001.08) read safely.

The file is parsed with lxml without resolving entities, loading a DTD or reaching the
network; a document type declaration is refused outright, and so is a file over
``max_bytes``. Reading is all-or-nothing: the first element that is missing or wrong raises
:class:`~clausier.payments.bank.statement.StatementError` naming its path and the reason, and
no statement is returned.

Only booked entries (status ``BOOK``) become lines: pending and informative ones are not
movements of the account yet. An entry of several transactions (a batch booking) gives one
line per transaction, whose amounts must add up to the entry's. When the statement gives its
opening and closing balances, the booked entries must lead from one to the other.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Final

from lxml import etree

from clausier.payments.bank.statement import (
    Balance,
    Direction,
    Statement,
    StatementError,
    StatementLine,
    with_fingerprints,
)
from clausier.rules.formats import format_number
from clausier.rules.identifiers import compact_identifier

NAMESPACE_PREFIX: Final = "urn:iso:std:iso:20022:tech:xsd:camt.053.001."
VERSIONS: Final = ("02", "03", "04", "05", "06", "07", "08")
NAMESPACES: Final = frozenset(NAMESPACE_PREFIX + v for v in VERSIONS)
MAX_BYTES: Final = 20 * 1024 * 1024

# ActiveOrHistoricCurrencyAndAmount: at most 18 digits of which 5 decimals, never negative.
_AMOUNT = re.compile(r"[0-9]{1,18}(\.[0-9]{1,5})?")
_CURRENCY = re.compile(r"[A-Z]{3}")
# ISODate, or ISODateTime of which the day is kept.
_DATE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(T.+)?")
_DIRECTIONS: Final = {"CRDT": Direction.CREDIT, "DBIT": Direction.DEBIT}
_OPENING: Final = ("OPBD", "PRCD")
_CLOSING: Final = "CLBD"
_NOT_PROVIDED: Final = "NOTPROVIDED"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
        remove_comments=True,
    )


def parse_camt053(data: bytes, *, max_bytes: int = MAX_BYTES) -> tuple[Statement, ...]:
    """The statements of a CAMT.053 file (most files hold one), in the file's order."""
    if len(data) > max_bytes:
        raise StatementError(
            "fichier",
            f"{format_number(len(data))} octets, le maximum est {format_number(max_bytes)}",
        )
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise StatementError(
            f"ligne {exc.lineno}", f"XML mal formé ({exc.msg})", line=exc.lineno
        ) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise StatementError("fichier", "une déclaration DOCTYPE n'est pas admise")
    reader = _Reader(_namespace(root))
    container = reader.need(root, "BkToCstmrStmt")
    statements = reader.all(container, "Stmt")
    if not statements:
        raise StatementError(reader.path(container) + "/Stmt", "aucun relevé dans le fichier")
    return tuple(reader.statement(s) for s in statements)


def _namespace(root: etree._Element) -> str:
    qname = etree.QName(root)
    if qname.localname != "Document":
        raise StatementError(f"/{qname.localname}", "l'élément racine doit être Document")
    if qname.namespace not in NAMESPACES:
        raise StatementError(
            "/Document",
            f"espace de noms {qname.namespace or '(aucun)'!s} : camt.053.001.02 à .08 attendu",
        )
    return qname.namespace


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


class _Reader:
    """Finds the elements of one namespace and says where each one is."""

    def __init__(self, namespace: str) -> None:
        self.ns = namespace

    def _q(self, path: str) -> str:
        return "/".join(f"{{{self.ns}}}{step}" for step in path.split("/"))

    def path(self, element: etree._Element) -> str:
        steps = []
        node = element
        while node is not None:
            name = _local(node)
            parent = node.getparent()
            if parent is not None:
                same = [c for c in parent if isinstance(c.tag, str) and _local(c) == name]
                if len(same) > 1:
                    name += f"[{same.index(node) + 1}]"
            steps.append(name)
            node = parent
        return "/" + "/".join(reversed(steps))

    def fail(self, element: etree._Element, reason: str, below: str = "") -> StatementError:
        where = self.path(element) + (f"/{below}" if below else "")
        return StatementError(where, reason, line=element.sourceline)

    def find(self, element: etree._Element, path: str) -> etree._Element | None:
        return element.find(self._q(path))

    def all(self, element: etree._Element, path: str) -> list[etree._Element]:
        return element.findall(self._q(path))

    def need(self, element: etree._Element, path: str) -> etree._Element:
        found = self.find(element, path)
        if found is None:
            raise self.fail(element, "élément obligatoire absent", below=path)
        return found

    def text(self, element: etree._Element, path: str) -> str:
        found = self.find(element, path)
        return " ".join((found.text or "").split()) if found is not None else ""

    def need_text(self, element: etree._Element, path: str) -> str:
        found = self.need(element, path)
        value = " ".join((found.text or "").split())
        if not value:
            raise self.fail(found, "valeur vide")
        return value

    # --- values --------------------------------------------------------------------------

    def amount(self, element: etree._Element) -> tuple[Decimal, str]:
        """The amount and currency of an ``Amt``-like element."""
        raw = (element.text or "").strip()
        if not _AMOUNT.fullmatch(raw):
            raise self.fail(
                element, f"montant {raw!r} illisible (chiffres, point décimal, 5 décimales au plus)"
            )
        currency = element.get("Ccy", "")
        if not _CURRENCY.fullmatch(currency):
            raise self.fail(element, f"devise {currency!r} : code ISO 4217 de 3 lettres attendu")
        return Decimal(raw), currency

    def direction(self, element: etree._Element, path: str = "CdtDbtInd") -> Direction:
        indicator = self.need(element, path)
        value = (indicator.text or "").strip()
        if value not in _DIRECTIONS:
            raise self.fail(indicator, f"{value!r} : CRDT ou DBIT attendu")
        return _DIRECTIONS[value]

    def day(self, element: etree._Element | None) -> date | None:
        """The day of a date choice (``Dt`` or ``DtTm``) or of a date-time element."""
        if element is None:
            return None
        target = element
        for child in ("Dt", "DtTm"):
            found = self.find(element, child)
            if found is not None:
                target = found
                break
        raw = (target.text or "").strip()
        found = _DATE.fullmatch(raw)
        try:
            if found is None:
                raise ValueError(raw)
            if found[2]:
                datetime.fromisoformat(raw)
            return date.fromisoformat(found[1])
        except ValueError:
            raise self.fail(target, f"date {raw!r} illisible (AAAA-MM-JJ attendu)") from None

    # --- statement -----------------------------------------------------------------------

    def statement(self, stmt: etree._Element) -> Statement:
        statement_id = self.need_text(stmt, "Id")
        account = self.need(stmt, "Acct")
        iban = compact_identifier(self.text(account, "Id/IBAN") or self.text(account, "Id/Othr/Id"))
        if not iban:
            raise self.fail(account, "ni IBAN ni autre identifiant du compte", below="Id")
        opening, closing = self.balances(stmt)
        period = self.find(stmt, "FrToDt")
        start = self.day(self.find(period, "FrDtTm")) if period is not None else None
        end = self.day(self.find(period, "ToDtTm")) if period is not None else None
        lines: list[StatementLine] = []
        entry_sums: list[Decimal] = []
        for entry in self.all(stmt, "Ntry"):
            if not self.booked(entry):
                continue
            entry_lines, signed = self.entry(entry)
            lines.extend(entry_lines)
            entry_sums.append(signed)
        if opening is not None and closing is not None:
            self.check_balances(stmt, opening, closing, sum(entry_sums, Decimal(0)))
        currency = self.text(account, "Ccy") or (opening or closing or _NO_BALANCE).currency
        return Statement(
            id=statement_id,
            account_iban=iban,
            currency=currency,
            period_start=start,
            period_end=end,
            opening_balance=opening,
            closing_balance=closing,
            lines=with_fingerprints(iban, lines),
        )

    def balances(self, stmt: etree._Element) -> tuple[Balance | None, Balance | None]:
        opening = closing = None
        for bal in self.all(stmt, "Bal"):
            code = self.text(bal, "Tp/CdOrPrtry/Cd")
            if code not in (*_OPENING, _CLOSING):
                continue
            amount, currency = self.amount(self.need(bal, "Amt"))
            if self.direction(bal) is Direction.DEBIT:
                amount = -amount
            balance = Balance(amount, currency, self.day(self.find(bal, "Dt")))
            if code == _CLOSING:
                closing = balance
            elif opening is None or code == "OPBD":
                opening = balance
        return opening, closing

    def check_balances(
        self, stmt: etree._Element, opening: Balance, closing: Balance, movements: Decimal
    ) -> None:
        if opening.amount + movements == closing.amount:
            return
        closing_element = next(
            b for b in self.all(stmt, "Bal") if self.text(b, "Tp/CdOrPrtry/Cd") == _CLOSING
        )
        raise self.fail(
            self.need(closing_element, "Amt"),
            f"le solde de clôture {format_number(closing.amount)} ne suit pas le solde "
            f"d'ouverture {format_number(opening.amount)} et les mouvements comptabilisés "
            f"({format_number(movements)})",
        )

    def booked(self, entry: etree._Element) -> bool:
        status = self.find(entry, "Sts")
        if status is None:
            raise self.fail(entry, "élément obligatoire absent", below="Sts")
        # Up to 001.06 the status is a code; from 001.07 on, a choice holding the code.
        code = self.text(status, "Cd") or self.text(status, "Prtry") or (status.text or "").strip()
        return code == "BOOK"

    # --- entries and transactions ---------------------------------------------------------

    def entry(self, entry: etree._Element) -> tuple[list[StatementLine], Decimal]:
        amount_element = self.need(entry, "Amt")
        amount, currency = self.amount(amount_element)
        direction = self.direction(entry)
        base = {
            "booking_date": self.day(self.find(entry, "BookgDt")),
            "value_date": self.day(self.find(entry, "ValDt")),
            "currency": currency,
            "reversal": self.text(entry, "RvslInd").lower() in ("true", "1"),
            # What the bank writes of the entry, the label when the payer wrote nothing.
            "remittance": self.text(entry, "AddtlNtryInf"),
        }
        reference = self.text(entry, "AcctSvcrRef")
        details = self.all(entry, "NtryDtls/TxDtls")
        signed = amount if direction is Direction.CREDIT else -amount
        if not details:
            line = StatementLine(
                amount=amount, direction=direction, bank_reference=reference, **base
            )
            return [line], signed
        if len(details) == 1:
            detail_amount = self.detail_amount(details[0]) or (amount, currency)
            return [self.transaction(details[0], detail_amount, direction, reference, base)], signed
        lines = []
        total = Decimal(0)
        for rank, detail in enumerate(details, start=1):
            detail_amount = self.detail_amount(detail)
            if detail_amount is None:
                raise self.fail(detail, "montant de l'opération absent (lot de plusieurs)", "Amt")
            line = self.transaction(
                detail, detail_amount, direction, reference and f"{reference}/{rank}", base
            )
            total += line.amount if line.direction is direction else -line.amount
            lines.append(line)
        if total != amount:
            raise self.fail(
                amount_element,
                f"le montant de l'écriture {format_number(amount)} n'est pas la somme de ses "
                f"opérations ({format_number(total)})",
            )
        return lines, signed

    def detail_amount(self, detail: etree._Element) -> tuple[Decimal, str] | None:
        # From 001.03 on, TxDtls/Amt; in 001.02, only the amount details.
        for path in ("Amt", "AmtDtls/TxAmt/Amt", "AmtDtls/InstdAmt/Amt"):
            found = self.find(detail, path)
            if found is not None:
                return self.amount(found)
        return None

    def transaction(
        self,
        detail: etree._Element,
        amount: tuple[Decimal, str],
        entry_direction: Direction,
        entry_reference: str,
        base: dict,
    ) -> StatementLine:
        direction = entry_direction
        if self.find(detail, "CdtDbtInd") is not None:
            direction = self.direction(detail)
        # The other party: who paid us on a credit, whom we paid on a debit.
        party = "Dbtr" if direction is Direction.CREDIT else "Cdtr"
        name = self.text(detail, f"RltdPties/{party}/Nm") or self.text(
            detail, f"RltdPties/{party}/Pty/Nm"
        )
        iban = self.text(detail, f"RltdPties/{party}Acct/Id/IBAN")
        end_to_end = self.text(detail, "Refs/EndToEndId")
        remittance = (
            " ".join(
                " ".join((e.text or "").split()) for e in self.all(detail, "RmtInf/Ustrd")
            ).strip()
            or self.text(detail, "AddtlTxInf")
            or base["remittance"]
        )
        structured = [self.text(s, "CdtrRefInf/Ref") for s in self.all(detail, "RmtInf/Strd")]
        return StatementLine(
            amount=amount[0],
            direction=direction,
            counterparty_name=name,
            counterparty_iban=compact_identifier(iban),
            creditor_reference=compact_identifier(next((s for s in structured if s), "")),
            end_to_end_id="" if end_to_end == _NOT_PROVIDED else end_to_end,
            bank_reference=self.text(detail, "Refs/AcctSvcrRef") or entry_reference,
            **(base | {"currency": amount[1], "remittance": remittance}),
        )


_NO_BALANCE: Final = Balance(Decimal(0), "", None)
