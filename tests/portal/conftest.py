"""The portal's seller has a brand colour (the pages show it); the rest is tests/conftest.py."""

import pytest

from tests.factories import make_seller


@pytest.fixture
def seller(db):
    return make_seller("atelier", brand_color="#7a2e8c")
