"""The second factor required again (tests/conftest.py turns it off for the other tests)."""

from __future__ import annotations

import pytest


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED_ROLES = ["owner", "accounting"]


@pytest.fixture
def instant_retries(settings):
    """A refused code delays the next try by a second, doubling (django-otp's throttle,
    tested on its own): the tests that type a wrong code then a right one skip the wait."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
