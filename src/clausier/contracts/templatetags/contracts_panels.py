"""What contracts shows on the back-office's pages of earlier domains, found by name at
render time (``{% load contracts_panels %}``): the client's confidentiality agreements on its
page (seed 002 art. 9)."""

from __future__ import annotations

from django import template

from clausier.contracts import selectors

register = template.Library()


@register.inclusion_tag("contracts/backoffice/_client_ndas.html", takes_context=True)
def client_ndas(context, client) -> dict:
    """The client's confidentiality agreements, latest first (one query)."""
    return {
        "client": client,
        "ndas": list(selectors.ndas_for_client(client=client)[:20]),
        "seller": context.get("seller"),
        "can": context.get("can") or {},
    }
