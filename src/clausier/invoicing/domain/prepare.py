"""The document: everything an issued invoice shows, computed once (:func:`prepare`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from clausier.invoicing.document import (
    ClauseUsed,
    InvoiceDocument,
)
from clausier.invoicing.domain.due_date import DueDate, due_date, listed
from clausier.invoicing.domain.facts import (
    KINDS,
    PAYMENT_METHOD_WORDS,
    UNIT_WORDS,
    UNITS,
    VAT_MENTION_WORDS,
    InvoiceFacts,
    InvoiceRuleError,
    means_words,
    vat_regime,
)
from clausier.invoicing.domain.penalties import (
    Indemnity,
    Penalty,
    early_payment_words,
    indemnity,
    late_penalty,
)
from clausier.invoicing.domain.totals import Totals, amount_due, document_nature, totals
from clausier.invoicing.domain.transfer import TRANSFER, transfer_payload
from clausier.invoicing.domain.worded import WordedCondition, frozen
from clausier.rules.money import (
    CENT,
    ZERO,
    VatRegime,
    format_eur,
)
from clausier.rules.wording import Euros, Percent, Words, words

# --- the document ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Prepared:
    """Everything a document says but its number (see :meth:`document`)."""

    facts: InvoiceFacts
    regime: VatRegime
    totals: Totals
    prepaid_amount: Decimal
    amount_due: Decimal
    due: DueDate
    penalty: Penalty
    indemnity: Indemnity
    payment_terms: Words | str
    conditions: tuple[WordedCondition, ...]
    clauses: tuple[ClauseUsed, ...]

    def wording(self) -> dict[str, Any]:
        """The document's sentences in their :class:`Words` form (``InvoiceDocument.wording``):
        what the page and a courtesy translation word again in the reader's language."""
        facts = self.facts
        mention = VAT_MENTION_WORDS.get(self.regime)
        units = []
        for line in facts.lines:
            label = UNITS[line.unit][0]
            same = not line.unit_label or line.unit_label == label
            units.append(frozen(UNIT_WORDS[line.unit]) if same else line.unit_label)
        wording: dict[str, Any] = {
            "due_date_explanation": frozen(self.due.words),
            "payment_terms": frozen(self.payment_terms),
            "late_penalty": frozen(self.penalty.words),
            "recovery_indemnity": frozen(self.indemnity.words),
            "early_payment_discount": frozen(early_payment_words(facts)),
            "conditions": [c.as_dict() for c in self.conditions],
            "units": units,
        }
        if any(isinstance(note, Words) for note in facts.notes):
            wording["notes"] = [frozen(note) for note in facts.notes]
        if facts.terms_label:
            wording["terms_version"] = frozen(words("CGV {terms}", terms=facts.terms_label))
        if mention is not None:
            wording["vat_mentions"] = [frozen(mention)]
            wording["exemption_reason"] = frozen(mention)
        return wording

    def document(self, *, number: str) -> InvoiceDocument:
        facts = self.facts
        reference = number
        if facts.quote_reference:
            reference = f"{number} / devis {facts.quote_reference}"
        document = InvoiceDocument(
            kind=facts.kind,  # type: ignore[arg-type]
            number=number,
            issue_date=facts.issue_date,
            seller=facts.seller,
            buyer=facts.buyer,
            nature=document_nature(facts.lines),  # type: ignore[arg-type]
            lines=self.totals.lines,
            vat_breakdown=self.totals.vat_breakdown,
            total_ht=self.totals.total_ht,
            total_vat=self.totals.total_vat,
            total_ttc=self.totals.total_ttc,
            prepaid_amount=self.prepaid_amount,
            amount_due=self.amount_due,
            due_date=self.due.value,
            due_date_explanation=self.due.sentence,
            terms_version=f"CGV {facts.terms_label}" if facts.terms_label else "",
            delivery_address=facts.delivery_address,
            service_date=facts.service_date or facts.issue_date,
            vat_mentions=(self.regime.mention,) if self.regime.mention else (),
            vat_on_debits=facts.vat_on_debits and self.regime is VatRegime.NORMAL,
            payment_terms=str(self.payment_terms),
            late_penalty=self.penalty.sentence,
            late_penalty_rate=self.penalty.rate_percent,
            recovery_indemnity=self.indemnity.sentence,
            early_payment_discount=str(early_payment_words(facts)),
            iban=facts.iban,
            bic=facts.bic,
            payment_reference="" if facts.is_credit_note else reference,
            order_reference=facts.order_reference,
            quote_reference=facts.quote_reference,
            corrected_number=facts.corrected.number if facts.corrected else "",
            corrected_issue_date=facts.corrected.issue_date if facts.corrected else None,
            deductions=facts.deductions,
            clauses=self.clauses,
            conditions=tuple(c.condition for c in self.conditions),
            notes=tuple(str(note) for note in facts.notes),
            wording=self.wording(),
        )
        methods = facts.payment_methods
        accepts_transfer = methods is None or TRANSFER in methods.methods
        return replace(
            document, transfer_qr=transfer_payload(document, accepts_transfer=accepts_transfer)
        )

    def explanations(self) -> dict[str, Any]:
        """The arithmetic behind the figures, JSON-ready, for the "pourquoi ?" screens."""
        out: dict[str, Any] = {
            "totals": self.totals.explained.as_dict(),
            "due_date": self.due.explained.as_dict(),
            "recovery_indemnity": self.indemnity.explained.as_dict(),
        }
        if self.penalty.explained is not None:
            out["late_penalty"] = self.penalty.explained.as_dict()
        return out


