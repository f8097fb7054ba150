"""Checking a Factur-X XML: the XSD, the code lists and the EN 16931 business rules."""

from __future__ import annotations

import importlib.resources
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from typing import Any

import facturx
from lxml import etree

from clausier.invoicing.document import InvoiceDocument
from clausier.invoicing.facturx.codes import (
    CENT,
    CHECKED_CATEGORIES,
    CREDIT_NOTE_TYPES,
    EXEMPT,
    GUIDELINE,
    HUNDRED,
    LEVEL,
    OUTSIDE_SCOPE,
    QDT,
    RAM,
    REVERSE_CHARGE,
    RSM,
    STANDARD,
    UDT,
    ZERO,
    ZERO_RATED,
    FacturXInvalid,
    number_text,
)
from clausier.invoicing.facturx.writer import cii_xml


def _library_file(relative: str) -> str:
    return str(importlib.resources.files(facturx).joinpath("xsd_and_schematron", relative))


_local = threading.local()


def _schema() -> etree.XMLSchema:
    """The XSD that ``facturx.xml_check_xsd(flavor="factur-x", level="en16931")`` loads,
    compiled once per thread (a validator keeps its error log, so threads do not share
    one): the library compiles it again on every call, tens of milliseconds."""
    schema = getattr(_local, "schema", None)
    if schema is None:
        path = _library_file(facturx.facturx.FACTURX_LEVEL2xsd[LEVEL])
        schema = _local.schema = etree.XMLSchema(file=path)
    return schema


def _parser() -> etree.XMLParser:
    """A parser of this thread that keeps no indentation as text (the tree is the one the
    elements make, whatever the layout) and fetches nothing: no network, no entities."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = etree.XMLParser(
            remove_blank_text=True, resolve_entities=False, no_network=True
        )
    return parser


@cache
def _code_lists() -> dict[int, frozenset[str]]:
    """The code lists of the library's EN 16931 schematron (``FACTUR-X_EN16931_codedb.xml``)."""
    xslt = facturx.facturx.FACTURX_LEVEL2schematron[LEVEL]
    codedb = xslt.rsplit("/", 1)[0] + "/FACTUR-X_EN16931_codedb.xml"
    tree = etree.parse(_library_file(codedb))
    return {
        int(cl.get("id")): frozenset(e.get("value") for e in cl.iter("enumeration"))
        for cl in tree.getroot().iter("cl")
    }


# (rule, code list id in the codedb, XPath of the coded values, what is checked)
CODE_LIST_CHECKS = (
    ("BR-CL-01", 2, "rsm:ExchangedDocument/ram:TypeCode", "type de document (UNTDID 1001)"),
    ("BR-CL-04", 24, ".//ram:InvoiceCurrencyCode", "devise (ISO 4217)"),
    ("BR-CL-03", 31, ".//ram:TaxTotalAmount/@currencyID", "devise (ISO 4217)"),
    ("BR-CL-08", 4, ".//ram:IncludedNote/ram:SubjectCode", "sujet de note (UNTDID 4451)"),
    ("BR-CL-14", 7, ".//ram:CountryID", "pays (ISO 3166-1)"),
    ("BR-CL-11", 16, ".//ram:SpecifiedLegalOrganization/ram:ID/@schemeID", "schéma (ISO 6523)"),
    (
        "BR-CL-16",
        25,
        ".//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode",
        "moyen de paiement (UNTDID 4461)",
    ),
    (
        "BR-CL-17",
        10,
        ".//ram:ApplicableTradeTax/ram:CategoryCode",
        "catégorie de TVA (UNTDID 5305)",
    ),
    ("BR-CL-22", 26, ".//ram:ExemptionReasonCode", "motif d'exonération (VATEX)"),
    ("BR-CL-06", 28, ".//ram:DueDateTypeCode", "exigibilité de la TVA (UNTDID 2005)"),
    ("BR-CL-23", 8, ".//ram:BilledQuantity/@unitCode", "unité (UN/ECE Rec. 20/21)"),
    (
        "BR-CL-19",
        11,
        ".//ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge"
        "[ram:ChargeIndicator/udt:Indicator='false']/ram:ReasonCode",
        "motif de remise (UNTDID 5189)",
    ),
)

NS = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}


