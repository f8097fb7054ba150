"""What the law says of payment when the contract says nothing: the payment term of C. com.
L441-10 I, al. 1 ("à défaut de stipulations contraires"), which an invoice (its due date)
and a quote (its payment terms) both state when the seller's terms set none."""

from __future__ import annotations

from clausier.rules.explain import LegalFact

# Terms that set no payment term: payment is due on the 30th day after the receipt of the
# goods or the execution of the service (calendar days, counted by ``deadlines.day_after``).
LEGAL_PAYMENT_TERM = LegalFact(30, "C. com. L441-10 I, al. 1")

__all__ = ["LEGAL_PAYMENT_TERM"]
