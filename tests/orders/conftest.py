"""Orders fixtures: the login of the PaaS host's consumer (the PaaS host of seed 000 and the
web agency of seed 002 are in tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.factories import make_contact


@pytest.fixture
def consumer_login(paas_consumer):
    return make_contact(
        paas_consumer, name="Émilie Durand", email="emilie.durand@example.test"
    ).user
