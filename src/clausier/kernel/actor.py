"""Who acts: a staff or client user, an API token, or the system itself (``None``).

Every service takes its actor as ``by: Actor``; the audit trail records it
(:func:`clausier.audit.services.record_event`): a user by its login, anything else by its
``str()`` (an API token names itself and its seller), ``None`` as "système".
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from django.contrib.auth.base_user import AbstractBaseUser


@runtime_checkable
class Caller(Protocol):
    """An actor that is not a user (an API token): it belongs to a seller, names itself."""

    seller_id: int

    def __str__(self) -> str: ...


type Actor = AbstractBaseUser | Caller | None
