"""What collections shows of a client's standing (seed 002 art. 6) on the pages of earlier
domains, found by name when a template loads ``collections_standing`` (so that customers,
quotes and the portal never import collections).

- ``{% suspension_badge client %}``: « Suspendu pour impayé », next to the client's name.
- ``{% client_standing_panel client %}``: on the back-office client page, the « Recouvrement »
  card: the suspension and the due dates brought forward, with a link to their page.
- ``{% suspension_notice client %}``: in the portal, the notice telling the client why it
  cannot accept a quote nor order, citing the clause.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from clausier.collections import standing_selectors as sel

register = template.Library()


@register.simple_tag
def suspension_badge(client) -> str:
    if client.suspended_for_non_payment_since is None:
        return ""
    return format_html(
        '<span class="badge badge--late" title="{}">{}</span>',
        client.suspension_reason,
        _("Suspendu pour impayé"),
    )


@register.inclusion_tag("collections/standing/_panel.html", takes_context=True)
def client_standing_panel(context: template.Context, client) -> dict[str, Any]:
    return {
        "client": client,
        "seller": context.get("seller"),
        "can": context.get("can"),
        "suspension": sel.open_suspension(client=client),
        "accelerated": sel.accelerations_of(client=client).filter(reverted=False).count(),
    }


@register.inclusion_tag("collections/standing/_portal_notice.html")
def suspension_notice(client) -> dict[str, Any]:
    return {
        "suspended": client.suspended_for_non_payment_since is not None,
        "since": client.suspended_for_non_payment_since,
        "clause": client.suspension_reason,
    }
