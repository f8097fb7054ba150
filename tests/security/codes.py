"""What an authenticator app does: read the secret the enrolment page shows, and compute its
codes (RFC 6238, with django-otp's own TOTP)."""

from __future__ import annotations

import re
from base64 import b32decode

from django_otp.oath import totp

from tests.factories import PASSWORD


def secret_of(page_html: str) -> bytes:
    """The key the enrolment page shows as text (base 32, in groups of four)."""
    text = re.search(r"data-secret>([A-Z2-7 ]+)<", page_html).group(1)
    secret = text.replace(" ", "")
    return b32decode(secret + "=" * (-len(secret) % 8))


def code_for(key: bytes, *, step_ahead: int = 0) -> str:
    """The six digits an app shows now (``step_ahead`` 30-second steps later: a code is
    accepted once, the next login types the next one)."""
    return f"{totp(key, drift=step_ahead):06d}"


def password_login(client, user, *, next_url: str = ""):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/login/", data)
