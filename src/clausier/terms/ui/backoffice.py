"""Staff screens of the terms: versions, their clauses and legal lint, publishing; and the
acceptances a client sent outside the portal. Thin: read through ``terms.selectors``, write
through ``terms.services``."""

from __future__ import annotations

from collections import Counter

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
from clausier.terms.schemas import KINDS
from clausier.terms.ui import forms
from clausier.terms.ui.clause_forms import clause_form_class, clause_head_fields
from clausier.web.forms import attempt, posted, submit
from clausier.web.presenters import finding_counts
from clausier.web.responses import row_or_404, stored_file


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
    return stored_file(acceptance.evidence_file)


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


def _terms_page(request: HttpRequest, scope: StaffScope, version) -> HttpResponse:
    today = timezone.localdate()
    findings = terms_selectors.lint_version(version=version, on=today)
    by_clause = Counter(f.clause_id for f in findings if f.clause_id)
    clauses = [(c, by_clause.get(c.clause_id, 0)) for c in version.clauses.all()]
    editable = version.is_editable and scope.can("terms.edit")
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
            "kind_form": forms.KindForm() if editable else None,
        },
    )


@staff_view("terms.edit")
def terms_new(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    versions = terms_selectors.versions_for_seller(seller=scope.seller)
    chooser = forms.SourceForm(request.GET or None, versions=versions)
    source = chooser.chosen() or terms_selectors.default_source(seller=scope.seller)
    if source is not None and not chooser.is_bound:
        chooser = forms.SourceForm(initial={"source": source.pk}, versions=versions)
    initial = {"text": source.text, "title": source.title, "source": source.pk} if source else {}
    form = forms.DraftForm(posted(request), initial=initial, versions=versions)
    done = submit(form, lambda data: _create_draft(scope, request, data))
    if done.ok:
        version = done.result
        if version.copied_from is None:
            text = _("Brouillon %(label)s créé : ajoutez ses clauses.")
        else:
            text = _(
                "Brouillon %(label)s créé à partir de la version %(source)s, avec ses clauses : "
                "modifiez ce qui change."
            )
        source_label = version.copied_from.label if version.copied_from else ""
        messages.success(request, text % {"label": version.label, "source": source_label})
        return _to_version(scope, version)
    return render_staff(
        request,
        scope,
        "terms/backoffice/new.html",
        {"form": form, "chooser": chooser if versions.exists() else None, "source": source},
        status=done.status,
    )


def _create_draft(scope: StaffScope, request: HttpRequest, data: dict):
    data = dict(data)
    source = data.pop("source")
    if source is None:
        return terms_services.create_draft(seller=scope.seller, by=request.user, **data)
    return terms_services.create_draft_from(source=source, by=request.user, **data)


def _clause_page(request, scope, version, form, *, clause=None, status=200) -> HttpResponse:
    return render_staff(
        request,
        scope,
        "terms/backoffice/clause.html",
        {"version": version, "clause": clause, "form": form},
        status=status,
    )


@staff_view("terms.edit")
def clause_add(request: HttpRequest, scope: StaffScope, version_id: int) -> HttpResponse:
    """The form of a clause of the kind chosen (``?kind=``), and its addition."""
    version = terms_selectors.version_for_seller(seller=scope.seller, version_id=version_id)
    kind = request.GET.get("kind", "")
    if kind not in KINDS:  # the kind is chosen on the version's page
        return _to_version(scope, version)
    form_class = clause_form_class(kind)
    if request.method != "POST":
        position = max((c.position for c in version.clauses.all()), default=0) + 1
        form = form_class(initial={"clause_id": kind, "position": position})
        return _clause_page(request, scope, version, form)
    form = form_class(request.POST)
    done = submit(
        form,
        lambda _data: terms_services.add_clause(
            version=version, fields=form.clause_fields(), by=request.user
        ),
    )
    if done.ok:
        messages.success(request, _("Clause %(id)s ajoutée.") % {"id": done.result.clause_id})
        return _to_version(scope, version)
    return _clause_page(request, scope, version, form, status=done.status)


@staff_view("terms.edit")
def clause(request: HttpRequest, scope: StaffScope, version_id: int, clause_pk: int):
    """A clause of a draft, edited with the form of its kind."""
    version = terms_selectors.version_for_seller(seller=scope.seller, version_id=version_id)
    current = row_or_404(version.clauses.all(), clause_pk)
    if not version.is_editable:
        messages.info(
            request,
            _(
                "Une version publiée ne change plus : pour modifier les CGV, créez une "
                "nouvelle version."
            ),
        )
        return _to_version(scope, version)
    form_class = clause_form_class(current.kind)
    head = {name: getattr(current, name) for name in clause_head_fields()}
    parameters = current.ordered_parameters
    form = form_class(posted(request), initial=head, parameters=parameters)
    if request.method != "POST":
        return _clause_page(request, scope, version, form, clause=current)
    done = submit(
        form,
        lambda _data: terms_services.update_clause(
            clause=current, fields=form.clause_fields(), by=request.user
        ),
    )
    if done.ok:
        messages.success(request, _("Clause %(id)s enregistrée.") % {"id": done.result.clause_id})
        return _to_version(scope, version)
    return _clause_page(request, scope, version, form, clause=current, status=done.status)


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
