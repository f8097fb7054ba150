"""Staff screens of dunning: the queue of reminders due, each with its e-mail previewed as the
client will read it ("Envoyer" / "Ignorer"; a formal notice step is drawn up as a letter), the
formal notices and a formal notice's page (its PDF, its registered letter recorded)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from clausier.collections.dunning import emails, selectors, services
from clausier.collections.dunning import transitions as t
from clausier.collections.dunning.plan import DEFAULT_PLAN
from clausier.collections.dunning_models import StepKind
from clausier.documents.responses import document_response
from clausier.documents.stored import read_file
from clausier.kernel.errors import DomainError
from clausier.sellers.access import render_staff, require, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.web.forms import DateField, date_input, posted, submit

PER_PAGE = 20


def _preview(notice) -> dict:
    try:
        message = emails.render_message(
            invoice=notice.invoice, kind=notice.kind, on=services.today_in_paris()
        )
    except DomainError as error:
        return {"notice": notice, "error": str(error), "actions": t.allowed_actions(notice)}
    return {"notice": notice, "message": message, "actions": t.allowed_actions(notice)}


@staff_view("invoices.view")
def dunning_queue(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    page = Paginator(selectors.notices(seller=scope.seller), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render_staff(
        request,
        scope,
        "collections/dunning/backoffice/queue.html",
        {"page": page, "rows": [_preview(notice) for notice in page.object_list]},
    )


def _act(request: HttpRequest, scope: StaffScope, notice_id: int, action, done: str):
    notice = selectors.notice_for_seller(seller=scope.seller, notice_id=notice_id)
    try:
        action(notice)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except (DomainError, OSError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done % {"notice": notice})
    return redirect("backoffice:dunning_queue", slug=scope.seller.slug)


@require_POST
@staff_view("invoices.edit")
def dunning_send(request: HttpRequest, scope: StaffScope, notice_id: int) -> HttpResponse:
    return _act(
        request,
        scope,
        notice_id,
        lambda notice: services.send_notice(notice=notice, by=request.user),
        _("%(notice)s envoyée."),
    )


@require_POST
@staff_view("invoices.edit")
def dunning_skip(request: HttpRequest, scope: StaffScope, notice_id: int) -> HttpResponse:
    return _act(
        request,
        scope,
        notice_id,
        lambda notice: services.skip_notice(notice=notice, by=request.user),
        _("%(notice)s ignorée : elle ne sera pas envoyée."),
    )


@require_POST
@staff_view("invoices.edit")
def formal_notice_new(request: HttpRequest, scope: StaffScope, notice_id: int) -> HttpResponse:
    step = selectors.notice_for_seller(seller=scope.seller, notice_id=notice_id)
    try:
        notice = services.draw_up_formal_notice(
            seller=scope.seller,
            client=step.invoice.client,
            invoices=selectors.formal_notice_invoices(notice=step),
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(notice)s établie : imprimez-la et envoyez-la en recommandé.") % {"notice": notice},
        )
        return redirect("backoffice:formal_notice", slug=scope.seller.slug, notice_id=notice.pk)
    return redirect("backoffice:dunning_queue", slug=scope.seller.slug)


@staff_view("invoices.view")
def formal_notices(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    page = Paginator(selectors.formal_notices(seller=scope.seller), PER_PAGE)
    return render_staff(
        request,
        scope,
        "collections/dunning/backoffice/formal_notices.html",
        {"page": page.get_page(request.GET.get("page"))},
    )


class LetterForm(forms.Form):
    tracking_number = forms.CharField(
        label=gettext_lazy("Numéro de suivi de la lettre recommandée"),
        max_length=40,
        help_text=gettext_lazy("Le numéro imprimé sur la preuve de dépôt de La Poste."),
    )
    sent_on = DateField(label=gettext_lazy("Envoyée le"), widget=date_input())
    received_on = DateField(
        label=gettext_lazy("Reçue le"),
        widget=date_input(),
        required=False,
        help_text=gettext_lazy(
            "La date de l'avis de réception : le délai de paiement court à partir de ce jour."
        ),
    )


@staff_view("invoices.view")
def formal_notice(request: HttpRequest, scope: StaffScope, notice_id: int) -> HttpResponse:
    notice = selectors.formal_notice_for_seller(seller=scope.seller, notice_id=notice_id)
    initial = {
        "tracking_number": notice.tracking_number,
        "sent_on": notice.sent_on,
        "received_on": notice.received_on,
    }
    if request.method == "POST":
        require(scope, "invoices.edit")
    form = LetterForm(request.POST if request.method == "POST" else None, initial=initial)
    done = submit(
        form,
        lambda data: services.record_registered_letter(
            notice=notice,
            tracking_number=data["tracking_number"],
            sent_on=data["sent_on"],
            received_on=data["received_on"],
            by=request.user,
        ),
    )
    if done.ok:
        messages.success(request, _("Lettre recommandée enregistrée."))
        return redirect("backoffice:formal_notice", slug=scope.seller.slug, notice_id=notice.pk)
    return render_staff(
        request,
        scope,
        "collections/dunning/backoffice/formal_notice.html",
        {"notice": notice, "form": form, "deadline": notice.explanation.get("deadline", {})},
        status=done.status,
    )


@staff_view("invoices.view")
def formal_notice_pdf(request: HttpRequest, scope: StaffScope, notice_id: int) -> HttpResponse:
    notice = selectors.formal_notice_for_seller(seller=scope.seller, notice_id=notice_id)
    return document_response(
        read_file(notice.pdf), filename=f"mise-en-demeure-{notice.number}.pdf", sha256=notice.sha256
    )


class PlanForm(forms.Form):
    """The seller's dunning plan as staff edit it: each step's day from the due date and
    whether it is on, and whether reminders leave by themselves."""

    auto_send_reminders = forms.BooleanField(
        label=gettext_lazy("Envoyer les rappels automatiquement, sans validation"),
        required=False,
        help_text=gettext_lazy("Les mises en demeure restent toujours à établir par vous."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in StepKind.choices:
            self.fields[f"offset_{kind}"] = forms.IntegerField(
                label=gettext_lazy("%(step)s : jours après l'échéance") % {"step": label},
                min_value=-60,
                max_value=365,
            )
            self.fields[f"enabled_{kind}"] = forms.BooleanField(
                label=gettext_lazy("%(step)s : active") % {"step": label}, required=False
            )

    def rows(self):
        return [
            (label, self[f"offset_{kind}"], self[f"enabled_{kind}"])
            for kind, label in StepKind.choices
        ]

    def steps(self) -> dict[str, tuple[int, bool]]:
        data = self.cleaned_data
        return {kind: (data[f"offset_{kind}"], data[f"enabled_{kind}"]) for kind in StepKind}


def _plan_initial(plan) -> dict:
    """The form's values: the seller's plan, or the default plan while it has none (the
    one its reminders follow until the first change)."""
    if plan is None:
        initial: dict = {"auto_send_reminders": False}
        for step in DEFAULT_PLAN:
            initial[f"offset_{step.kind}"] = step.offset_days
            initial[f"enabled_{step.kind}"] = True
        return initial
    initial = {"auto_send_reminders": plan.auto_send_reminders}
    for step in plan.steps.all():
        initial[f"offset_{step.kind}"] = step.offset_days
        initial[f"enabled_{step.kind}"] = step.enabled
    return initial


@staff_view("invoices.view")
def dunning_plan(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """The seller's dunning plan: its steps (day, on or off) and the automatic sending of
    reminders; changed by the owner and accounting (``invoices.edit``)."""
    if request.method == "POST":
        require(scope, "invoices.edit")
    plan = selectors.plan_of(seller=scope.seller)
    form = PlanForm(posted(request), initial=_plan_initial(plan))
    done = submit(
        form,
        lambda data: services.update_plan(
            seller=scope.seller,
            steps=form.steps(),
            auto_send_reminders=data["auto_send_reminders"],
            by=request.user,
        ),
    )
    if done.ok:
        messages.success(request, _("Plan de relance enregistré."))
        return redirect("backoffice:dunning_plan", slug=scope.seller.slug)
    return render_staff(
        request,
        scope,
        "collections/dunning/backoffice/plan.html",
        {"form": form, "plan": plan},
        status=done.status,
    )
