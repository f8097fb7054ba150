"""Who may open a portal screen: the client contact of the logged-in user, 404 for anyone
else (:func:`clausier.customers.selectors.portal_contact`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from clausier.customers.models import Contact
from clausier.customers.selectors import portal_contact

type PortalView = Callable[..., HttpResponse]


def portal_view(view: PortalView) -> PortalView:
    """Wrap a view taking ``(request, contact, ...)``: login, then the user's contact."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return view(request, portal_contact(user=request.user), *args, **kwargs)

    return wrapper


def portal_action(view: PortalView) -> PortalView:
    """:func:`portal_view` for a view that writes: any method but POST is refused first (405)."""
    return require_POST(portal_view(view))


def render_portal(
    request: HttpRequest, contact: Contact, template: str, context: dict, *, status: int = 200
) -> HttpResponse:
    base = {"contact": contact, "client": contact.client, "seller": contact.client.seller}
    return render(request, template, base | context, status=status)
