"""Domain errors shared by every app. The API maps them to HTTP statuses (409 for both)."""

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.utils.translation import gettext as _


class DomainError(Exception):
    """A write refused by a business rule; the message says which, in the user's words."""


class InvalidTransition(DomainError):
    """A state change the object's transition table does not allow."""

    def __init__(self, obj_label: str, current: str, target: str, allowed: set[str]) -> None:
        self.current, self.target = current, target
        allowed_text = ", ".join(sorted(allowed)) or _("aucun")
        super().__init__(
            _(
                "%(object)s : passage de « %(current)s » à « %(target)s » impossible (depuis "
                "« %(current)s », possibles : %(allowed)s)."
            )
            % {"object": obj_label, "current": current, "target": target, "allowed": allowed_text}
        )


class Conflict(DomainError):
    """The write conflicts with what exists (evidence to keep, an immutable document)."""


class Incomplete(DomainError):
    """A write refused for what is missing: the message names each missing thing in words
    (« SIREN du vendeur »), ``missing`` lists their codes (``seller.siren``) for programs
    (the API's 409 body carries them apart, as ``missing``)."""

    def __init__(self, message: str, missing: list[str]) -> None:
        super().__init__(message)
        self.missing = list(missing)


def only_fields(fields: dict[str, Any], allowed: frozenset[str]) -> dict[str, Any]:
    """``fields`` unchanged, or a ValidationError naming each field a service does not take."""
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise ValidationError({name: _("champ inconnu ou non modifiable") for name in unknown})
    return fields


def what_protects(error: ProtectedError) -> str:
    """What a refused delete would have orphaned, counted by kind in the user's words:
    ``3 factures, 1 devis``."""
    counts = Counter(type(obj) for obj in error.protected_objects)
    return ", ".join(
        f"{n} {model._meta.verbose_name if n == 1 else model._meta.verbose_name_plural}"
        for model, n in sorted(counts.items(), key=lambda item: str(item[0]._meta.verbose_name))
    )
