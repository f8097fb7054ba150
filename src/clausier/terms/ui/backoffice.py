"""Staff screens of the terms: versions, their clauses and legal lint, publishing; and the
acceptances a client sent outside the portal. Thin: read through ``terms.selectors``, write
through ``terms.services``."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.customers import selectors as customer_selectors
from clausier.kernel.errors import DomainError
from clausier.sellers.access import render_staff, staff_action, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.terms import selectors as terms_selectors
from clausier.terms import services as terms_services
from clausier.terms.ui import forms
from clausier.web.forms import attempt, submit
from clausier.web.presenters import finding_counts
from clausier.web.responses import row_or_404


@staff_action("acceptances.record")
def acceptance_add(request: HttpRequest, scope: StaffScope, client_id: int) -> HttpResponse:
    client = customer_selectors.client_for_scope(scope=scope, client_id=client_id)
    form = forms.AcceptanceForm(request.POST, request.FILES)
    done = submit(
        form,
        lambda data: terms_services.record_acceptance(
            client=client,
            version=terms_selectors.version_for_seller(
                seller=scope.seller, version_id=data["version"]
            ),
            method=data["method"],
            accepted_by_name=data["accepted_by_name"],
            accepted_at=data["accepted_at"],
            message_id=data["message_id"].strip(),
            evidence_file=data["evidence_file"],
            by=request.user,
        ),
    )
    if done.ok:
        messages.success(
            request,
            _("Acceptation des CGV %(label)s enregistrée.") % {"label": done.result.version.label},
        )
        return redirect("backoffice:client", slug=scope.seller.slug, client_id=client.pk)
    # Refused: the form again with its errors, on a page of its own that leads back to the
    # client (the client page belongs to customers).
    return render_staff(
        request,
        scope,
        "terms/backoffice/acceptance_form.html",
        {
            "client": client,
            "pending": terms_selectors.pending_version_for_client(client=client),
            "acceptance_form": form,
        },
        status=400,
    )


@staff_view("clients.view")
def acceptance_evidence(
    request: HttpRequest, scope: StaffScope, client_id: int, acceptance_id: int
) -> FileResponse:
    client = customer_selectors.client_for_scope(scope=scope, client_id=client_id)
    acceptance = (
        terms_selectors.acceptances_for_client(client=client).filter(pk=acceptance_id).first()
    )
    if acceptance is None or not acceptance.evidence_file:
        raise Http404
    return FileResponse(
        acceptance.evidence_file.open("rb"),
        as_attachment=True,
        filename=Path(acceptance.evidence_file.name).name,
    )


@staff_view("terms.view")
def terms(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    today = timezone.localdate()
    versions = (
        terms_selectors.versions_for_seller(seller=scope.seller)
        .select_related("seller")
        .prefetch_related("clauses")
    )
    rows = [
        (v, finding_counts(terms_selectors.lint_version(version=v, on=today))) for v in versions
    ]
    return render_staff(
        request, scope, "terms/backoffice/terms.html", {"rows": rows, "today": today}
    )


def _to_version(scope: StaffScope, version) -> HttpResponse:
    return redirect("backoffice:terms_version", slug=scope.seller.slug, version_id=version.pk)


@staff_view("terms.view")
def terms_version(request: HttpRequest, scope: StaffScope, version_id: int) -> HttpResponse:
    version = terms_selectors.version_for_seller(seller=scope.seller, version_id=version_id)
    return _terms_page(request, scope, version)


def _terms_page(
    request: HttpRequest,
    scope: StaffScope,
    version,
    *,
    clause_form: forms.ClauseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    findings = terms_selectors.lint_version(version=version, on=today)
    by_clause = Counter(f.clause_id for f in findings if f.clause_id)
    clauses = [(c, by_clause.get(c.clause_id, 0)) for c in version.clauses.all()]
    if clause_form is None and version.is_editable and scope.can("terms.edit"):
        clause_form = forms.ClauseForm(initial={"position": len(clauses) + 1})
    return render_staff(
        request,
        scope,
        "terms/backoffice/version.html",
        {
            "version": version,
            "clauses": clauses,
            "findings": findings,
            "counts": finding_counts(findings),
            "today": today,
            "clause_form": clause_form,
        },
        status=status,
    )


@staff_view("terms.edit")
def terms_new(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    current = terms_selectors.current_version(seller=scope.seller)
    initial = {"text": current.text, "title": current.title} if current else {}
    form = forms.DraftForm(request.POST or None, initial=initial)
    done = submit(
        form,
        lambda data: terms_services.create_draft(seller=scope.seller, by=request.user, **data),
    )
    if done.ok:
        version = done.result
        messages.success(
            request,
            _("Brouillon %(label)s créé : ajoutez ses clauses.") % {"label": version.label},
        )
        return _to_version(scope, version)
    return render_staff(request, scope, "terms/backoffice/new.html", {"form": form})


@staff_action("terms.edit")
def clause_add(request: HttpRequest, scope: StaffScope, version_id: int) -> HttpResponse:
    version = terms_selectors.version_for_seller(seller=scope.seller, version_id=version_id)
    form = forms.ClauseForm(request.POST)
    done = submit(
        form,
        lambda data: terms_services.add_clause(version=version, fields=data, by=request.user),
        refused_status=400,
    )
    if done.ok:
        messages.success(request, _("Clause ajoutée."))
        return _to_version(scope, version)
    return _terms_page(request, scope, version, clause_form=form, status=400)


@staff_action("terms.edit")
def clause_delete(
    request: HttpRequest, scope: StaffScope, version_id: int, clause_pk: int
) -> HttpResponse:
    version = terms_selectors.version_for_seller(seller=scope.seller, version_id=version_id)
    clause = row_or_404(version.clauses.all(), clause_pk)
    attempt(
        request,
        lambda: terms_services.delete_clause(clause=clause, by=request.user),
        _("Clause %(id)s supprimée.") % {"id": clause.clause_id},
    )
    return _to_version(scope, version)


@staff_action("terms.edit")
def terms_publish(request: HttpRequest, scope: StaffScope, version_id: int) -> HttpResponse:
    version = terms_selectors.version_for_seller(seller=scope.seller, version_id=version_id)
    try:
        terms_services.publish_version(version=version, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Version %(label)s publiée : les clients la verront dans leur espace.")
            % {"label": version.label},
        )
    return _to_version(scope, version)
