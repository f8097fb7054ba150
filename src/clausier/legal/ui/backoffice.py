"""The platform screen of the legal interest rates: every period of the table in force with
its source, and the form that adds a semester. Superusers only: the rates are the State's,
the same for every seller."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.legal import selectors, services
from clausier.legal.ui.forms import LegalRateForm


def platform_view(view):
    """Login, then superusers only (403 for any other staff)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not (request.user.is_active and request.user.is_superuser):
            raise PermissionDenied(_("Réservé aux administrateurs de la plateforme."))
        return view(request, *args, **kwargs)

    return wrapper


@platform_view
def legal_rates(request: HttpRequest) -> HttpResponse:
    missing = selectors.missing_period(on=timezone.localdate())
    if request.method == "POST":
        form = LegalRateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                row = services.record_legal_rate(
                    period=data["period"],
                    professional=data["professional"],
                    consumer=data["consumer"],
                    decree_date=data["decree_date"],
                    journal_reference=data["journal_reference"],
                    new=True,
                    by=request.user,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("Taux du %(period)s enregistré.") % {"period": row.period.long_label},
                )
                return redirect("backoffice:legal_rates")
    else:
        form = LegalRateForm(initial={"period": missing.code if missing else ""})
    return render(
        request,
        "legal/backoffice/rates.html",
        {"rows": selectors.rate_rows(), "form": form, "missing": missing},
        status=400 if form.errors else 200,
    )
