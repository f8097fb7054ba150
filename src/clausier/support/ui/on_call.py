"""Staff screens of the on-call rota (seed 000 art. 10.3): the weekly schedule, the
replacements, the pages sent and their acknowledgement.

Thin: reads through ``support.selectors``, writes through ``support.services``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from clausier.sellers.access import render_staff, staff_action, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.support import selectors, services
from clausier.support.ui.backoffice import ticket_page
from clausier.support.ui.forms import WEEKDAYS, OverrideForm, ShiftForm
from clausier.web.forms import submit


def _people(scope: StaffScope) -> tuple[list, dict]:
    staff = selectors.staff_of(seller=scope.seller)
    return staff, {user.pk: user for user in staff}


def _render(request, scope, *, shift_form=None, override_form=None, status: int = 200):
    staff, _ = _people(scope)
    shifts = {shift.weekday: shift for shift in selectors.rota_of(seller=scope.seller)}
    context = {
        "days": [(number, label, shifts.get(number)) for number, label in WEEKDAYS],
        "overrides": selectors.overrides_of(seller=scope.seller, now=timezone.now()),
        "pages": selectors.recent_pages(seller=scope.seller),
        "shift_form": shift_form or ShiftForm(staff=staff),
        "override_form": override_form or OverrideForm(staff=staff),
    }
    return render_staff(request, scope, "support/backoffice/on_call.html", context, status=status)


@staff_view("support.view")
def support_on_call(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    return _render(request, scope)


def _sent(request, scope, form, write, slot: str) -> HttpResponse:
    done = submit(form, write)
    if done.ok:
        return redirect("backoffice:support_on_call", slug=scope.seller.slug)
    return _render(request, scope, status=done.status, **{slot: form})


@staff_action("support.edit")
def support_on_call_shift(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """Who is on call on a day of the week."""
    staff, by_pk = _people(scope)
    form = ShiftForm(request.POST, staff=staff)
    return _sent(
        request,
        scope,
        form,
        lambda data: services.set_shift(
            seller=scope.seller,
            weekday=data["weekday"],
            engineer=by_pk[data["engineer"]],
            backup=by_pk.get(data["backup"]),
            by=request.user,
        ),
        "shift_form",
    )


@staff_action("support.edit")
def support_on_call_override(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """A replacement over a period, before the weekly schedule."""
    staff, by_pk = _people(scope)
    form = OverrideForm(request.POST, staff=staff)
    return _sent(
        request,
        scope,
        form,
        lambda data: services.add_override(
            seller=scope.seller,
            start=data["start"],
            end=data["end"],
            engineer=by_pk[data["engineer"]],
            backup=by_pk.get(data["backup"]),
            by=request.user,
        ),
        "override_form",
    )


@staff_action("support.edit")
def ticket_acknowledge_page(
    request: HttpRequest, scope: StaffScope, ticket_id: int
) -> HttpResponse:
    """The paged engineer acknowledges: no escalation to the backup."""
    found = selectors.ticket_for_seller(seller=scope.seller, pk=ticket_id)
    try:
        services.acknowledge_page(ticket=found, by=request.user)
    except ValidationError as error:
        return ticket_page(request, scope, found, status=400, error=" ".join(error.messages))
    return redirect("backoffice:ticket", slug=scope.seller.slug, ticket_id=found.pk)
