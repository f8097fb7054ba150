"""What every login says to the audit trail and to the session, from Django's login signals
and the lockout's (django-axes): the password accepted, refused, the lockout; and the second
factor the new session owes (:mod:`.middleware` holds it to that)."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed

from clausier.security import domain, selectors, services


def client_ip(request) -> str:
    if request is None:
        return ""
    return getattr(request, "axes_ip_address", None) or get_client_ip_address(request) or ""


def submitted(request) -> bool:
    """A login typed in a form (the login page, the admin's), not one made by a program (a
    test client's force_login, a password just set)."""
    return request is not None and request.method == "POST"


def on_logged_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[domain.SESSION_KEY] = selectors.session_step(user=user)
    if submitted(request):
        services.record_login(user=user, ip_address=client_ip(request))


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    if not submitted(request):
        return
    username = str(credentials.get("username") or "")
    if username:
        services.record_failed_login(username=username, ip_address=client_ip(request))


def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    """The attempt that reaches the limit is recorded as the lockout (the ones refused while
    locked are failed logins)."""
    failures = getattr(request, "axes_failures_since_start", None)
    if username and failures == settings.AXES_FAILURE_LIMIT:
        services.record_lockout(username=username, ip_address=ip_address or "", failures=failures)


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="clausier.security.logged_in")
    user_login_failed.connect(on_login_failed, dispatch_uid="clausier.security.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="clausier.security.locked_out")
