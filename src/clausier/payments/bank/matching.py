"""Statement lines matched to open invoices, each proposal with its reasons.

A credit line is matched, in this order:

1. by **reference**: the structured creditor reference of an invoice (ISO 11649 ``RF``), in
   the line's structured reference or written in its free text;
2. by **number**: an invoice number written in the free text, whatever the spaces, dashes,
   case or the usual prefix ("Facture", "Fact.", "N°", "Réf"...);
3. by **amount and IBAN**: the exact balance due of an invoice, paid from an account the
   invoice's client is known to pay from.

Whatever else stays **to review**, with the invoices worth a look as ``candidates``: a debit
(money going out), another currency, a line that fits two invoices equally (ambiguity never
matches on its own), an invoice already paid, nothing to go by. Staff decide those.

A line that names one invoice and pays more than its balance leaves the rest unallocated (the
client's credit); one that pays less is a partial payment. A line that names several invoices
is split among them only when it pays exactly their balances added up.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Final

from clausier.payments.bank.statement import Direction, StatementLine
from clausier.rules.explain import Explained, Step
from clausier.rules.identifiers import compact_identifier
from clausier.rules.wording import Euros, words

RULE: Final = "bank_line_match"
CURRENCY: Final = "EUR"
ZERO: Final = Decimal(0)

# Words payers put before an invoice number, glued or not ("FACT.F2026-000042", "N°...").
PREFIXES: Final = (
    "FACTURES",
    "FACTURE",
    "FACTUR",
    "FACT",
    "FAC",
    "FCT",
    "FA",
    "INVOICE",
    "INV",
    "NUMERO",
    "NUM",
    "NO",
    "N",
    "REFERENCE",
    "REF",
)
# A number shorter than this could be found by chance in any text: matched by amount only.
MIN_KEY_LENGTH: Final = 5
# How many pieces a payer may cut a number into ("F 2026 000 042").
MAX_PIECES: Final = 6


class Method(StrEnum):
    REFERENCE = "reference"
    NUMBER = "number"
    AMOUNT_AND_IBAN = "amount_and_iban"
    TO_REVIEW = "to_review"


@dataclass(frozen=True, slots=True)
class OpenInvoice:
    """An invoice a payment may settle, as the domain hands it over."""

    id: int | str
    number: str
    client_id: int | str
    balance_due: Decimal
    structured_reference: str = ""
    client_ibans: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Allocation:
    invoice_id: int | str
    invoice_number: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Match:
    """What to do with one line: its ``allocations`` when matched (``method`` says how), or
    nothing and the ``candidates`` (invoice ids) worth a look when it is to review.
    ``unallocated`` is what the allocations leave of the line's amount."""

    line: StatementLine
    method: Method
    allocations: tuple[Allocation, ...]
    candidates: tuple[int | str, ...]
    unallocated: Decimal
    explanation: Explained

    @property
    def matched(self) -> bool:
        return self.method is not Method.TO_REVIEW


# --- reading the remittance information --------------------------------------------------------


