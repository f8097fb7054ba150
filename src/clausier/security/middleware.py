"""A session that still owes its second factor reaches nothing but the second factor's pages
(and logout): the code of the person's authenticator, or its enrolment when their role
requires one (``MFA_REQUIRED_ROLES``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from clausier.security import domain, selectors

# Pages open to a session between its password and its second factor.
OPEN_URL_NAMES = frozenset({"login", "logout", "set_language", "healthz"})
# The second factor's own pages: its code, its enrolment (the others need a settled session).
OPEN_SECURITY_PAGES = frozenset({"verify", "enrol"})


def is_open(request: HttpRequest) -> bool:
    if request.path_info.startswith("/api/"):
        return True  # API tokens, no session
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # the 404 page
    if "security" in match.namespaces:
        return match.url_name in OPEN_SECURITY_PAGES
    return match.url_name in OPEN_URL_NAMES


def owed_step(request: HttpRequest) -> str:
    """What the session owes: read from the session (written at login), worked out once for a
    session opened before it was."""
    step = request.session.get(domain.SESSION_KEY)
    if step is None:
        step = selectors.session_step(user=request.user)
        request.session[domain.SESSION_KEY] = step
    return step


class SecondFactorMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not is_open(request):
            step = owed_step(request)
            if step in (domain.VERIFY, domain.ENROL):
                target = reverse("security:verify" if step == domain.VERIFY else "security:enrol")
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{target}?{query}")
        return self.get_response(request)