# Paths into the tree the rules read, compiled once per thread: an XPath compiled once is
# about three times faster than ``find``/``findtext`` with a namespace map, which parses its
# path on every call (110 reads a document).
def _path(path: str) -> etree.XPath:
    paths = getattr(_local, "paths", None)
    if paths is None:
        paths = _local.paths = {}
    compiled = paths.get(path)
    if compiled is None:
        compiled = paths[path] = etree.XPath(path, namespaces=NS)
    return compiled


def _findall(node: etree._Element, path: str) -> list[etree._Element]:
    """``node.findall(path, NS)``: the elements at ``path``, in document order."""
    return _path(path)(node)


def _find(node: etree._Element, path: str) -> etree._Element | None:
    """``node.find(path, NS)``: the first element at ``path``, or None."""
    found = _path(path)(node)
    return found[0] if found else None


def _findtext(node: etree._Element, path: str, default: str | None = "") -> str | None:
    """``node.findtext(path, default, NS)``: the text of the first element at ``path`` ("" when
    it has none), ``default`` when there is no such element."""
    found = _path(path)(node)
    return (found[0].text or "") if found else default


@dataclass(frozen=True)
class _Tax:
    category: str
    rate: Decimal | None
    base: Decimal | None = None
    amount: Decimal | None = None
    reason: str = ""
    reason_code: str = ""


