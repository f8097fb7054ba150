"""What terms shows on the pages of earlier domains, found by name when a template loads
``terms_panels`` (so that those domains never import terms).

On the back-office client page:
``{% client_terms_in_force client %}``: the version in force for the client (the last one it
accepted) and the published version it has not accepted yet.
``{% client_acceptances client %}``: every acceptance with its evidence, and the form that
records one received by e-mail or by post (its POST is ``terms.ui.backoffice.acceptance_add``).
Both read the client's acceptances once per page.
"""

from __future__ import annotations

from typing import Any

from django import template

from clausier.customers.models import Client
from clausier.terms import selectors as terms_selectors
from clausier.terms.ui.forms import AcceptanceForm

register = template.Library()


def _client_terms(context: template.Context, client: Client) -> dict[str, Any]:
    """The client's acceptances (newest first: the first is in force) and pending version,
    read once for every panel of the page being rendered."""
    key = ("terms_panels", client.pk)
    memo = context.render_context
    if key not in memo:
        acceptances = list(terms_selectors.acceptances_for_client(client=client))
        memo[key] = {
            "acceptances": acceptances,
            "in_force": acceptances[0] if acceptances else None,
            "pending": terms_selectors.pending_version_for_client(client=client),
        }
    return memo[key]


def _page(context: template.Context, client: Client) -> dict[str, Any]:
    return {"client": client, "seller": context.get("seller"), "can": context.get("can") or {}}


@register.inclusion_tag("terms/backoffice/_client_in_force.html", takes_context=True)
def client_terms_in_force(context: template.Context, client: Client) -> dict[str, Any]:
    return _page(context, client) | _client_terms(context, client)


@register.inclusion_tag("terms/backoffice/_client_acceptances.html", takes_context=True)
def client_acceptances(context: template.Context, client: Client) -> dict[str, Any]:
    terms = _client_terms(context, client)
    pending = terms["pending"]
    form = AcceptanceForm(initial={"version": pending.pk}) if pending is not None else None
    return _page(context, client) | terms | {"acceptance_form": form}
