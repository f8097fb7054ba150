"""Background jobs of payments (django.tasks, worked by ``clausier db_worker``): a bank
statement's lines imported, its page showing the progress; an invoice charged to the client's
saved card after its issue, and the client told when that failed."""

from __future__ import annotations

from django.tasks import task

from clausier.payments.models import Payment
from clausier.payments.services import saved_cards, statements
from clausier.payments.statement_models import BankStatement


@task
def import_bank_statement(statement_id: int) -> dict[str, int]:
    """Import the lines of a queued statement (:func:`~clausier.payments.services.statements.
    run_statement`). Idempotent and resumable: lines already stored are not stored again, an
    imported statement is left as it is. Returns its counts."""
    statement = BankStatement.objects.select_related("imported_by").get(pk=statement_id)
    done = statements.run_statement(statement=statement, by=statement.imported_by)
    return {
        "matched": done.matched_count,
        "to_review": done.to_review_count,
        "duplicates": done.duplicate_count,
    }


@task
def charge_saved_card_task(payment_id: int) -> str:
    """Charge an invoice's pending payment to the client's saved card, after the issuing
    transaction committed (:func:`~clausier.payments.services.saved_cards.charge_saved_card`):
    run twice, it charges once. Returns the payment's status."""
    payment = saved_cards.charge_saved_card(payment=Payment(pk=payment_id))
    return payment.status


@task
def email_failed_charge_task(payment_id: int) -> str:
    """Tell the client its saved card could not be charged; returns the Message-ID."""
    return saved_cards.email_failed_charge(payment=Payment(pk=payment_id))


@task
def retry_stuck_saved_card_charges() -> dict[str, int]:
    """The saved-card charges stuck pending, sent again or given up
    (:func:`~clausier.payments.services.saved_cards.retry_stuck_charges`). Idempotent: a
    charge tried less than a quarter of an hour ago is left alone. Returns the counts."""
    return saved_cards.retry_stuck_charges()
