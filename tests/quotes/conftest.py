"""Quote fixtures: the web agency of seed 002 installed from its real seed (CGV v3.0)."""

from tests.agency_fixtures import client_company, contact, staff  # noqa: F401 (fixtures)
