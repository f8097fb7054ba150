"""Loads the demo data set. Every step is get-or-update, so loading twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str


DEMO_LOGINS = (DemoLogin("admin", "clausier-demo", "superuser: Django admin and every seller"),)


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    user_model = get_user_model()
    for login in DEMO_LOGINS:
        user, _created = user_model.objects.get_or_create(username=login.username)
        user.is_staff = True
        user.is_superuser = True
        user.email = f"{login.username}@demo.clausier.test"
        user.set_password(login.password)
        user.save()
    return list(DEMO_LOGINS)
