"""Django validators over the pure identifier checks of :mod:`clausier.rules.identifiers`.

Plain module-level functions, so that migrations can reference them.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clausier.kernel.wording import current_language
from clausier.rules import identifiers
from clausier.rules.errors import RuleError


def _run(check: Callable[[str], str], value: str) -> None:
    if not value:
        return
    try:
        check(value)
    except RuleError as exc:
        raise ValidationError(exc.described(current_language()), code="invalid") from None


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


def einvoice_address_errors(*, scheme: str, address: str, siren: str) -> dict[str, str]:
    """The field -> message map of an electronic invoicing address (scheme and address go
    together; checked by :func:`clausier.rules.identifiers.check_electronic_address`)."""
    if not scheme and not address:
        return {}
    if not address:
        return {"einvoice_address": _("Donnez l'adresse du schéma choisi, ou aucun schéma.")}
    if not scheme:
        return {"einvoice_scheme": _("Choisissez le schéma de cette adresse.")}
    try:
        identifiers.check_electronic_address(scheme, address, siren=siren)
    except RuleError as exc:
        return {exc.argument: exc.described(current_language())}
    return {}
