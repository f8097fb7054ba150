"""The account statement's REST router, at ``/clients``: ``GET /clients/{id}/statement?on=``,
a client's statement on a day (its documents, payments and refunds with the running balance,
the interest to date and indemnity per late invoice, the total due), every figure with its
explanation (the usual ``Explained`` JSON, worded in the request's language)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ninja import Router, Schema

from clausier.collections import statement as statements
from clausier.customers import selectors as client_selectors
from clausier.kernel.wording import worded_explanation
from clausier.rules.explain import Explained
from clausier.sellers.access import api_scope
from clausier.web.api import responses, today_in_paris

client_statement_router = Router(tags=["collections"])


def _explained(explained: Explained) -> dict[str, Any]:
    return worded_explanation(explained.as_dict())


class StatementLineOut(Schema):
    on: date
    kind: str  # invoice, credit_note, payment, refund, interest, indemnity
    label: str
    invoice_id: int | None
    debit: Decimal
    credit: Decimal
    balance: Decimal
    explanation: dict[str, Any]


class MissingRateOut(Schema):
    invoice_id: int
    number: str
    message: str


class StatementOut(Schema):
    client_id: int
    on: date
    lines: list[StatementLineOut]
    principal: Decimal
    interest: Decimal
    indemnities: Decimal
    total_due: Decimal
    explanations: dict[str, dict[str, Any]]
    missing_rates: list[MissingRateOut]

    @staticmethod
    def build(found: statements.Statement) -> StatementOut:
        return StatementOut(
            client_id=found.client.pk,
            on=found.on,
            lines=[
                StatementLineOut(
                    on=line.on,
                    kind=line.kind,
                    label=line.label,
                    invoice_id=line.invoice.pk if line.invoice else None,
                    debit=line.debit,
                    credit=line.credit,
                    balance=line.balance,
                    explanation=_explained(line.explained),
                )
                for line in found.lines
            ],
            principal=found.principal.value,
            interest=found.interest.value,
            indemnities=found.indemnities.value,
            total_due=found.total_due.value,
            explanations={
                "principal": _explained(found.principal),
                "interest": _explained(found.interest),
                "indemnities": _explained(found.indemnities),
                "total_due": _explained(found.total_due),
            },
            missing_rates=[
                MissingRateOut(
                    invoice_id=late.invoice.pk, number=late.invoice.number, message=late.missing
                )
                for late in found.missing
            ],
        )


@client_statement_router.get(
    "/{client_id}/statement",
    response=responses({200: StatementOut}, 404, 422),
    summary="A client's account statement on a day",
    description=(
        "Every document issued to the client up to `on` (invoices debit what they ask, "
        "credit notes credit their total), every payment the seller had by then and every "
        "refund paid back, in date order with the running balance; then the late interest "
        "to date and the recovery indemnity of each late invoice (C. com. L441-10 between "
        "professionals), and the total due. A rate missing from the tables leaves that "
        "invoice's penalties out and says so in `missing_rates`. `on` defaults to today "
        "(Europe/Paris)."
    ),
)
def client_statement(request, client_id: int, on: date | None = None):
    client = client_selectors.client_for_scope(scope=api_scope(request), client_id=client_id)
    found = statements.account_statement(client=client, on=on or today_in_paris())
    return StatementOut.build(found)