def tokens(text: str) -> list[str]:
    """The letters-and-digits pieces of ``text``, upper case, accents dropped."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()
    return re.findall(r"[0-9A-Z]+", plain)


def reference_keys(text: str) -> set[str]:
    """Every way ``text`` may spell a number: each run of up to :data:`MAX_PIECES` adjacent
    pieces joined, with and without a leading prefix glued to it."""
    pieces = tokens(text)
    keys: set[str] = set()
    for start in range(len(pieces)):
        joined = ""
        for piece in pieces[start : start + MAX_PIECES]:
            joined += piece
            keys.add(joined)
            keys.update(joined[len(p) :] for p in PREFIXES if joined.startswith(p))
    return keys


def number_key(number: str) -> str:
    return "".join(tokens(number))


class InvoiceIndex:
    """The open invoices by reference, number, client IBAN and balance, built once for a
    statement; :meth:`settle` lowers a balance as lines are matched."""

    def __init__(self, invoices: Iterable[OpenInvoice]) -> None:
        self.invoices: dict[int | str, OpenInvoice] = {}
        self.by_reference: dict[str, list[int | str]] = {}
        self.by_number: dict[str, list[int | str]] = {}
        self.by_iban: dict[str, list[int | str]] = {}
        for inv in invoices:
            self.invoices[inv.id] = inv
            if inv.structured_reference:
                key = compact_identifier(inv.structured_reference)
                self.by_reference.setdefault(key, []).append(inv.id)
            if len(key := number_key(inv.number)) >= MIN_KEY_LENGTH:
                self.by_number.setdefault(key, []).append(inv.id)
            for iban in {compact_identifier(i) for i in inv.client_ibans}:
                self.by_iban.setdefault(iban, []).append(inv.id)

    def _named(self, table: dict[str, list[int | str]], keys: Iterable[str]) -> list[OpenInvoice]:
        ids = [i for key in keys for i in table.get(key, ())]
        return [self.invoices[i] for i in sorted(set(ids), key=ids.index)]

    def named(self, line: StatementLine) -> tuple[Method, list[OpenInvoice]]:
        """The invoices the line names, and whether by reference or by number."""
        keys = reference_keys(f"{line.remittance} {line.creditor_reference}")
        structured = compact_identifier(line.creditor_reference)
        found = self._named(self.by_reference, [structured, *sorted(keys)])
        if found:
            return Method.REFERENCE, found
        return Method.NUMBER, self._named(self.by_number, sorted(keys))

    def of_account(self, iban: str) -> list[OpenInvoice]:
        return [self.invoices[i] for i in self.by_iban.get(iban, ())]

    def with_balance(self, amount: Decimal) -> list[OpenInvoice]:
        return [inv for inv in self.invoices.values() if inv.balance_due == amount]

    def settle(self, allocation: Allocation) -> None:
        inv = self.invoices[allocation.invoice_id]
        self.invoices[inv.id] = replace(inv, balance_due=inv.balance_due - allocation.amount)


# --- one line ------------------------------------------------------------------------------------


def _explained(line: StatementLine, method: Method, steps: Iterable[Step]) -> Explained:
    return Explained(
        value=method.value,
        rule=RULE,
        inputs={
            "amount": line.amount,
            "direction": line.direction.value,
            "remittance": line.remittance,
            "creditor_reference": line.creditor_reference,
            "counterparty_iban": line.counterparty_iban,
        },
        steps=tuple(steps),
    )


def _review(
    line: StatementLine, steps: Iterable[Step], candidates: Iterable[OpenInvoice] = ()
) -> Match:
    steps = [*steps, Step(words("Ligne laissée à rapprocher à la main"))]
    return Match(
        line=line,
        method=Method.TO_REVIEW,
        allocations=(),
        candidates=tuple(dict.fromkeys(inv.id for inv in candidates)),
        unallocated=line.amount,
        explanation=_explained(line, Method.TO_REVIEW, steps),
    )


def _matched(
    line: StatementLine, method: Method, allocations: list[Allocation], steps: list[Step]
) -> Match:
    rest = line.amount - sum((a.amount for a in allocations), ZERO)
    if rest > 0:
        steps.append(Step(words("Reste non affecté (crédit du client)"), Euros(rest)))
    return Match(
        line=line,
        method=method,
        allocations=tuple(allocations),
        candidates=(),
        unallocated=rest,
        explanation=_explained(line, method, steps),
    )


def _found_step(method: Method, invoice: OpenInvoice) -> Step:
    if method is Method.REFERENCE:
        return Step(
            words(
                "Référence structurée {reference} de la facture {number} trouvée",
                reference=invoice.structured_reference,
                number=invoice.number,
            )
        )
    return Step(words("Numéro de facture {number} trouvé dans le libellé", number=invoice.number))


def _one_named(line: StatementLine, method: Method, invoice: OpenInvoice) -> Match:
    steps = [_found_step(method, invoice)]
    if invoice.balance_due <= 0:
        steps.append(Step(words("La facture {number} est déjà soldée", number=invoice.number)))
        return _review(line, steps, [invoice])
    amount = min(line.amount, invoice.balance_due)
    steps.append(Step(words("Reste dû sur la facture"), Euros(invoice.balance_due)))
    if line.amount < invoice.balance_due:
        steps.append(
            Step(
                words(
                    "Paiement partiel : il restera {rest} à payer",
                    rest=Euros(invoice.balance_due - amount),
                ),
            )
        )
    steps.append(Step(words("Affecté à la facture {number}", number=invoice.number), Euros(amount)))
    return _matched(line, method, [Allocation(invoice.id, invoice.number, amount)], steps)


def _several_named(line: StatementLine, method: Method, named: list[OpenInvoice]) -> Match:
    numbers = ", ".join(inv.number for inv in named)
    steps = [Step(words("Plusieurs factures citées : {numbers}", numbers=numbers))]
    total = sum((inv.balance_due for inv in named), ZERO)
    steps.append(Step(words("Total de leurs restes dus"), Euros(total)))
    if total != line.amount or any(inv.balance_due <= 0 for inv in named):
        steps.append(Step(words("Le montant reçu ne solde pas exactement ces factures")))
        return _review(line, steps, named)
    allocations = []
    for inv in named:
        allocations.append(Allocation(inv.id, inv.number, inv.balance_due))
        steps.append(
            Step(words("Affecté à la facture {number}", number=inv.number), Euros(inv.balance_due))
        )
    return _matched(line, method, allocations, steps)


def _by_amount_and_iban(line: StatementLine, index: InvoiceIndex) -> Match:
    iban = compact_identifier(line.counterparty_iban)
    steps = [Step(words("Aucune référence de facture dans le libellé"))]
    if not iban:
        steps.append(Step(words("Compte du payeur inconnu")))
        return _review(line, steps, index.with_balance(line.amount))
    client = index.of_account(iban)
    if not client:
        steps.append(Step(words("Le compte {iban} n'est celui d'aucun client", iban=iban)))
        return _review(line, steps, index.with_balance(line.amount))
    steps.append(Step(words("Le compte {iban} est celui d'un client", iban=iban)))
    fits = [inv for inv in client if inv.balance_due == line.amount]
    if len(fits) == 1:
        (invoice,) = fits
        steps.append(
            Step(
                words(
                    "Seule facture de ce client dont le reste dû égale le montant : {number}",
                    number=invoice.number,
                ),
                Euros(line.amount),
            )
        )
        allocation = Allocation(invoice.id, invoice.number, line.amount)
        return _matched(line, Method.AMOUNT_AND_IBAN, [allocation], steps)
    if fits:
        numbers = ", ".join(inv.number for inv in fits)
        steps.append(
            Step(
                words(
                    "Plusieurs factures de ce client ont ce reste dû : {numbers}", numbers=numbers
                )
            )
        )
        return _review(line, steps, fits)
    steps.append(Step(words("Aucune facture de ce client n'a ce reste dû"), Euros(line.amount)))
    return _review(line, steps, [inv for inv in client if inv.balance_due > 0])


def match_line(line: StatementLine, invoices: Sequence[OpenInvoice] | InvoiceIndex) -> Match:
    """How ``line`` settles ``invoices`` (the seller's open invoices), with the reasons."""
    index = invoices if isinstance(invoices, InvoiceIndex) else InvoiceIndex(invoices)
    if line.direction is Direction.DEBIT:
        return _review(
            line, [Step(words("Débit : de l'argent sorti du compte, pas un paiement reçu"))]
        )
    if line.currency != CURRENCY:
        return _review(
            line,
            [Step(words("Devise {currency} : les factures sont en euros", currency=line.currency))],
        )
    if line.reversal:
        return _review(line, [Step(words("Contre-passation d'une opération antérieure"))])
    method, named = index.named(line)
    if len(named) == 1:
        return _one_named(line, method, named[0])
    if named:
        return _several_named(line, method, named)
    return _by_amount_and_iban(line, index)


def match_lines(
    lines: Iterable[StatementLine], invoices: Sequence[OpenInvoice]
) -> tuple[Match, ...]:
    """Each line matched in order, every allocation lowering the balance the next lines see:
    two lines cannot both settle one invoice's balance."""
    index = InvoiceIndex(invoices)
    out = []
    for line in lines:
        match = match_line(line, index)
        for allocation in match.allocations:
            index.settle(allocation)
        out.append(match)
    return tuple(out)
