"""Django validators over the pure identifier checks of :mod:`clausier.rules.identifiers`.

Plain module-level functions, so that migrations can reference them.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError

from clausier.rules import identifiers
from clausier.rules.errors import RuleError


def _run(check: Callable[[str], str], value: str) -> None:
    if not value:
        return
    try:
        check(value)
    except RuleError as exc:
        raise ValidationError(str(exc), code="invalid") from None


def validate_siren(value: str) -> None:
    _run(identifiers.check_siren, value)


def validate_siret(value: str) -> None:
    _run(identifiers.check_siret, value)


def validate_vat_number(value: str) -> None:
    _run(identifiers.check_vat_number, value)


def validate_iban(value: str) -> None:
    _run(identifiers.check_iban, value)


def validate_bic(value: str) -> None:
    _run(identifiers.check_bic, value)