class _Invoice:
    """The figures of a CII invoice, read once for the rules below."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.type_code = self.text("rsm:ExchangedDocument/ram:TypeCode")
        trade = "rsm:SupplyChainTradeTransaction/"
        self.items = _findall(root, trade + "ram:IncludedSupplyChainTradeLineItem")
        self.agreement = _find(root, trade + "ram:ApplicableHeaderTradeAgreement")
        self.settlement = _find(root, trade + "ram:ApplicableHeaderTradeSettlement")
        self.seller = _find(self.agreement, "ram:SellerTradeParty")
        self.buyer = _find(self.agreement, "ram:BuyerTradeParty")
        self.currency = _findtext(self.settlement, "ram:InvoiceCurrencyCode", "")
        self.lines = [self._line(item) for item in self.items]
        self.groups = [
            _Tax(
                category=_findtext(t, "ram:CategoryCode", ""),
                rate=_decimal(_findtext(t, "ram:RateApplicablePercent", None)),
                base=_decimal(_findtext(t, "ram:BasisAmount", None)),
                amount=_decimal(_findtext(t, "ram:CalculatedAmount", None)),
                reason=(_findtext(t, "ram:ExemptionReason", "") or "").strip(),
                reason_code=(_findtext(t, "ram:ExemptionReasonCode", "") or "").strip(),
            )
            for t in _findall(self.settlement, "ram:ApplicableTradeTax")
        ]
        totals = _find(self.settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
        self.totals = totals
        self.tax_total = next(
            (
                _decimal(t.text)
                for t in _findall(totals, "ram:TaxTotalAmount")
                if t.get("currencyID") == self.currency
            ),
            None,
        )

    def text(self, path: str, node: etree._Element | None = None) -> str:
        return (_findtext(node if node is not None else self.root, path, "") or "").strip()

    def total(self, name: str) -> Decimal | None:
        return _decimal(_findtext(self.totals, f"ram:{name}", None))

    def _line(self, item: etree._Element) -> dict[str, Any]:
        tax = _find(item, "ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax")
        return {
            "id": self.text("ram:AssociatedDocumentLineDocument/ram:LineID", item),
            "name": self.text("ram:SpecifiedTradeProduct/ram:Name", item),
            "price": _decimal(
                _findtext(
                    item,
                    "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/"
                    "ram:ChargeAmount",
                    None,
                )
            ),
            "net": _decimal(
                _findtext(
                    item,
                    "ram:SpecifiedLineTradeSettlement/"
                    "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
                    None,
                )
            ),
            "allowances": [
                (
                    _decimal(_findtext(a, "ram:ActualAmount", None)),
                    _decimal(_findtext(a, "ram:BasisAmount", None)),
                    self.text("ram:Reason", a) or self.text("ram:ReasonCode", a),
                )
                for a in _findall(
                    item, "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge"
                )
            ],
            "category": _findtext(tax, "ram:CategoryCode", "") if tax is not None else "",
            "rate": _decimal(_findtext(tax, "ram:RateApplicablePercent", None))
            if tax is not None
            else None,
        }

    def tax_ids(self, party: etree._Element | None, scheme: str) -> list[str]:
        if party is None:
            return []
        return [
            (node.text or "").strip()
            for node in _findall(party, "ram:SpecifiedTaxRegistration/ram:ID")
            if node.get("schemeID") == scheme and (node.text or "").strip()
        ]

    def legal_id(self, party: etree._Element | None) -> str:
        if party is None:
            return ""
        return self.text("ram:SpecifiedLegalOrganization/ram:ID", party)

    def lines_of(self, category: str, rate: Decimal | None = None) -> list[dict[str, Any]]:
        return [
            line
            for line in self.lines
            if line["category"] == category and (rate is None or line["rate"] == rate)
        ]


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        return None


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), ZERO)


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _eur(value: Decimal | None) -> str:
    return "absent" if value is None else f"{value} EUR"


def _percent(value: Decimal | None) -> str:
    return "absent" if value is None else f"{number_text(value)} %"


Rule = Callable[[_Invoice], Iterable[tuple[str, str]]]
RULES: list[Rule] = []


def _rule(check: Rule) -> Rule:
    RULES.append(check)
    return check


def _line_errors(line: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """The rules of one invoice line (BG-25), in the order the standard numbers them."""
    if not line["name"]:
        yield "BR-25", f"la ligne {line['id']} doit avoir une désignation (BT-153)."
    if line["price"] is not None and line["price"] < ZERO:
        yield "BR-27", f"le prix net de la ligne {line['id']} ne peut être négatif (BT-146)."
    for amount, _basis, reason in line["allowances"]:
        if amount is None:
            yield "BR-41", f"la remise de la ligne {line['id']} doit avoir un montant (BT-136)."
        if not reason:
            yield "BR-42", f"la remise de la ligne {line['id']} doit avoir un motif (BT-139)."
    if not line["category"]:
        yield "BR-CO-04", f"la ligne {line['id']} doit avoir une catégorie de TVA (BT-151)."
    elif line["category"] not in CHECKED_CATEGORIES:
        yield (
            "BT-151",
            f"catégorie de TVA « {line['category']} » de la ligne {line['id']} : clausier "
            "n'émet que S (taux normal), Z (taux zéro), E (exonération, 293 B), AE "
            "(autoliquidation) et O (hors champ de la TVA).",
        )


@_rule
def _document(inv: _Invoice) -> Iterable[tuple[str, str]]:
    if not inv.text("rsm:ExchangedDocument/ram:ID"):
        yield "BR-02", "la facture doit avoir un numéro (BT-1)."
    if not inv.text("ram:Name", inv.seller):
        yield "BR-06", "la facture doit contenir le nom du vendeur (BT-27)."
    if not inv.text("ram:Name", inv.buyer):
        yield "BR-07", "la facture doit contenir le nom de l'acheteur (BT-44)."
    if _find(inv.seller, "ram:PostalTradeAddress") is None:
        yield "BR-08", "la facture doit contenir l'adresse du vendeur (BG-5)."
    if _find(inv.buyer, "ram:PostalTradeAddress") is None:
        yield "BR-10", "la facture doit contenir l'adresse de l'acheteur (BG-8)."
    if not inv.lines:
        yield "BR-16", "la facture doit avoir au moins une ligne (BG-25)."
    for line in inv.lines:
        yield from _line_errors(line)
    if not inv.groups:
        yield "BR-CO-18", "la facture doit avoir au moins une ventilation de TVA (BG-23)."
    for group in inv.groups:
        if group.rate is None:
            yield "BR-48", f"la ventilation de TVA {group.category} doit avoir un taux (BT-119)."


@_rule
def _decimals(inv: _Invoice) -> Iterable[tuple[str, str]]:
    def places(value: Decimal | None) -> bool:
        return value is not None and value != value.quantize(CENT)

    fields = (
        ("BR-DEC-09", "LineTotalAmount", "BT-106"),
        ("BR-DEC-12", "TaxBasisTotalAmount", "BT-109"),
        ("BR-DEC-14", "GrandTotalAmount", "BT-112"),
        ("BR-DEC-16", "TotalPrepaidAmount", "BT-113"),
        ("BR-DEC-18", "DuePayableAmount", "BT-115"),
    )
    for rule, name, term in fields:
        if places(inv.total(name)):
            yield rule, f"{term} ({inv.total(name)}) : au plus 2 décimales."
    if places(inv.tax_total):
        yield "BR-DEC-13", f"BT-110 ({inv.tax_total}) : au plus 2 décimales."
    for group in inv.groups:
        if places(group.base):
            yield "BR-DEC-19", f"BT-116 ({group.base}) : au plus 2 décimales."
        if places(group.amount):
            yield "BR-DEC-20", f"BT-117 ({group.amount}) : au plus 2 décimales."
    for line in inv.lines:
        for amount, basis, _reason in line["allowances"]:
            if places(amount):
                yield (
                    "BR-DEC-24",
                    f"BT-136 de la ligne {line['id']} ({amount}) : au plus 2 décimales.",
                )
            if places(basis):
                yield (
                    "BR-DEC-25",
                    f"BT-137 de la ligne {line['id']} ({basis}) : au plus 2 décimales.",
                )
        if places(line["net"]):
            yield (
                "BR-DEC-23",
                f"BT-131 de la ligne {line['id']} ({line['net']}) : au plus 2 décimales.",
            )


@_rule
def _sums(inv: _Invoice) -> Iterable[tuple[str, str]]:
    lines = _sum(line["net"] for line in inv.lines)
    line_total = inv.total("LineTotalAmount")
    allowances = inv.total("AllowanceTotalAmount") or ZERO
    charges = inv.total("ChargeTotalAmount") or ZERO
    basis = inv.total("TaxBasisTotalAmount")
    grand = inv.total("GrandTotalAmount")
    prepaid = inv.total("TotalPrepaidAmount") or ZERO
    rounding = inv.total("RoundingAmount") or ZERO
    due = inv.total("DuePayableAmount")
    if line_total != lines:
        yield (
            "BR-CO-10",
            f"somme des montants nets des lignes (BT-106) = {_eur(line_total)}, "
            f"mais Σ des lignes (BT-131) = {_eur(lines)}.",
        )
    expected_basis = (line_total or ZERO) - allowances + charges
    if basis != expected_basis:
        yield (
            "BR-CO-13",
            f"total HT (BT-109) = {_eur(basis)}, mais somme des lignes (BT-106) - remises "
            f"+ frais = {_eur(expected_basis)}.",
        )
    groups_vat = _sum(g.amount for g in inv.groups)
    if inv.tax_total != groups_vat:
        yield (
            "BR-CO-14",
            f"total TVA (BT-110) = {_eur(inv.tax_total)}, mais Σ TVA par taux (BT-117) = "
            f"{_eur(groups_vat)}.",
        )
    if basis is not None and grand != basis + (inv.tax_total or ZERO):
        yield (
            "BR-CO-15",
            f"total TTC (BT-112) = {_eur(grand)}, mais total HT + TVA = "
            f"{_eur(basis + (inv.tax_total or ZERO))}.",
        )
    if grand is not None and due != grand - prepaid + rounding:
        yield (
            "BR-CO-16",
            f"net à payer (BT-115) = {_eur(due)}, mais TTC - déjà payé + arrondi = "
            f"{_eur(grand - prepaid + rounding)}.",
        )
    for group in inv.groups:
        if group.base is None or group.rate is None:
            continue
        expected = _round(group.base * group.rate / HUNDRED)
        if group.amount != expected:
            yield (
                "BR-CO-17",
                f"TVA de la catégorie {group.category} à {_percent(group.rate)} (BT-117) = "
                f"{_eur(group.amount)}, mais base {_eur(group.base)} × taux = {_eur(expected)}.",
            )


@_rule
def _payment(inv: _Invoice) -> Iterable[tuple[str, str]]:
    due = inv.total("DuePayableAmount")
    terms = _find(inv.settlement, "ram:SpecifiedTradePaymentTerms")
    has_due_date = terms is not None and bool(
        inv.text("ram:DueDateDateTime/udt:DateTimeString", terms)
    )
    has_terms = terms is not None and bool(inv.text("ram:Description", terms))
    if due is not None and due > ZERO and not (has_due_date or has_terms):
        yield (
            "BR-CO-25",
            f"net à payer positif ({_eur(due)}) : la date d'échéance (BT-9) ou les "
            "conditions de paiement (BT-20) doivent figurer.",
        )
    for means in _findall(inv.settlement, "ram:SpecifiedTradeSettlementPaymentMeans"):
        code = inv.text("ram:TypeCode", means)
        iban = inv.text("ram:PayeePartyCreditorFinancialAccount/ram:IBANID", means)
        proprietary = inv.text("ram:PayeePartyCreditorFinancialAccount/ram:ProprietaryID", means)
        if code in ("30", "58") and not (iban or proprietary):
            yield "BR-61", "un virement (BT-81 = 30 ou 58) exige le compte à créditer (BT-84)."


@_rule
def _identifiers(inv: _Invoice) -> Iterable[tuple[str, str]]:
    seller_ids = [
        inv.text("ram:ID", inv.seller),
        inv.text("ram:GlobalID", inv.seller),
        inv.legal_id(inv.seller),
        *inv.tax_ids(inv.seller, "VA"),
    ]
    if not any(seller_ids):
        yield (
            "BR-CO-26",
            "le vendeur doit être identifié : identifiant (BT-29), SIREN (BT-30) ou numéro "
            "de TVA (BT-31).",
        )
    countries = _code_lists()[7] | {"EL"}
    for who, party in (("vendeur", inv.seller), ("acheteur", inv.buyer)):
        for vat in inv.tax_ids(party, "VA"):
            if vat[:2] not in countries:
                yield (
                    "BR-CO-09",
                    f"le numéro de TVA du {who} « {vat} » doit commencer par le code ISO "
                    "3166-1 de son pays (EL pour la Grèce).",
                )


def _seller_taxable(inv: _Invoice) -> bool:
    return bool(inv.tax_ids(inv.seller, "VA") or inv.tax_ids(inv.seller, "FC"))


@_rule
def _standard_rated(inv: _Invoice) -> Iterable[tuple[str, str]]:
    lines = inv.lines_of(STANDARD)
    groups = [g for g in inv.groups if g.category == STANDARD]
    if lines and not groups:
        yield "BR-S-01", "des lignes au taux normal (S) exigent une ventilation de TVA S."
    if lines and not _seller_taxable(inv):
        yield (
            "BR-S-02",
            "des lignes au taux normal (S) exigent le numéro de TVA du vendeur (BT-31) ou son "
            "identifiant fiscal (BT-32).",
        )
    for line in lines:
        if line["rate"] is None or line["rate"] <= ZERO:
            yield (
                "BR-S-05",
                f"la ligne {line['id']} est au taux normal (S) : son taux de TVA doit être "
                f"positif ({_percent(line['rate'])}).",
            )
    for rate in sorted({line["rate"] for line in lines if line["rate"] is not None}):
        if not any(g.rate == rate for g in groups):
            yield "BR-S-08", f"aucune ventilation de TVA S à {_percent(rate)} pour ses lignes."
    for group in groups:
        base = _sum(line["net"] for line in inv.lines_of(STANDARD, group.rate))
        if group.base != base:
            yield (
                "BR-S-08",
                f"base de la TVA S à {_percent(group.rate)} (BT-116) = {_eur(group.base)}, "
                f"mais Σ de ses lignes = {_eur(base)}.",
            )
        if group.base is not None and group.rate is not None:
            expected = _round(group.base * group.rate / HUNDRED)
            if group.amount != expected:
                yield (
                    "BR-S-09",
                    f"TVA S à {_percent(group.rate)} = {_eur(group.amount)}, mais "
                    f"{_eur(group.base)} × {_percent(group.rate)} = {_eur(expected)}.",
                )
        if group.reason or group.reason_code:
            yield (
                "BR-S-10",
                f"la ventilation S à {_percent(group.rate)} ne peut avoir de motif "
                "d'exonération (BT-120, BT-121).",
            )


def _zero_rated_rules(
    inv: _Invoice,
    category: str,
    prefix: str,
    words: str,
    *,
    seller_id_missing: str = "",
    reason: str = "",
    reason_required: bool = False,
) -> Iterable[tuple[str, str]]:
    """The rules the categories without VAT share (01, 05, 08, 09); ``seller_id_missing``, when
    given, is the message of ``<prefix>-02``: lines of the category from a seller without a
    tax id (Z and E; AE asks more). ``reason``, when given, is the message of ``<prefix>-10``:
    a breakdown of the category with an exemption reason (BT-120, BT-121), or without one
    when ``reason_required`` (Z forbids it, E requires it; AE checks its wording)."""
    lines = inv.lines_of(category)
    groups = [g for g in inv.groups if g.category == category]
    if lines and len(groups) != 1:
        yield (
            f"{prefix}-01",
            f"des lignes {words} ({category}) exigent exactement une ventilation de TVA "
            f"{category} (il y en a {len(groups)}).",
        )
    for line in lines:
        if line["rate"] != ZERO:
            yield (
                f"{prefix}-05",
                f"la ligne {line['id']} est {words} ({category}) : son taux de TVA (BT-152) "
                f"doit être 0, pas {_percent(line['rate'])}.",
            )
    for group in groups:
        base = _sum(line["net"] for line in lines)
        if group.base != base:
            yield (
                f"{prefix}-08",
                f"base {words} (BT-116) = {_eur(group.base)}, mais Σ des lignes {category} = "
                f"{_eur(base)}.",
            )
        if group.amount != ZERO:
            yield (
                f"{prefix}-09",
                f"la TVA d'une ventilation {words} ({category}) doit être 0, pas "
                f"{_eur(group.amount)}.",
            )
    if seller_id_missing and lines and not _seller_taxable(inv):
        yield (f"{prefix}-02", seller_id_missing)
    for group in groups:
        if reason and bool(group.reason or group.reason_code) != reason_required:
            yield (f"{prefix}-10", reason)


@_rule
def _zero_rated(inv: _Invoice) -> Iterable[tuple[str, str]]:
    yield from _zero_rated_rules(
        inv,
        ZERO_RATED,
        "BR-Z",
        "à taux zéro",
        seller_id_missing="des lignes à taux zéro (Z) exigent le numéro de TVA du vendeur "
        "(BT-31) ou son identifiant fiscal (BT-32).",
        reason="une ventilation à taux zéro (Z) ne peut avoir de motif d'exonération "
        "(BT-120, BT-121).",
    )


@_rule
def _exempt(inv: _Invoice) -> Iterable[tuple[str, str]]:
    yield from _zero_rated_rules(
        inv,
        EXEMPT,
        "BR-E",
        "exonérée",
        seller_id_missing="des lignes exonérées (E) exigent le numéro de TVA du vendeur "
        "(BT-31) ou son identifiant fiscal (BT-32) : renseigner le SIREN du vendeur.",
        reason="une ventilation exonérée (E) doit donner le motif d'exonération (BT-120), "
        "par ex. « TVA non applicable, art. 293 B du CGI », ou son code (BT-121).",
        reason_required=True,
    )


@_rule
def _outside_scope(inv: _Invoice) -> Iterable[tuple[str, str]]:
    yield from _zero_rated_rules(
        inv,
        OUTSIDE_SCOPE,
        "BR-O",
        "hors champ de la TVA",
        reason="une ventilation hors champ de la TVA (O) doit donner son motif (BT-120), "
        "par ex. « hors champ d'application de la TVA », ou son code VATEX-EU-O (BT-121).",
        reason_required=True,
    )
    if not inv.lines_of(OUTSIDE_SCOPE):
        return
    if inv.tax_ids(inv.seller, "VA") or inv.tax_ids(inv.buyer, "VA"):
        yield (
            "BR-O-02",
            "une facture hors champ de la TVA (O) ne porte le numéro de TVA ni du vendeur "
            "(BT-31) ni de l'acheteur (BT-48).",
        )
    if any(group.category != OUTSIDE_SCOPE for group in inv.groups):
        yield (
            "BR-O-11",
            "une facture hors champ de la TVA (O) n'a pas d'autre ventilation de TVA.",
        )


REVERSE_CHARGE_CODES = frozenset({"VATEX-EU-AE", "VATEX-FR-AE"})
REVERSE_CHARGE_WORDS = ("autoliquidation", "reverse charge")


@_rule
def _reverse_charge(inv: _Invoice) -> Iterable[tuple[str, str]]:
    yield from _zero_rated_rules(inv, REVERSE_CHARGE, "BR-AE", "autoliquidée")
    if inv.lines_of(REVERSE_CHARGE):
        buyer_ids = inv.tax_ids(inv.buyer, "VA") or [inv.legal_id(inv.buyer)]
        if not _seller_taxable(inv) or not any(buyer_ids):
            yield (
                "BR-AE-02",
                "l'autoliquidation (AE) exige le numéro de TVA du vendeur (BT-31) et celui "
                "de l'acheteur (BT-48) ou son identifiant légal (BT-47).",
            )
    for group in inv.groups:
        if group.category != REVERSE_CHARGE:
            continue
        said = group.reason.lower()
        if not (
            group.reason_code in REVERSE_CHARGE_CODES
            or any(word in said for word in REVERSE_CHARGE_WORDS)
        ):
            yield (
                "BR-AE-10",
                "une ventilation autoliquidée (AE) doit porter le motif « Autoliquidation » "
                "(BT-120) ou le code VATEX-EU-AE (BT-121).",
            )


@_rule
def _preceding_invoices(inv: _Invoice) -> Iterable[tuple[str, str]]:
    refs = _findall(inv.settlement, "ram:InvoiceReferencedDocument")
    for ref in refs:
        if not inv.text("ram:IssuerAssignedID", ref):
            yield "BR-55", "une référence à une facture antérieure doit donner son numéro (BT-25)."
    if inv.type_code in CREDIT_NOTE_TYPES:
        dated = [
            ref
            for ref in refs
            if inv.text("ram:IssuerAssignedID", ref)
            and inv.text("ram:FormattedIssueDateTime/qdt:DateTimeString", ref)
        ]
        if not dated:
            yield (
                "BR-FR-CO-05",
                f"un avoir ({inv.type_code}) doit citer la facture qu'il corrige : son numéro "
                "(BT-25) et sa date (BT-26).",
            )


def _code_list_paths() -> tuple[tuple[str, int, etree.XPath, str], ...]:
    # Compiled once per thread (a compiled XPath is not shared between threads): evaluating
    # a path given as a string compiles it again on every call.
    paths = getattr(_local, "code_list_paths", None)
    if paths is None:
        paths = _local.code_list_paths = tuple(
            (rule, list_id, etree.XPath(path, namespaces=NS), words)
            for rule, list_id, path, words in CODE_LIST_CHECKS
        )
    return paths


def _code_list_errors(root: etree._Element) -> Iterable[tuple[str, str]]:
    lists = _code_lists()
    for rule, list_id, path, words in _code_list_paths():
        for value in path(root):
            code = (value.text or "" if isinstance(value, etree._Element) else str(value)).strip()
            if code and code not in lists[list_id]:
                yield rule, f"« {code} » : {words} hors des listes de codes d'EN 16931."


def validate_xml(xml: bytes | str) -> None:
    """Raise :class:`FacturXInvalid` unless ``xml`` is a valid Factur-X EN16931 invoice."""
    raw = xml.encode("utf-8") if isinstance(xml, str) else xml
    try:
        root = etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as error:
        raise FacturXInvalid([("XML", f"document illisible : {error}")]) from error
    _validate_tree(root)


def _validate_tree(root: etree._Element) -> None:
    schema = _schema()
    if not schema.validate(root):
        raise FacturXInvalid(
            ("XSD", f"non conforme au schéma Factur-X EN16931, ligne {e.line} : {e.message}")
            for e in schema.error_log
        )
    guideline = _findtext(
        root,
        "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
        "",
    )
    if guideline != GUIDELINE:
        raise FacturXInvalid([("BR-01", f"profil (BT-24) « {guideline} » ≠ « {GUIDELINE} ».")])
    errors = list(_code_list_errors(root))
    invoice = _Invoice(root)
    for check in RULES:
        errors.extend(check(invoice))
    if errors:
        raise FacturXInvalid(errors)


def check_document(doc: InvoiceDocument) -> bytes:
    """The document's XML once it validates (else :class:`FacturXInvalid`): the bytes
    returned are the ones checked."""
    xml = cii_xml(doc)
    _validate_tree(etree.fromstring(xml, _parser()))
    return xml
