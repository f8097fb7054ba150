"""Staff actions on a late invoice's penalties, shown by the panel "Pénalités de retard" of
the invoice's page (``collections_panels``): bill them on a penalty invoice (once) and waive
all or part of the interest or the indemnity, with a reason.

Thin: reads through the invoicing selectors, writes through ``collections.services``; a
refusal is shown in the service's words next to its field, and nothing is written."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clausier.collections import penalty_selectors, services
from clausier.collections.models import PenaltyInvoicing, WaivedItem
from clausier.invoicing import selectors as invoice_selectors
from clausier.kernel.errors import DomainError
from clausier.rules.money import format_eur
from clausier.sellers.access import render_staff, require, staff_action, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.web.forms import DecimalField, posted, submit


class WaiverForm(forms.Form):
    """A waiver as staff type it: the item, all of it or an amount, and the reason."""

    item = forms.ChoiceField(
        label=gettext_lazy("Sur"), choices=WaivedItem.choices, widget=forms.RadioSelect
    )
    full = forms.BooleanField(
        label=gettext_lazy("Renoncer à la totalité de ce poste"), required=False
    )
    amount = DecimalField(
        label=gettext_lazy("ou montant abandonné (€)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 10}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Motif"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": gettext_lazy("Le motif de la renonciation est obligatoire.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "waiver")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if not data.get("full") and data.get("amount") is None and "amount" not in self.errors:
            self.add_error(
                "amount", _("Indiquez le montant abandonné, ou cochez la renonciation totale.")
            )
        return data


def _invoice_url(scope: StaffScope, invoice) -> str:
    return reverse(
        "backoffice:invoice", kwargs={"slug": scope.seller.slug, "invoice_id": invoice.pk}
    )


def _refused(request, scope, invoice, *, title: str, form=None, error: str = "", status: int):
    """The refused action again: its form with the errors next to their fields, or the
    reason it was refused; nothing was written."""
    return render_staff(
        request,
        scope,
        "collections/penalties/action.html",
        {
            "title": title,
            "invoice": invoice,
            "back": _invoice_url(scope, invoice),
            "form": form,
            "error": error,
            "action": request.path,
        },
        status=status,
    )


@staff_action("invoices.edit")
def invoice_penalties_bill(request: HttpRequest, scope: StaffScope, invoice_id: int):
    """Bill the penalties accrued to today on a penalty invoice (never twice)."""
    invoice = invoice_selectors.invoice_for_seller(seller=scope.seller, invoice_id=invoice_id)
    try:
        billing = services.bill_penalties(invoice=invoice, on=timezone.localdate(), by=request.user)
    except DomainError as error:
        return _refused(
            request,
            scope,
            invoice,
            title=_("Facturer les pénalités"),
            error=str(error),
            status=409,
        )
    messages.success(
        request,
        _("Pénalités de la facture %(number)s facturées : %(total)s hors TVA.")
        % {"number": invoice.number, "total": format_eur(billing.interest + billing.indemnity)},
    )
    return redirect(_invoice_url(scope, invoice))


@staff_action("invoices.edit")
def invoice_penalties_waive(request: HttpRequest, scope: StaffScope, invoice_id: int):
    """Waive all or part of the interest or the indemnity, with a reason."""
    invoice = invoice_selectors.invoice_for_seller(seller=scope.seller, invoice_id=invoice_id)
    form = WaiverForm(request.POST)
    done = submit(
        form,
        lambda data: services.waive(
            invoice=invoice,
            item=data["item"],
            full=data["full"],
            amount=data["amount"],
            reason=data["reason"],
            on=timezone.localdate(),
            by=request.user,
        ),
    )
    if not done.ok:
        return _refused(request, scope, invoice, title=_("Renoncer"), form=form, status=done.status)
    waiver = done.result
    messages.success(
        request,
        _("Renonciation enregistrée sur la facture %(number)s : %(item)s, %(amount)s.")
        % {
            "number": invoice.number,
            "item": waiver.get_item_display().lower(),
            "amount": format_eur(waiver.amount),
        },
    )
    return redirect(_invoice_url(scope, invoice))


class PenaltySettingsForm(forms.Form):
    invoicing = forms.ChoiceField(
        label=gettext_lazy("Facture de pénalités d'une facture payée en retard"),
        choices=PenaltyInvoicing.choices,
        widget=forms.RadioSelect,
    )


@staff_view("invoices.view")
def penalty_settings(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """How the seller bills penalties: automatically when a late invoice is paid, or on
    demand. Changed by the owner and accounting (``invoices.edit``)."""
    if request.method == "POST":
        require(scope, "invoices.edit")
    current = penalty_selectors.penalty_invoicing(seller_id=scope.seller.pk)
    form = PenaltySettingsForm(posted(request), initial={"invoicing": current})
    done = submit(
        form,
        lambda data: services.set_penalty_invoicing(
            seller=scope.seller, invoicing=data["invoicing"], by=request.user
        ),
    )
    if done.ok:
        messages.success(request, _("Réglage des pénalités enregistré."))
        return redirect("backoffice:penalty_settings", slug=scope.seller.slug)
    return render_staff(
        request,
        scope,
        "collections/penalties/settings.html",
        {"form": form, "current": PenaltyInvoicing(current)},
        status=done.status,
    )
