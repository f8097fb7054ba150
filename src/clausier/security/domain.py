"""Who must prove a second factor, and what a code typed by a person looks like (pure)."""

from __future__ import annotations

from collections.abc import Iterable

# What a session still owes after the password (kept in the session under SESSION_KEY).
DONE, VERIFY, ENROL = "done", "verify", "enrol"
SESSION_KEY = "clausier_second_factor"

RECOVERY_CODE_COUNT = 10


def mfa_required(*, roles: Iterable[str], required_roles: Iterable[str]) -> bool:
    """Whether a person holding ``roles`` (at any of their sellers) must use a second
    factor: one of them is in ``required_roles`` (the ``MFA_REQUIRED_ROLES`` setting)."""
    return bool(set(roles) & set(required_roles))


def second_factor_step(*, has_device: bool, required: bool) -> str:
    """What a session owes after the password: the code of the person's device when they have
    one (whether required or chosen), an enrolment when required and missing, else nothing."""
    if has_device:
        return VERIFY
    return ENROL if required else DONE


def normalized_code(raw: str) -> str:
    """A code as typed: spaces and dashes dropped, lower case (recovery codes are lower-case
    base 32, TOTP codes digits)."""
    return "".join(ch for ch in raw.strip().lower() if ch not in " -")


def is_totp_code(code: str) -> bool:
    return len(code) in (6, 8) and code.isdigit()
