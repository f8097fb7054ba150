"""The checks of a meter's filters and of a price version's shape (the arithmetic is
``metering.domain.price``): each error names the field and the rule."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ONE_TIER_SCHEMES = frozenset({"per_unit", "package"})


def validate_filters(value: Any) -> None:
    """A meter's filters: an object of property names to a text, a number or a boolean."""
    if not isinstance(value, dict):
        raise ValidationError(_("les filtres sont un objet {propriété: valeur}"))
    for key, wanted in value.items():
        if not isinstance(wanted, str | int | float | bool):
            raise ValidationError(
                _("le filtre « %(key)s » attend un texte, un nombre ou un booléen") % {"key": key}
            )


def _decimal(raw: Any) -> Decimal | None:
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        return None
    try:
        number = Decimal(str(raw))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def validate_tiers(value: Any) -> None:
    """``[[up_to, unit_price], ...]``: ``up_to`` strictly increasing, ``null`` only for the
    last (open) tier, which must be there; unit prices are numbers >= 0."""
    if not isinstance(value, list) or not value:
        raise ValidationError(_("les paliers sont une liste non vide de [jusqu'à, prix unitaire]"))
    previous = Decimal(0)
    for index, tier in enumerate(value):
        if not isinstance(tier, list | tuple) or len(tier) != 2:
            raise ValidationError(
                _("palier %(n)s : [jusqu'à, prix unitaire] attendu") % {"n": index + 1}
            )
        up_to, unit_price = tier
        price = _decimal(unit_price)
        if price is None or price < 0:
            raise ValidationError(
                _("palier %(n)s : le prix unitaire est un nombre positif ou nul") % {"n": index + 1}
            )
        last = index == len(value) - 1
        if up_to is None:
            if not last:
                raise ValidationError(
                    _("palier %(n)s : seul le dernier palier est ouvert (jusqu'à null)")
                    % {"n": index + 1}
                )
            continue
        bound = _decimal(up_to)
        if bound is None or bound <= previous:
            raise ValidationError(
                _("palier %(n)s : « jusqu'à » croît strictement d'un palier au suivant")
                % {"n": index + 1}
            )
        if last:
            raise ValidationError(_("le dernier palier est ouvert : son « jusqu'à » est null"))
        previous = bound


def validate_price(*, scheme: str, tiers: Any, package_size: int | None) -> None:
    """The shape a scheme needs: one tier for ``per_unit`` and ``package``, a package size
    for ``package`` only."""
    errors: dict[str, str] = {}
    if scheme in ONE_TIER_SCHEMES and isinstance(tiers, list) and len(tiers) != 1:
        errors["tiers"] = _("la tarification « %(scheme)s » a un seul palier") % {"scheme": scheme}
    if scheme == "package" and not package_size:
        errors["package_size"] = _("la tarification par lot donne la taille du lot")
    if scheme != "package" and package_size:
        errors["package_size"] = _("seule la tarification par lot a une taille de lot")
    if errors:
        raise ValidationError(errors)
