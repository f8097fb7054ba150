"""Staff screens of refunds: the list (which credit note each corrects), a card or PayPal
refund carried out through its provider, the client's account of a transfer refund, the
transfer refunds selected and exported as a SEPA credit transfer file (pain.001) for the
bank, the files downloadable again, a refund marked settled.

Thin: reads through ``payments.selectors``, writes through ``payments.services``; a refusal
is shown in the service's words."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clausier.documents.responses import document_response
from clausier.documents.stored import read_file
from clausier.kernel.errors import DomainError
from clausier.payments import selectors, services
from clausier.payments import transitions as t
from clausier.payments.models import RefundStatus
from clausier.payments.providers.base import ProviderError
from clausier.payments.ui.forms import DayForm
from clausier.sellers.access import render_staff, staff_action, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.web.forms import DateField, date_input, submit

PER_PAGE = 50


class AccountForm(forms.Form):
    """The client's account a transfer refund is paid to (clients keep no bank details)."""

    iban = forms.CharField(label=gettext_lazy("IBAN du client"), max_length=42)
    bic = forms.CharField(label=gettext_lazy("BIC"), max_length=11, required=False)
    name = forms.CharField(label=gettext_lazy("Titulaire du compte"), max_length=70, required=False)


class ExportForm(forms.Form):
    refunds = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Remboursements"),
        coerce=int,
        error_messages={"required": gettext_lazy("Choisissez au moins un remboursement.")},
    )
    execution_date = DateField(label=gettext_lazy("Date d'exécution"), widget=date_input())

    def __init__(self, *args, refunds, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["refunds"].choices = [(r.pk, str(r)) for r in refunds]
        if not self.is_bound:
            self.initial.setdefault("execution_date", timezone.localdate())


def _exportable(scope: StaffScope):
    return selectors.refund_list(seller=scope.seller, status=t.OWED).filter(method="transfer")


def _list_page(request: HttpRequest, scope: StaffScope, *, export_form=None, status=200):
    chosen = request.GET.get("status", "")
    chosen = chosen if chosen in RefundStatus.values else ""
    page = Paginator(selectors.refund_list(seller=scope.seller, status=chosen), PER_PAGE)
    shown = page.get_page(request.GET.get("page"))
    rows = [(refund, t.refund_actions(refund)) for refund in shown.object_list]
    return render_staff(
        request,
        scope,
        "payments/backoffice/refunds/list.html",
        {
            "page": shown,
            "rows": rows,
            "status": chosen,
            "statuses": RefundStatus.choices,
            "form": DayForm(),
            "export_form": export_form or ExportForm(refunds=_exportable(scope), initial={}),
            "batches": selectors.transfer_batches(seller=scope.seller)[:20],
        },
        status=status,
    )


@staff_view("invoices.view")
def refunds(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    return _list_page(request, scope)


def _to_list(scope: StaffScope) -> HttpResponse:
    return redirect("backoffice:refunds", slug=scope.seller.slug)


@staff_action("invoices.edit")
def refund_provider(request: HttpRequest, scope: StaffScope, refund_id: int) -> HttpResponse:
    refund = selectors.refund_for_seller(seller=scope.seller, refund_id=refund_id)
    try:
        refund = services.refund_through_provider(refund=refund, by=request.user)
    except ProviderError as error:
        messages.error(
            request,
            _("Le prestataire n'a pas pu être joint, rien n'a été enregistré : %(message)s")
            % {"message": error.message},
        )
        return _to_list(scope)
    except DomainError as error:  # not a provider's refund, not owed, more than is left
        messages.error(request, str(error))
        return _to_list(scope)
    if refund.status == t.REFUND_FAILED:
        messages.error(
            request,
            _("Le prestataire a refusé le remboursement : %(reason)s")
            % {"reason": refund.failure_reason},
        )
    elif refund.status == t.SENT:
        messages.success(request, _("Remboursement demandé au prestataire, en cours."))
    else:
        messages.success(
            request,
            _("Remboursement effectué par le prestataire (référence %(reference)s).")
            % {"reference": refund.provider_reference},
        )
    return _to_list(scope)


@staff_view("invoices.edit")
def refund_account(request: HttpRequest, scope: StaffScope, refund_id: int) -> HttpResponse:
    refund = selectors.refund_for_seller(seller=scope.seller, refund_id=refund_id)
    initial = {"iban": refund.creditor_iban, "bic": refund.creditor_bic}
    initial["name"] = refund.creditor_name or refund.client.name
    form = AccountForm(request.POST if request.method == "POST" else None, initial=initial)
    done = submit(
        form,
        lambda data: services.set_refund_account(
            refund=refund, iban=data["iban"], bic=data["bic"], name=data["name"], by=request.user
        ),
    )
    if done.ok:
        messages.success(request, _("Compte du client enregistré."))
        return _to_list(scope)
    return render_staff(
        request,
        scope,
        "payments/backoffice/refunds/account.html",
        {"refund": refund, "form": form},
        status=done.status,
    )


@staff_action("invoices.edit")
def refunds_export(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    form = ExportForm(request.POST, refunds=_exportable(scope))
    done = submit(
        form,
        lambda data: services.export_transfer_refunds(
            seller=scope.seller,
            refund_ids=data["refunds"],
            execution_date=data["execution_date"],
            by=request.user,
        ),
    )
    if not done.ok:
        return _list_page(request, scope, export_form=form, status=done.status)
    messages.success(
        request,
        _(
            "Ordre de virement %(message_id)s créé : %(count)s remboursement(s) à "
            "transmettre à la banque."
        )
        % {"message_id": done.result.message_id, "count": done.result.count},
    )
    return _to_list(scope)


@staff_view("invoices.view")
def transfer_download(request: HttpRequest, scope: StaffScope, batch_id: int) -> HttpResponse:
    batch = selectors.transfer_batch_for_seller(seller=scope.seller, batch_id=batch_id)
    return document_response(
        read_file(batch.file),
        filename=f"{batch.message_id}.xml",
        content_type="application/xml",
        sha256=batch.sha256,
    )
