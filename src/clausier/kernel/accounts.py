"""Logins: Django's user accounts, shared by staff (sellers) and portal contacts (customers).

A login belongs to no domain: a seller's staff membership and a client's contact both point at
one. Creating it is infrastructure, so that neither domain calls the other's services for it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model


def ensure_user(*, username: str, email: str, password: str | None = None, **extra):
    """Get or create the login ``username``, updating its e-mail and ``extra`` fields; sets the
    password when given (and different)."""
    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"email": email})
    changed = False
    for name, value in {"email": email, **extra}.items():
        if getattr(user, name) != value:
            setattr(user, name, value)
            changed = True
    if password is not None and not user.check_password(password):
        user.set_password(password)
        changed = True
    if changed:
        user.save()
    return user


def login_exists(*, username: str) -> bool:
    """Whether a login already answers to ``username`` (case-insensitive, as people type it)."""
    return get_user_model().objects.filter(username__iexact=username).exists()
