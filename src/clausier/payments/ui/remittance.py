"""Staff screens of cheque remittances (bordereaux de remise de chèques): the list, a new
one from the cheques received and not yet remitted, its slip downloaded again. Cashing a
cheque stays the payment page's action."""

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
from clausier.payments import selectors, services
from clausier.sellers.access import render_staff, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.web.forms import DateField, date_input, submit

PER_PAGE = 50


class RemittanceForm(forms.Form):
    cheques = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Chèques remis"),
        coerce=int,
        error_messages={"required": gettext_lazy("Choisissez au moins un chèque.")},
    )
    remitted_on = DateField(label=gettext_lazy("Remis le"), widget=date_input())

    def __init__(self, *args, cheques, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cheques"].choices = [(c.pk, str(c)) for c in cheques]
        if not self.is_bound:
            self.initial.setdefault("remitted_on", timezone.localdate())


@staff_view("invoices.view")
def remittances(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    page = Paginator(selectors.cheque_remittances(seller=scope.seller), PER_PAGE)
    return render_staff(
        request,
        scope,
        "payments/backoffice/remittance/list.html",
        {"page": page.get_page(request.GET.get("page"))},
    )


@staff_view("invoices.edit")
def remittance_new(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    cheques = list(selectors.cheques_to_remit(seller=scope.seller)[:500])
    form = RemittanceForm(request.POST if request.method == "POST" else None, cheques=cheques)
    done = submit(
        form,
        lambda data: services.remit_cheques(
            seller=scope.seller,
            payment_ids=data["cheques"],
            remitted_on=data["remitted_on"],
            by=request.user,
        ),
    )
    if done.ok:
        messages.success(
            request,
            _("Remise %(number)s enregistrée : %(count)s chèque(s), bordereau prêt à imprimer.")
            % {"number": done.result.number, "count": done.result.count},
        )
        return redirect("backoffice:remittances", slug=scope.seller.slug)
    return render_staff(
        request,
        scope,
        "payments/backoffice/remittance/new.html",
        {"form": form, "cheques": cheques},
        status=done.status,
    )


@staff_view("invoices.view")
def remittance_download(
    request: HttpRequest, scope: StaffScope, remittance_id: int
) -> HttpResponse:
    remittance = selectors.remittance_for_seller(seller=scope.seller, remittance_id=remittance_id)
    return document_response(
        read_file(remittance.pdf),
        filename=f"bordereau-{remittance.number}.pdf",
        sha256=remittance.sha256,
    )
