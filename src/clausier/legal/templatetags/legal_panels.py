"""What the legal app shows on the back-office's pages, found by name at render time
(``{% load legal_panels %}``): the banner naming a legal-rate semester not yet entered."""

from __future__ import annotations

from django import template
from django.utils import timezone

from clausier.legal import selectors

register = template.Library()


@register.inclusion_tag("legal/backoffice/_missing_rate_banner.html", takes_context=True)
def missing_legal_rate_banner(context) -> dict:
    """The semester of today the legal-rate table lacks, if any (no query while the shipped
    table covers today, else one, cached), with the link to enter it for a superuser."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"missing": None}
    return {
        "missing": selectors.missing_period(on=timezone.localdate()),
        "can_enter": user.is_active and user.is_superuser,
    }
