"""Staff screens of quotes (devis): the list, the editor, the quote page with its actions by
state, the PDF. Thin: read through ``quotes.selectors``, write through ``quotes.services``;
every refusal of a service is shown in its own words, next to the field it names."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clausier.audit.selectors import events_for_object
from clausier.catalog import selectors as catalog_selectors
from clausier.catalog.domain import default_vat_rate
from clausier.customers import selectors as customer_selectors
from clausier.kernel.errors import DomainError
from clausier.kernel.labels import field_label
from clausier.quotes import presenters as quote_presenters
from clausier.quotes import selectors as quote_selectors
from clausier.quotes import services as quote_services
from clausier.quotes.models import Quote, QuoteStatus
from clausier.quotes.ui import forms
from clausier.quotes.ui.documents import acceptance_of, pdf_language, pdf_response
from clausier.rules.money import VatRegime
from clausier.sellers import confidentiality
from clausier.sellers.access import StaffView, render_staff, staff_action, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.terms import selectors as terms_selectors
from clausier.web.forms import (
    ConfidentialityForm,
    add_service_errors,
    attempt,
    edit_document,
    submit,
)
from clausier.web.labels import labelled
from clausier.web.responses import row_or_404, stored_file

QUOTES_PER_PAGE = 25
EXPIRING_DAYS = 7
# The states in which a quote still waits for the client: its validity date matters.
OPEN_STATES = frozenset({QuoteStatus.DRAFT, QuoteStatus.SENT})
# Service error keys that are not form fields, in the words of the page.
SEND_FIELDS = {
    "lines": gettext_lazy("Lignes"),
    "nature": gettext_lazy("Nature des prestations"),
    "payment_terms": gettext_lazy("Modalités de paiement"),
    "valid_until": gettext_lazy("Validité"),
    "requires_deposit": gettext_lazy("Acompte"),
}


def _to_quote(scope: StaffScope, quote: Quote) -> HttpResponse:
    return redirect("backoffice:quote", slug=scope.seller.slug, quote_id=quote.pk)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return " ".join(
                labelled(field_label(Quote, key, SEND_FIELDS), message)
                for key, items in exc.message_dict.items()
                for message in items
            )
        return " ".join(exc.messages)
    return str(exc)


# --- list ------------------------------------------------------------------------------------


@staff_view("quotes.view")
def quotes(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    filters = forms.QuoteFilterForm(request.GET)
    values = filters.values()
    today = timezone.localdate()
    expiring = values["expiring"]  # sent, valid today and at most EXPIRING_DAYS more
    asked = quote_selectors.QuoteFilters(
        search=values["q"],
        status=QuoteStatus.SENT if expiring else values["status"],
        valid_on=today if expiring else None,
        expiring_before=today + timedelta(days=EXPIRING_DAYS + 1) if expiring else None,
    )
    rows = quote_selectors.quote_list(scope=scope, filters=asked)
    if expiring and values["status"] not in ("", QuoteStatus.SENT):
        rows = rows.none()  # only a sent quote expires
    rows = rows.order_by(*forms.QuoteFilterForm.SORTS[values["sort"]])
    page = Paginator(rows, QUOTES_PER_PAGE).get_page(request.GET.get("page"))
    # A draft has no frozen total yet: compute it from its lines (one query for the page).
    drafts = [q for q in page.object_list if q.status == QuoteStatus.DRAFT]
    prefetch_related_objects(drafts, "lines")
    for quote in drafts:
        quote.seller = scope.seller
        totals = quote_selectors.quote_totals(quote=quote)
        quote.draft_total_ht = totals.value.total_ht if totals else None
    return render_staff(
        request,
        scope,
        "quotes/backoffice/list.html",
        {
            "filters": filters,
            "page": page,
            "today": today,
            "filtered": bool(values["q"] or values["status"] or values["expiring"]),
            **values,
        },
    )


# --- editor ----------------------------------------------------------------------------------


def _editor_context(scope: StaffScope, editor: forms.QuoteEditor, quote: Quote | None) -> dict:
    products = catalog_selectors.products_for_seller(seller=scope.seller).values_list(
        "code", "name"
    )
    return {
        "editor": editor,
        "form": editor.head,
        "quote": quote,
        "charges_vat": VatRegime(scope.seller.vat_regime).charges_vat,
        "products": list(products),
        "published": terms_selectors.current_version(seller=scope.seller),
    }


def _default_vat(scope: StaffScope):
    return default_vat_rate(scope.seller.vat_regime)


def _render_editor(
    request: HttpRequest, scope: StaffScope, quote: Quote | None, editor, *, status: int = 200
) -> HttpResponse:
    context = _editor_context(scope, editor, quote)
    if quote is None:
        context["confidentiality_clause"] = quote_selectors.confidentiality_clause(
            seller=scope.seller
        )
    return render_staff(request, scope, "quotes/backoffice/form.html", context, status=status)


@staff_view("quotes.edit")
def quote_new(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    clients = customer_selectors.clients_for_scope(scope=scope).order_by("name", "id")
    initial = {}
    if request.method == "GET" and request.GET.get("client"):
        initial["client"] = request.GET["client"]
    # Seed 002 art. 9: the terms may make every quote confidential, its creator named.
    clause = quote_selectors.confidentiality_clause(seller=scope.seller)
    if clause and clause.parameters.get("quotes_confidential"):
        initial["confidential"] = True

    def created(quote: Quote) -> HttpResponse:
        messages.success(
            request,
            _("Brouillon de devis créé pour %(client)s : relisez-le, puis envoyez-le.")
            % {"client": quote.client.name},
        )
        return _to_quote(scope, quote)

    return edit_document(
        request,
        forms.QuoteEditor,
        blank=lambda: forms.QuoteEditor(
            clients=clients, initial=initial, default_vat=_default_vat(scope)
        ),
        write=lambda editor: quote_services.create_quote(
            seller=scope.seller,
            client=editor.head.cleaned_data["client"],
            fields=editor.head.head_fields(),
            lines=editor.lines(),
            confidential=editor.head.cleaned_data.get("confidential", False),
            confidential_staff=[request.user.pk],
            by=request.user,
        ),
        done=created,
        render=partial(_render_editor, request, scope, None),
        clients=clients,
        default_vat=_default_vat(scope),
    )


@staff_view("quotes.edit")
def quote_edit(request: HttpRequest, scope: StaffScope, quote_id: int) -> HttpResponse:
    quote = quote_selectors.quote_for_staff(scope=scope, quote_id=quote_id)
    if not quote.is_editable:
        messages.error(
            request,
            _("%(quote)s n'est plus un brouillon : pour le changer, créez-en une révision.")
            % {"quote": quote},
        )
        return _to_quote(scope, quote)

    def save(editor: forms.QuoteEditor) -> Quote:
        quote_services.update_quote(quote=quote, fields=editor.head.head_fields(), by=request.user)
        quote_services.set_lines(quote=quote, lines=editor.lines(), by=request.user)
        return quote

    def saved(quote: Quote) -> HttpResponse:
        messages.success(request, _("Brouillon enregistré."))
        return _to_quote(scope, quote)

    return edit_document(
        request,
        forms.QuoteEditor,
        blank=lambda: forms.QuoteEditor(
            initial={name: getattr(quote, name) for name in forms.QuoteForm.HEAD_FIELDS},
            lines=[forms.line_initial(line) for line in quote.lines.all()],
            default_vat=_default_vat(scope),
        ),
        write=save,
        done=saved,
        render=partial(_render_editor, request, scope, quote),
        default_vat=_default_vat(scope),
    )


@staff_action("quotes.edit")
def quote_delete(request: HttpRequest, scope: StaffScope, quote_id: int) -> HttpResponse:
    quote = quote_selectors.quote_for_staff(scope=scope, quote_id=quote_id)
    if attempt(
        request,
        lambda: quote_services.delete_draft(quote=quote, by=request.user),
        _("Brouillon supprimé."),
    ).ok:
        return redirect("backoffice:quotes", slug=scope.seller.slug)
    return _to_quote(scope, quote)


# --- the quote page --------------------------------------------------------------------------


def _quote_page(
    request: HttpRequest,
    scope: StaffScope,
    quote: Quote,
    *,
    status: int = 200,
    **forms_given,
) -> HttpResponse:
    today = timezone.localdate()
    acceptance = acceptance_of(quote)
    history = quote_selectors.revision_history(quote=quote) if quote.number else [quote]
    successor = next((q for q in history if q.previous_id == quote.pk), None)
    is_sent = quote.status == QuoteStatus.SENT
    totals = quote_selectors.quote_totals(quote=quote)
    context = {
        "quote": quote,
        "lines": quote_presenters.line_rows(quote, totals=totals, staff=True),
        "totals": totals,
        "attachments": list(quote.attachments.all()),
        "deadline": quote_selectors.acceptance_deadline(quote=quote),
        "today": today,
        "history": history,
        "successor": successor,
        "acceptance": acceptance,
        "published": terms_selectors.current_version(seller=scope.seller)
        if quote.is_editable
        else None,
        "charges_vat": quote_presenters.charges_vat(quote),
        "attachment_form": forms_given.get("attachment_form") or forms.AttachmentForm(),
        "withdraw_form": forms_given.get("withdraw_form")
        or forms.ReasonForm(prefix="withdraw", required=False),
        "refuse_form": forms_given.get("refuse_form") or forms.ReasonForm(prefix="refuse"),
        "email_form": forms_given.get("email_form") or forms.EmailAcceptanceForm(prefix="email"),
        "postal_form": forms_given.get("postal_form")
        or forms.PostalAcceptanceForm(prefix="postal"),
        "open_form": forms_given.get("open_form", ""),
        "is_sent": is_sent,
        "expired_now": is_sent and quote.valid_until is not None and quote.valid_until < today,
        "stamp_required": quote.client.kind == "company",
        "pdf_language": pdf_language(quote) if quote.number else "",
        "events": events_for_object(obj=quote)[:30] if scope.can("audit.view") else [],
        "confidentiality": _confidentiality(scope, quote, forms_given.get("confidentiality_form")),
    }
    return render_staff(request, scope, "quotes/backoffice/detail.html", context, status=status)


def _confidentiality(scope: StaffScope, quote: Quote, form=None) -> dict:
    """The "Confidentialité" panel: the flag, the names, the form for who may change them."""
    staff = confidentiality.staff_choices(seller=scope.seller)
    named = list(quote.confidential_staff.all())
    return {
        "names": [u.get_full_name() or u.get_username() for u in named],
        "may_change": scope.can("quotes.edit")
        and confidentiality.change_refusal(quote, by=scope.user) is None,
        "form": form
        or ConfidentialityForm(
            staff=staff,
            initial={"confidential": quote.confidential, "staff": [u.pk for u in named]},
            prefix="conf",
        ),
    }


@staff_action("quotes.edit")
def quote_confidentiality(request: HttpRequest, scope: StaffScope, quote_id: int) -> HttpResponse:
    quote = quote_selectors.quote_for_staff(scope=scope, quote_id=quote_id)
    form = ConfidentialityForm(
        request.POST, staff=confidentiality.staff_choices(seller=scope.seller), prefix="conf"
    )
    done = submit(
        form,
        lambda data: quote_services.set_confidentiality(
            quote=quote,
            confidential=data["confidential"],
            staff_ids=[u.pk for u in data["staff"]],
            by=request.user,
        ),
    )
    if done.ok:
        messages.success(request, _("Confidentialité enregistrée."))
        return _to_quote(scope, quote)
    return _quote_page(request, scope, quote, status=done.status, confidentiality_form=form)


@staff_view("quotes.view")
def quote(request: HttpRequest, scope: StaffScope, quote_id: int) -> HttpResponse:
    quote = quote_selectors.quote_for_staff(scope=scope, quote_id=quote_id)
    return _quote_page(request, scope, quote)


@staff_view("quotes.view")
def quote_pdf(request: HttpRequest, scope: StaffScope, quote_id: int) -> HttpResponse:
    quote = quote_selectors.quote_for_staff(scope=scope, quote_id=quote_id)
    return pdf_response(
        quote,
        inline=request.GET.get("download") != "1",
        translation=request.GET.get("translation", ""),
    )


@staff_view("quotes.view")
def quote_attachment(
    request: HttpRequest, scope: StaffScope, quote_id: int, attachment_id: int
) -> FileResponse:
    quote = quote_selectors.quote_for_staff(scope=scope, quote_id=quote_id)
    return stored_file(row_or_404(quote.attachments.all(), attachment_id).file)


@staff_view("quotes.view")
def quote_acceptance_evidence(request: HttpRequest, scope: StaffScope, quote_id: int):
    quote = quote_selectors.quote_for_staff(scope=scope, quote_id=quote_id)
    acceptance = acceptance_of(quote)
    if acceptance is None or not acceptance.evidence_file:
        raise Http404
    return stored_file(acceptance.evidence_file)


# --- actions ---------------------------------------------------------------------------------


@staff_action("quotes.edit")
def quote_attachment_add(request: HttpRequest, scope: StaffScope, quote_id: int) -> HttpResponse:
    quote = quote_selectors.quote_for_staff(scope=scope, quote_id=quote_id)
    form = forms.AttachmentForm(request.POST, request.FILES)
    done = submit(
        form,
        lambda data: quote_services.add_attachment(
            quote=quote, kind=data["kind"], file=data["file"], title=data["title"], by=request.user
        ),
        refused_status=400,
    )
    if not done.ok:
        return _quote_page(request, scope, quote, attachment_form=form, status=done.status)
    messages.success(
        request,
        _("« %(title)s » joint au devis (%(kind)s).")
        % {"title": done.result.title, "kind": done.result.get_kind_display()},
    )
    return _to_quote(scope, quote)


@staff_action("quotes.edit")
def quote_attachment_remove(
    request: HttpRequest, scope: StaffScope, quote_id: int, attachment_id: int
) -> HttpResponse:
    quote = quote_selectors.quote_for_staff(scope=scope, quote_id=quote_id)
    attachment = row_or_404(quote.attachments.all(), attachment_id)
    attempt(
        request,
        lambda: quote_services.remove_attachment(attachment=attachment, by=request.user),
        _("« %(title)s » retiré du devis.") % {"title": attachment.title},
    )
    return _to_quote(scope, quote)


@staff_action("quotes.edit")
def quote_send(request: HttpRequest, scope: StaffScope, quote_id: int) -> HttpResponse:
    quote = quote_selectors.quote_for_staff(scope=scope, quote_id=quote_id)
    try:
        quote = quote_services.send_quote(quote=quote, by=request.user)
    except (ValidationError, DomainError) as exc:
        messages.error(request, _("Le devis n'est pas parti : %(why)s") % {"why": _error_text(exc)})
    else:
        messages.success(
            request,
            _(
                "Devis %(number)s envoyé : il est figé, et son PDF part par e-mail au client "
                "avec le lien pour l'accepter en ligne."
            )
            % {"number": quote.display_number},
        )
    return _to_quote(scope, quote)


@staff_action("quotes.edit")
def quote_revise(request: HttpRequest, scope: StaffScope, quote_id: int) -> HttpResponse:
    quote = quote_selectors.quote_for_staff(scope=scope, quote_id=quote_id)
    done = attempt(
        request,
        lambda: quote_services.revise_quote(quote=quote, by=request.user),
        lambda revision: (
            _(
                "Le devis %(old)s est remplacé : voici sa révision %(new)s, en brouillon. "
                "Modifiez-la puis envoyez-la."
            )
            % {"old": quote.display_number, "new": revision.display_number}
        ),
    )
    if not done.ok:
        return _to_quote(scope, quote)
    return redirect("backoffice:quote_edit", slug=scope.seller.slug, quote_id=done.result.pk)


@staff_action("quotes.edit")
def quote_withdraw(request: HttpRequest, scope: StaffScope, quote_id: int) -> HttpResponse:
    quote = quote_selectors.quote_for_staff(scope=scope, quote_id=quote_id)
    form = forms.ReasonForm(request.POST, prefix="withdraw", required=False)
    if form.is_valid():
        attempt(
            request,
            lambda: quote_services.withdraw_quote(
                quote=quote, reason=form.cleaned_data["reason"], by=request.user
            ),
            _("Devis %(number)s retiré : le client ne peut plus l'accepter.")
            % {"number": quote.display_number},
        )
        return _to_quote(scope, quote)
    return _quote_page(request, scope, quote, withdraw_form=form, open_form="withdraw", status=400)


@staff_action("quotes.edit")
def quote_refuse(request: HttpRequest, scope: StaffScope, quote_id: int) -> HttpResponse:
    quote = quote_selectors.quote_for_staff(scope=scope, quote_id=quote_id)
    form = forms.ReasonForm(request.POST, prefix="refuse")
    if form.is_valid():
        try:
            quote_services.refuse_quote(
                quote=quote, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except DomainError as exc:
            messages.error(request, str(exc))
            return _to_quote(scope, quote)
        else:
            messages.success(
                request,
                _("Refus du devis %(number)s enregistré.") % {"number": quote.display_number},
            )
            return _to_quote(scope, quote)
    return _quote_page(request, scope, quote, refuse_form=form, open_form="refuse", status=400)


def _accepted(request: HttpRequest, scope: StaffScope, result) -> HttpResponse:
    messages.success(
        request,
        _("Acceptation du devis %(number)s enregistrée : commande %(order)s créée.")
        % {"number": result.quote.display_number, "order": result.order.reference},
    )
    return redirect("backoffice:order", slug=scope.seller.slug, order_id=result.order.pk)


def _acceptance_view(name: str, form_class: type[Form], record) -> StaffView:
    """The view recording an acceptance from its evidence (``name``: email, postal), the
    form's fields being ``record``'s arguments: recorded, the order it made; refused, the quote
    page with that form open and its errors (400)."""

    def view(request: HttpRequest, scope: StaffScope, quote_id: int) -> HttpResponse:
        quote = quote_selectors.quote_for_staff(scope=scope, quote_id=quote_id)
        form = form_class(request.POST, request.FILES, prefix=name)
        done = submit(
            form, lambda data: record(quote=quote, by=request.user, **data), refused_status=400
        )
        if done.ok:
            return _accepted(request, scope, done.result)
        forms_given = {f"{name}_form": form}
        return _quote_page(request, scope, quote, **forms_given, open_form=name, status=400)

    view.__name__ = view.__qualname__ = f"quote_accept_{name}"
    return staff_action("quotes.record_acceptance")(view)


quote_accept_email = _acceptance_view(
    "email", forms.EmailAcceptanceForm, quote_services.record_email_acceptance
)
# IncompleteEvidence (a DomainError) names the missing mentions on the form.
quote_accept_postal = _acceptance_view(
    "postal", forms.PostalAcceptanceForm, quote_services.record_postal_acceptance
)
