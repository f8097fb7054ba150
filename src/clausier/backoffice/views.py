"""Staff screens. Thin: resolve the scope (``access.staff_view``), read through selectors,
write through services, render. Every figure that needs one carries a "pourquoi ?"."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import timedelta
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clausier.api import selectors as api_selectors
from clausier.api import services as api_services
from clausier.audit.selectors import events_for_object, events_for_seller
from clausier.backoffice import forms
from clausier.customers import selectors as customer_selectors
from clausier.customers import services as customer_services
from clausier.customers.domain import client_warnings
from clausier.customers.models import ClientKind
from clausier.kernel.errors import DomainError
from clausier.orders import selectors as order_selectors
from clausier.orders.models import OrderStatus
from clausier.quotes import selectors as quote_selectors
from clausier.quotes.models import QuoteStatus
from clausier.sellers.access import render_staff, staff_view
from clausier.sellers.selectors import StaffScope, sellers_for_user
from clausier.terms import selectors as terms_selectors
from clausier.terms import services as terms_services
from clausier.web.forms import add_service_errors

CLIENTS_PER_PAGE = 25
EVENTS_PER_PAGE = 50
SEVERITIES = ("error", "warning", "info")


def finding_counts(findings) -> dict[str, int]:
    counts = Counter(f.severity for f in findings)
    return {**{s: counts.get(s, 0) for s in SEVERITIES}, "total": len(findings)}


# --- seller switcher and home ----------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    sellers = list(sellers_for_user(user=request.user))
    if len(sellers) == 1:
        return redirect("backoffice:home", slug=sellers[0].slug)
    if not sellers:
        return render(request, "web/no_access.html", status=403)
    return render(request, "backoffice/index.html", {"sellers": sellers})


@staff_view()
def home(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    seller = scope.seller
    by_kind = dict(
        customer_selectors.clients_for_scope(scope=scope)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    today = timezone.localdate()
    published = terms_selectors.current_version(seller=seller)
    findings = terms_selectors.lint_version(version=published, on=today) if published else []
    events = events_for_seller(seller=seller)[:10] if scope.can("audit.view") else []
    pipeline = None
    if scope.can("quotes.view") and scope.can("orders.view"):
        pipeline = quote_selectors.quotes_for_seller(
            seller=seller, status=QuoteStatus.SENT
        ).aggregate(
            awaiting=Count("id"),
            expiring=Count(
                "id",
                filter=Q(valid_until__gte=today, valid_until__lte=today + timedelta(days=7)),
            ),
        ) | {
            "awaiting_deposit": order_selectors.orders_for_seller(
                seller=seller, status=OrderStatus.AWAITING_DEPOSIT
            ).count(),
            "late_executions": order_selectors.count_late_executions(seller=seller, today=today),
        }
    return render_staff(
        request,
        scope,
        "backoffice/home.html",
        {
            "kinds": [(value, label, by_kind.get(value, 0)) for value, label in ClientKind.choices],
            "clients_total": sum(by_kind.values()),
            "published": published,
            "counts": finding_counts(findings),
            "today": today,
            "events": events,
            "pipeline": pipeline,
        },
    )


# --- clients ---------------------------------------------------------------------------------


@staff_view("clients.view")
def clients(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    filters = forms.ClientFilterForm(request.GET)
    q, kind, sort = filters.values()
    rows = customer_selectors.clients_for_scope(scope=scope, q=q, kind=kind).order_by(
        *forms.ClientFilterForm.SORTS[sort]
    )
    if request.GET.get("format") == "csv":
        return _clients_csv(scope, rows)
    page = Paginator(rows, CLIENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "q": q,
        "kind": kind,
        "sort": sort,
        "page": page,
        "filtered": bool(q or kind),
    }
    # Live search swaps the results only; the full page otherwise.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "backoffice/_clients_results.html" if partial else "backoffice/clients.html"
    response = render_staff(request, scope, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _clients_csv(scope: StaffScope, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="clients-{scope.seller.slug}.csv"'
    response.write("\ufeff")  # lets spreadsheet software read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Nom"),
            _("Type"),
            "SIREN",
            _("TVA intracommunautaire"),
            _("E-mail"),
            _("Téléphone"),
            _("Code postal"),
            _("Ville"),
            _("Pays"),
            _("Créé le"),
        ]
    )
    for c in rows.iterator():
        writer.writerow(
            [
                c.name,
                c.get_kind_display(),
                c.siren,
                c.vat_number,
                c.email,
                c.phone,
                c.billing_postal_code,
                c.billing_city,
                c.billing_country,
                timezone.localtime(c.created_at).strftime("%d/%m/%Y"),
            ]
        )
    return response


@staff_view("clients.edit")
def client_new(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    form = forms.ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client = customer_services.create_client(
                seller=scope.seller, fields=form.cleaned_data, by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Client « %(name)s » créé.") % {"name": client.name})
            return redirect("backoffice:client", slug=scope.seller.slug, client_id=client.pk)
    return render_staff(request, scope, "backoffice/client_form.html", {"form": form})


@staff_view("clients.edit")
def client_edit(request: HttpRequest, scope: StaffScope, client_id: int) -> HttpResponse:
    client = customer_selectors.client_for_scope(scope=scope, client_id=client_id)
    form = forms.ClientForm(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            customer_services.update_client(client=client, fields=changed, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Client mis à jour."))
            return redirect("backoffice:client", slug=scope.seller.slug, client_id=client.pk)
    return render_staff(
        request, scope, "backoffice/client_form.html", {"form": form, "client": client}
    )


def _client_page(
    request: HttpRequest,
    scope: StaffScope,
    client,
    *,
    contact_form: forms.ContactForm | None = None,
    acceptance_form: forms.AcceptanceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    acceptances = list(terms_selectors.acceptances_for_client(client=client))
    pending = terms_selectors.pending_version_for_client(client=client)
    if acceptance_form is None and pending is not None:
        acceptance_form = forms.AcceptanceForm(initial={"version": pending.pk})
    return render_staff(
        request,
        scope,
        "backoffice/client_detail.html",
        {
            "client": client,
            "warnings": client_warnings(
                kind=client.kind, siren=client.siren, on=timezone.localdate()
            ),
            "contacts": customer_selectors.contacts_for_client(client=client),
            "contact_form": contact_form or forms.ContactForm(),
            "acceptances": acceptances,
            # acceptances come newest first: the first is the version in force
            "in_force": acceptances[0] if acceptances else None,
            "pending": pending,
            "acceptance_form": acceptance_form,
            "events": events_for_object(obj=client)[:50],
        },
        status=status,
    )


@staff_view("clients.view")
def client(request: HttpRequest, scope: StaffScope, client_id: int) -> HttpResponse:
    client = customer_selectors.client_for_scope(scope=scope, client_id=client_id)
    return _client_page(request, scope, client)


@require_POST
@staff_view("clients.edit")
def contact_add(request: HttpRequest, scope: StaffScope, client_id: int) -> HttpResponse:
    client = customer_selectors.client_for_scope(scope=scope, client_id=client_id)
    form = forms.ContactForm(request.POST)
    if form.is_valid():
        try:
            contact = customer_services.add_contact(
                client=client, fields=form.contact_fields(), by=request.user
            )
            if form.cleaned_data["portal_access"]:
                customer_services.grant_portal_access(
                    contact=contact, by=request.user, password=form.cleaned_data["password"] or None
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contact « %(name)s » ajouté.") % {"name": contact.name})
            return redirect("backoffice:client", slug=scope.seller.slug, client_id=client.pk)
    return _client_page(request, scope, client, contact_form=form, status=400)


@require_POST
@staff_view("clients.edit")
def contact_portal_access(
    request: HttpRequest, scope: StaffScope, client_id: int, contact_id: int
) -> HttpResponse:
    client = customer_selectors.client_for_scope(scope=scope, client_id=client_id)
    contact = customer_selectors.contact_for_client(client=client, contact_id=contact_id)
    try:
        customer_services.grant_portal_access(contact=contact, by=request.user)
    except (ValidationError, DomainError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            _("Accès à l'espace client créé pour %(name)s (identifiant : %(email)s).")
            % {"name": contact.name, "email": contact.email.lower()},
        )
    return redirect("backoffice:client", slug=scope.seller.slug, client_id=client.pk)


@require_POST
@staff_view("acceptances.record")
def acceptance_add(request: HttpRequest, scope: StaffScope, client_id: int) -> HttpResponse:
    client = customer_selectors.client_for_scope(scope=scope, client_id=client_id)
    form = forms.AcceptanceForm(request.POST, request.FILES)
    if form.is_valid():
        version = terms_selectors.version_for_seller(
            seller=scope.seller, version_id=form.cleaned_data["version"]
        )
        data = form.cleaned_data
        try:
            terms_services.record_acceptance(
                client=client,
                version=version,
                method=data["method"],
                accepted_by_name=data["accepted_by_name"],
                accepted_at=data["accepted_at"],
                message_id=data["message_id"].strip(),
                evidence_file=data["evidence_file"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Acceptation des CGV %(label)s enregistrée.") % {"label": version.label},
            )
            return redirect("backoffice:client", slug=scope.seller.slug, client_id=client.pk)
    return _client_page(request, scope, client, acceptance_form=form, status=400)


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


# --- terms -----------------------------------------------------------------------------------


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
    return render_staff(request, scope, "backoffice/terms.html", {"rows": rows, "today": today})


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
        "backoffice/terms_version.html",
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
    if request.method == "POST" and form.is_valid():
        try:
            version = terms_services.create_draft(
                seller=scope.seller, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Brouillon %(label)s créé : ajoutez ses clauses.") % {"label": version.label},
            )
            return _to_version(scope, version)
    return render_staff(request, scope, "backoffice/terms_new.html", {"form": form})


@require_POST
@staff_view("terms.edit")
def clause_add(request: HttpRequest, scope: StaffScope, version_id: int) -> HttpResponse:
    version = terms_selectors.version_for_seller(seller=scope.seller, version_id=version_id)
    form = forms.ClauseForm(request.POST)
    if form.is_valid():
        try:
            terms_services.add_clause(version=version, fields=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Clause ajoutée."))
            return _to_version(scope, version)
    return _terms_page(request, scope, version, clause_form=form, status=400)


@require_POST
@staff_view("terms.edit")
def clause_delete(
    request: HttpRequest, scope: StaffScope, version_id: int, clause_pk: int
) -> HttpResponse:
    version = terms_selectors.version_for_seller(seller=scope.seller, version_id=version_id)
    clause = next((c for c in version.clauses.all() if c.pk == clause_pk), None)
    if clause is None:
        raise Http404
    try:
        terms_services.delete_clause(clause=clause, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Clause %(id)s supprimée.") % {"id": clause.clause_id})
    return _to_version(scope, version)


@require_POST
@staff_view("terms.edit")
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


# --- audit and API ---------------------------------------------------------------------------


@staff_view("audit.view")
def audit(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    events = events_for_seller(seller=scope.seller)
    verbs = sorted(set(events.order_by().values_list("verb", flat=True).distinct()))
    verb = request.GET.get("verb", "")
    if verb in verbs:
        events = events.filter(verb=verb)
    else:
        verb = ""
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render_staff(
        request, scope, "backoffice/audit.html", {"page": page, "verbs": verbs, "verb": verb}
    )


@staff_view("api_tokens.manage")
def api_tokens(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    form = forms.ApiTokenForm(request.POST or None)
    secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _token, secret = api_services.create_token(
                seller=scope.seller, name=form.cleaned_data["name"], by=request.user
            )
            # The secret is shown on this response only: never stored, never redirected to.
            form = forms.ApiTokenForm()
        else:
            status = 400
    tokens = api_selectors.tokens_for_seller(seller=scope.seller)
    return render_staff(
        request,
        scope,
        "backoffice/api_tokens.html",
        {"form": form, "tokens": tokens, "secret": secret},
        status=status,
    )


@require_POST
@staff_view("api_tokens.manage")
def api_token_revoke(request: HttpRequest, scope: StaffScope, token_id: int) -> HttpResponse:
    token = api_selectors.tokens_for_seller(seller=scope.seller).filter(pk=token_id).first()
    if token is None:
        raise Http404
    api_services.revoke_token(token=token, by=request.user)
    messages.success(request, _("Jeton « %(name)s » révoqué.") % {"name": token.name})
    return redirect("backoffice:api_tokens", slug=scope.seller.slug)
