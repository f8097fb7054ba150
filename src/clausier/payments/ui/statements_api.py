"""The API's router of bank statements, at ``/statements``: a statement uploaded (multipart,
``Idempotency-Key`` as every POST) and its status and counts read."""

from __future__ import annotations

from datetime import date, datetime

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from clausier.payments import statement_selectors as selectors
from clausier.payments.services import statements
from clausier.sellers.access import api_scope
from clausier.web.api import responses, token_of

router = Router(tags=["statements"])


class StatementOut(Schema):
    id: int
    filename: str
    format: str
    account_iban: str
    period_start: date | None
    period_end: date | None
    status: str
    matched_count: int
    to_review_count: int
    duplicate_count: int
    ignored_count: int
    progress_done: int
    progress_total: int
    imported_at: datetime | None
    created_at: datetime


@router.post(
    "",
    response=responses({201: StatementOut, 202: StatementOut}, 404, 409, 422),
    summary="Import a bank statement (multipart: the file, its format, the CSV mapping's bank)",
    description="`format` is `camt053` or `csv`; a CSV is read with the column mapping saved "
    "for `mapping` (the bank's name). A file that cannot be read is a 422 naming the element "
    "(or the line and column) and the reason, and nothing is imported. A statement of up to "
    "200 lines is imported at once (201, its counts); a larger one in the background (202, "
    "`status` `queued`: read `GET /statements/{id}` until `imported`). Lines already "
    "imported are counted in `duplicate_count` and pay nothing twice.",
)
def upload_statement(
    request,
    file: File[UploadedFile],
    format: Form[str] = "camt053",
    mapping: Form[str] = "",
):
    scope = api_scope(request)
    saved = statements.saved_mapping(seller=scope.seller, format=format, bank=mapping)
    statement = statements.start_statement_import(
        seller=scope.seller,
        data=statements.uploaded_bytes(file=file),
        filename=file.name or "",
        format=format,
        mapping=saved,
        by=token_of(request),
    )
    return Status(201 if statement.is_done else 202, statement)


@router.get(
    "/{statement_id}",
    response=responses({200: StatementOut}, 404),
    summary="A bank statement: where its import is and what became of its lines",
)
def get_statement(request, statement_id: int):
    return selectors.statement_for_seller(
        seller=api_scope(request).seller, statement_id=statement_id
    )
