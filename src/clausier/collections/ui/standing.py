"""Staff screens of a client's standing (seed 002 art. 6), the client's « Recouvrement »
page: its due dates brought forward (each with its « pourquoi ? ») and the staff waiver of
one, the suspension for non-payment decided and lifted.

Thin: reads through ``collections.standing_selectors``, writes through
``collections.standing``; what staff may do comes from ``standing_transitions``; a refusal
is shown in the service's words, a missing reason next to its field."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clausier.collections import standing
from clausier.collections import standing_selectors as sel
from clausier.collections import standing_transitions as t
from clausier.customers import selectors as client_selectors
from clausier.customers.models import Client
from clausier.sellers.access import render_staff, staff_action, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.web.forms import ReasonForm, submit


class RevertForm(ReasonForm):
    reason_label = gettext_lazy("Motif de l'annulation")
    reason_help = gettext_lazy(
        "Pourquoi la facture redevient payable à sa propre échéance (geste commercial, "
        "échéancier accordé...) : le motif est conservé dans l'historique."
    )
    reason_missing = gettext_lazy("Indiquez le motif de l'annulation de l'exigibilité anticipée.")


class ResumeForm(ReasonForm):
    reason_label = gettext_lazy("Motif de la levée")
    reason_help = gettext_lazy(
        "Par exemple : échéancier accepté, paiement annoncé. La suspension se lève aussi "
        "d'elle-même quand plus aucune facture n'est en retard."
    )
    reason_missing = gettext_lazy("Indiquez le motif de la levée de la suspension.")


def _standing_url(scope: StaffScope, client: Client) -> str:
    return reverse(
        "backoffice:client_standing", kwargs={"slug": scope.seller.slug, "client_id": client.pk}
    )


def _page(
    request: HttpRequest,
    scope: StaffScope,
    client: Client,
    *,
    revert_forms: dict[int, forms.Form] | None = None,
    resume_form: forms.Form | None = None,
    refused: str = "",
    status: int = 200,
) -> HttpResponse:
    suspension = sel.open_suspension(client=client)
    refusal = (
        "" if suspension else standing.suspension_refusal(client=client, on=timezone.localdate())
    )
    revert_forms = revert_forms or {}
    accelerations = [
        (
            acceleration,
            t.acceleration_actions(reverted=acceleration.reverted),
            revert_forms.get(acceleration.pk) or RevertForm(),
        )
        for acceleration in sel.accelerations_of(client=client)
    ]
    return render_staff(
        request,
        scope,
        "collections/standing/client.html",
        {
            "client": client,
            "suspension": suspension,
            "suspensions": sel.suspensions_of(client=client),
            "refusal": refusal,
            "refused": refused,
            "actions": t.client_actions(suspended=suspension is not None, refusal=refusal),
            "accelerations": accelerations,
            "open_revert": next(iter(revert_forms), None),
            "resume_form": resume_form or ResumeForm(),
        },
        status=status,
    )


@staff_view("invoices.view")
def client_standing(request: HttpRequest, scope: StaffScope, client_id: int) -> HttpResponse:
    client = client_selectors.client_for_scope(scope=scope, client_id=client_id)
    return _page(request, scope, client)


@staff_action("invoices.edit")
def client_standing_suspend(
    request: HttpRequest, scope: StaffScope, client_id: int
) -> HttpResponse:
    client = client_selectors.client_for_scope(scope=scope, client_id=client_id)
    form = forms.Form(request.POST)
    done = submit(form, lambda _data: standing.suspend(client=client, by=request.user))
    if not done.ok:
        return _page(
            request, scope, client, refused=" ".join(form.non_field_errors()), status=done.status
        )
    messages.success(
        request,
        _(
            "%(client)s est suspendu pour impayé (%(clause)s) : ses services en cours sont "
            "suspendus, ses nouvelles commandes refusées."
        )
        % {"client": client.name, "clause": done.result.clause_cited},
    )
    return redirect(_standing_url(scope, client))


@staff_action("invoices.edit")
def client_standing_resume(request: HttpRequest, scope: StaffScope, client_id: int) -> HttpResponse:
    client = client_selectors.client_for_scope(scope=scope, client_id=client_id)
    form = ResumeForm(request.POST)
    done = submit(
        form,
        lambda data: standing.resume(client=client, reason=data["reason"], by=request.user),
    )
    if not done.ok:
        return _page(request, scope, client, resume_form=form, status=done.status)
    messages.success(
        request,
        _("La suspension de %(client)s est levée : ses services reprennent.")
        % {"client": client.name},
    )
    return redirect(_standing_url(scope, client))


@staff_action("invoices.edit")
def acceleration_revert(
    request: HttpRequest, scope: StaffScope, acceleration_id: int
) -> HttpResponse:
    acceleration = sel.acceleration_for_seller(seller=scope.seller, acceleration_id=acceleration_id)
    form = RevertForm(request.POST)
    done = submit(
        form,
        lambda data: standing.revert_acceleration(
            acceleration=acceleration, reason=data["reason"], by=request.user
        ),
    )
    if not done.ok:
        return _page(
            request,
            scope,
            acceleration.client,
            revert_forms={acceleration.pk: form},
            status=done.status,
        )
    messages.success(
        request,
        _("La facture %(number)s est de nouveau payable le %(date)s.")
        % {
            "number": acceleration.invoice.number,
            "date": date_format(acceleration.original_due_date, "SHORT_DATE_FORMAT"),
        },
    )
    return redirect(_standing_url(scope, acceleration.client))
