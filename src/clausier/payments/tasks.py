"""Background jobs of payments (django.tasks, worked by ``clausier db_worker``): a bank
statement's lines imported, its page showing the progress."""

from __future__ import annotations

from django.tasks import task

from clausier.payments.services import statements
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
