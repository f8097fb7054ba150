"""The second factor's pages, in the product's look: the code after the password, the
enrolment (QR code and secret, confirmed by a first code, recovery codes shown once), and the
person's own security page (new recovery codes, removal, both confirmed by a code)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from clausier.security import domain, presenters, selectors, services
from clausier.security.ui.forms import CodeForm, EnrolForm

TEMPLATES = "security/"


def next_url(request: HttpRequest) -> str:
    """Where the person was going (a page of this site only), else where a login lands."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def settle(request: HttpRequest) -> None:
    """The session has proved its second factor: a new session key, nothing more owed."""
    request.session.cycle_key()
    request.session[domain.SESSION_KEY] = domain.DONE


def owed(request: HttpRequest) -> str:
    return request.session.get(domain.SESSION_KEY, domain.DONE)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    if owed(request) != domain.VERIFY:
        return redirect(next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.check_code(user=request.user, code=form.cleaned_data["code"])
        if device is not None:
            settle(request)
            if isinstance(device, StaticDevice):
                left = selectors.recovery_codes_left(user=request.user)
                messages.warning(
                    request,
                    _(
                        "Code de secours utilisé : il vous en reste %(left)d. Générez-en de "
                        "nouveaux depuis la page Sécurité du compte."
                    )
                    % {"left": left},
                )
            return redirect(next_url(request))
        form.add_error("code", _("Ce code n'est pas valable. Vérifiez l'heure de votre téléphone."))
    return render(request, TEMPLATES + "verify.html", {"form": form, "next": next_url(request)})


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    if selectors.has_second_factor(user=request.user):
        return redirect("security:overview")
    device = services.start_enrolment(user=request.user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_enrolment(user=request.user, code=form.cleaned_data["code"])
        if codes is not None:
            settle(request)
            return render(
                request,
                TEMPLATES + "recovery_codes.html",
                {"codes": codes, "next": next_url(request), "enrolled": True},
            )
        form.add_error(
            "code",
            _("Ce code ne correspond pas à la clé affichée. Saisissez le code en cours."),
        )
    context = {
        "form": form,
        "next": next_url(request),
        "required": selectors.mfa_required_for(user=request.user),
        "qr_svg": presenters.qr_svg(device, title=_("QR code à scanner avec l'application")),
        "secret": presenters.secret_text(device),
    }
    return render(request, TEMPLATES + "enrol.html", context)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "has_device": selectors.has_second_factor(user=user),
        "required": selectors.mfa_required_for(user=user),
        "codes_left": selectors.recovery_codes_left(user=user),
        "form": CodeForm(),
    }
    return render(request, TEMPLATES + "overview.html", context)


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    codes = None
    if form.is_valid():
        codes = services.regenerate_recovery_codes(
            user=request.user, code=form.cleaned_data["code"]
        )
    if codes is None:
        messages.error(request, _("Code refusé : les codes de secours n'ont pas été changés."))
        return redirect("security:overview")
    return render(
        request,
        TEMPLATES + "recovery_codes.html",
        {"codes": codes, "next": resolve_url("security:overview"), "enrolled": False},
    )


@login_required
@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if form.is_valid() and services.remove_second_factor(
        user=request.user, code=form.cleaned_data["code"]
    ):
        messages.success(request, _("Double authentification retirée de votre compte."))
        if selectors.mfa_required_for(user=request.user):
            request.session[domain.SESSION_KEY] = domain.ENROL
    else:
        messages.error(request, _("Code refusé : la double authentification est conservée."))
    return redirect("security:overview")
