"""Field validators of the catalog models: the checks of ``catalog.domain`` as Django
validators, so that ``full_clean`` names the field at fault."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from clausier.catalog import domain


def _raise_if(problem: str | None) -> None:
    if problem:
        raise ValidationError(problem)


def validate_vat_rate(value: Any) -> None:
    _raise_if(domain.vat_rate_problem(value))


def validate_guarantees(value: Any) -> None:
    _raise_if(domain.guarantees_problem(value))


def validate_options(value: Any) -> None:
    _raise_if(domain.options_problem(value))
