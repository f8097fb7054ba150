"""The account statement (relevé de compte) screens: the client account page in the
back-office and "Mon relevé de compte" in the portal (a client sees only its own), each with
its PDF. Reads only, through ``collections.statement``."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from clausier.collections import statement as statements
from clausier.collections.printing import render_statement_pdf
from clausier.customers import selectors as client_selectors
from clausier.customers.access import portal_view, render_portal
from clausier.documents.responses import document_response
from clausier.sellers.access import render_staff, staff_view
from clausier.sellers.selectors import StaffScope


def day_asked(request: HttpRequest) -> date:
    """The day of ``?on=YYYY-MM-DD``, today in Europe/Paris when absent or not a date."""
    try:
        return date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


def _pdf(statement: statements.Statement, language: str) -> HttpResponse:
    content = render_statement_pdf(statement=statement, language=language)
    return document_response(
        content, filename=f"releve-{statement.client.pk}-{statement.on.isoformat()}.pdf"
    )


@staff_view("invoices.view")
def client_account(request: HttpRequest, scope: StaffScope, client_id: int) -> HttpResponse:
    client = client_selectors.client_for_scope(scope=scope, client_id=client_id)
    statement = statements.account_statement(client=client, on=day_asked(request))
    return render_staff(
        request,
        scope,
        "collections/statement/backoffice.html",
        {"client": client, "statement": statement},
    )


@staff_view("invoices.view")
def client_account_pdf(request: HttpRequest, scope: StaffScope, client_id: int) -> HttpResponse:
    client = client_selectors.client_for_scope(scope=scope, client_id=client_id)
    statement = statements.account_statement(client=client, on=day_asked(request))
    return _pdf(statement, request.LANGUAGE_CODE)


@portal_view
def statement(request: HttpRequest, contact) -> HttpResponse:
    found = statements.account_statement(client=contact.client, on=day_asked(request))
    return render_portal(
        request, contact, "collections/statement/portal.html", {"statement": found}
    )


@portal_view
def statement_pdf(request: HttpRequest, contact) -> HttpResponse:
    found = statements.account_statement(client=contact.client, on=day_asked(request))
    return _pdf(found, request.LANGUAGE_CODE)