def _payment_terms(facts: InvoiceFacts, due: DueDate) -> Words | str:
    if facts.is_credit_note:
        return ""
    if facts.prepayment is not None:
        paid = facts.prepayment
        return words("Payée le {date} ({means}).", date=paid.paid_on, means=means_words(paid.means))
    methods = facts.payment_methods
    if methods is not None and methods.methods:
        names: list[Words] = [
            PAYMENT_METHOD_WORDS.get(m) or words("{method}", method=m) for m in methods.methods
        ]
        how = (
            words("{some} ou {last}", some=listed(names[:-1]), last=names[-1])
            if len(names) > 1
            else names[0]
        )
        return words(
            "Payable au plus tard le {date} ({reason}), par {methods} ({cite}).",
            date=due.value,
            reason=due.reason,
            methods=how,
            cite=methods.source.cited,
        )
    return words("Payable au plus tard le {date} ({reason}).", date=due.value, reason=due.reason)


def _clauses_used(facts: InvoiceFacts) -> tuple[ClauseUsed, ...]:
    sources = [
        facts.payment_due.source if facts.payment_due else None,
        facts.payment_methods.source if facts.payment_methods else None,
        facts.early_discount.source if facts.early_discount else None,
        facts.deposit.source if facts.deposit else None,
        facts.late_penalty.source if facts.late_penalty else None,
        facts.indemnity,
        facts.prepayment.source if facts.prepayment else None,
    ]
    seen: dict[str, ClauseUsed] = {}
    for source in sources:
        if source is not None and source.clause_id not in seen:
            seen[source.clause_id] = source.used
    return tuple(seen.values())


_REGIME_EXPLANATIONS = {
    VatRegime.FRANCHISE_293B: words("franchise en base de TVA"),
    VatRegime.REVERSE_CHARGE_EU: words(
        "prestation à un assujetti d'un autre État membre : TVA due par le client"
    ),
    VatRegime.OUT_OF_SCOPE: words(
        "intérêts de retard et indemnité forfaitaire pour frais de recouvrement : des "
        "dommages et intérêts, contrepartie d'aucune prestation"
    ),
}


def prepare(facts: InvoiceFacts) -> Prepared:
    """Compute the document from the facts, or raise :class:`InvoiceRuleError`.

    The caller checks :func:`missing_mentions` first; this function assumes the mentions are
    there and computes the figures.
    """
    if facts.kind not in KINDS:
        raise InvoiceRuleError(f"Type de document inconnu : {facts.kind!r}.")
    regime = vat_regime(
        seller_regime=facts.seller_regime,
        buyer_country=facts.buyer.address.country,
        buyer_is_professional=facts.buyer.is_professional,
        buyer_vat_number=facts.buyer.vat_number,
        kind=facts.kind,
    )
    computed = totals(facts.lines, regime)
    prepaid = ZERO.quantize(CENT)
    if facts.kind == "final" or facts.deductions:
        left = amount_due(total_ttc=computed.total_ttc, deductions=facts.deductions)
        prepaid = computed.total_ttc - left
    else:
        left = computed.total_ttc
    if facts.prepayment is not None:
        if facts.prepayment.amount != left:
            raise InvoiceRuleError(
                f"Le paiement reçu ({format_eur(facts.prepayment.amount)}) diffère du montant "
                f"de la facture ({format_eur(left)})."
            )
        prepaid += facts.prepayment.amount
        left = ZERO.quantize(CENT)
    due = due_date(facts)
    penalty = late_penalty(facts, due_on=due.value)
    fee = indemnity(facts)

    conditions = [due.worded]
    if facts.deposit is not None:
        basis = facts.deposit
        conditions.append(
            WordedCondition(
                label=words("Acompte"),
                value=words("{amount}", amount=Euros(basis.amount)),
                explanation=words(
                    "{rate} du total HT du devis ({base})",
                    rate=Percent(basis.rate),
                    base=Euros(basis.base_ht),
                ),
                source=basis.source.cited,
            )
        )
    if facts.deductions:
        deducted = sum((d.amount_ttc for d in facts.deductions), ZERO)
        conditions.append(
            WordedCondition(
                label=words("Acomptes déduits"),
                value=words("{amount}", amount=Euros(deducted)),
                explanation=listed(
                    [
                        words(
                            "{number} du {date} ({amount})",
                            number=d.number,
                            date=d.issue_date,
                            amount=Euros(d.amount_ttc),
                        )
                        for d in facts.deductions
                    ]
                ),
                source=facts.deposit.source.cited if facts.deposit else "",
            )
        )
    if penalty.worded:
        conditions.append(penalty.worded)
    if fee.worded:
        conditions.append(fee.worded)
    if regime is not VatRegime.NORMAL:
        conditions.append(
            WordedCondition(
                label=words("TVA"),
                value=VAT_MENTION_WORDS[regime],
                explanation=_REGIME_EXPLANATIONS[regime],
                source=regime.legal_fact.source,
            )
        )
    return Prepared(
        facts=facts,
        regime=regime,
        totals=computed,
        prepaid_amount=prepaid,
        amount_due=left,
        due=due,
        penalty=penalty,
        indemnity=fee,
        payment_terms=_payment_terms(facts, due),
        conditions=tuple(conditions),
        clauses=_clauses_used(facts),
    )
