"""The page of a login refused by the lockout (django-axes, ``AXES_LOCKOUT_CALLABLE``): the
login page itself, saying why and for how long, with the status 429 (too many requests)."""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    return render(
        request,
        "web/login.html",
        {
            "form": AuthenticationForm(request),
            "locked_out": True,
            "cool_off_minutes": minutes,
            "next": request.POST.get("next", request.GET.get("next", "")),
        },
        status=429,
    )
