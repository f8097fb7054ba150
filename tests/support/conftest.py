"""The PaaS host of seed 000 (CGV v1.1: art. 9-10, GTI/GTR, business hours Mon-Fri
9:00-18:00), a client company and a support agent."""

import pytest

from clausier.sellers.models import Role
from tests.factories import make_staff


@pytest.fixture
def agent(paas):
    user = make_staff(paas, Role.SUPPORT, username="agent-support")
    user.email = "agent@clever.example"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def open_ticket(paas, paas_company, agent):
    """A builder: a ticket of the company opened at ``at`` by phone or the portal."""
    from clausier.support import services

    def build(at, *, severity="standard", channel="portal", **fields):
        return services.open_ticket(
            seller=paas,
            client=paas_company,
            subject=fields.pop("subject", "Application en erreur 502"),
            description=fields.pop("description", "Depuis ce matin, erreur 502."),
            channel=channel,
            severity=severity,
            opened_at=at,
            by=agent,
            **fields,
        )

    return build
