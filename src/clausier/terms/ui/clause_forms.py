"""One form per clause kind, built from its parameter schema (``terms.schemas``).

Each field of a kind's schema becomes a labelled form field (``clause_words``): a number, a
percentage for a fraction (``0.30`` shown as ``30``), a select of coded values in words (the
units of a period, its starting event), boxes for a list of choices, a text of one item per
line, a duration as a number and a unit, a period's count, unit and event side by side. The
form only reads what was typed: the schema validates, and each of its refusals is put next to
the field it names, in words (never ``parameters.notice.n``). Nothing is stored on refusal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import cache
from types import NoneType, UnionType
from typing import Annotated, Any, ClassVar, Literal, Union, get_args, get_origin

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, TypeAdapter
from pydantic_core import PydanticUndefined

from clausier.terms.schemas import SCHEMAS, ClauseParametersError, Problem, validate_parameters
from clausier.terms.ui import clause_words as words
from clausier.web.forms import DecimalField

PREFIX = "p_"
HUNDRED = Decimal(100)


class ClauseHeadForm(forms.Form):
    """What every clause has, whatever its kind: its id, article, title and excerpt."""

    clause_id = forms.CharField(
        label=_("Identifiant"), max_length=60, help_text=_("Stable d'une version à l'autre.")
    )
    article = forms.CharField(label=_("Article"), max_length=30)
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    excerpt = forms.CharField(
        label=_("Extrait"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Les mots des CGV que la clause reprend."),
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0)


# --- fields standing for values the schema types ---------------------------------------------


class EventField(forms.ChoiceField):
    """What a period runs from: the known events in words. The schema takes any name, so a
    clause's own event is kept and shown as it is."""

    def __init__(self, **kwargs) -> None:
        super().__init__(choices=[("", "—"), *words.EVENTS.items()], **kwargs)

    def valid_value(self, value: str) -> bool:
        return True

    def keep(self, value: Any) -> None:
        if value and value not in dict(self.choices):
            self.choices = [*self.choices, (value, value)]


class LinesField(forms.CharField):
    """A list of texts, one a line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value: Any) -> list[str]:
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


_RANGE = re.compile(r"^(\d{1,2}:\d{2})\s*[-–à]\s*(\d{1,2}:\d{2})$")


class TimeRangesField(forms.CharField):
    """The ranges of a day, ``09:00-12:00, 14:00-18:00``, as ``[["09:00", "12:00"], ...]``."""

    def to_python(self, value: Any) -> list[list[str]]:
        text = super().to_python(value) or ""
        ranges = []
        for part in filter(None, (p.strip() for p in text.split(","))):
            match = _RANGE.match(part)
            if match is None:
                raise ValidationError(
                    _("« %(part)s » : écrivez chaque plage comme 09:00-18:00."),
                    params={"part": part},
                    code="range",
                )
            ranges.append([match[1].zfill(5), match[2].zfill(5)])
        return ranges


class DurationWidget(forms.MultiWidget):
    def __init__(self) -> None:
        super().__init__(
            [
                forms.NumberInput(attrs={"inputmode": "numeric", "size": 5}),
                forms.Select(choices=words.DURATION_UNITS.items()),
            ]
        )

    def decompress(self, value: Any) -> list[Any]:
        if value in (None, ""):
            return [None, "hours"]
        seconds = int(TypeAdapter(timedelta).validate_python(value).total_seconds())
        for unit, size in (("days", 86400), ("hours", 3600)):
            if seconds and seconds % size == 0:
                return [seconds // size, unit]
        return [seconds // 60, "minutes"]


class DurationField(forms.MultiValueField):
    """A duration typed as a number of minutes, hours or days."""

    def __init__(self, **kwargs) -> None:
        fields = (
            forms.IntegerField(required=False),
            forms.ChoiceField(choices=words.DURATION_UNITS.items(), required=False),
        )
        super().__init__(fields, require_all_fields=False, widget=DurationWidget(), **kwargs)

    def compress(self, values: list[Any]) -> timedelta | None:
        if not values or values[0] in (None, ""):
            return None
        return timedelta(**{values[1] or "hours": values[0]})


# --- the schema read as form fields ------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A form field standing for one value of the parameters: where the value goes
    (``path``), whether the schema takes ``None`` for it, and a percentage's scale."""

    name: str
    path: tuple[str, ...]
    nullable: bool = False
    group_nullable: bool = False
    percent: bool = False
    lines: bool = False
    ranges: bool = False

    def to_param(self, value: Any) -> Any:
        """The typed value as the schema reads it; ``None`` leaves it out (its default
        applies, or the schema says it is missing) unless the schema takes ``None``."""
        if value in (None, "") or (self.ranges and not value):
            return None
        if self.percent:
            return value.scaleb(-2).normalize()
        return value

    def to_initial(self, value: Any) -> Any:
        if value is None:
            return None
        if self.percent:
            shown = Decimal(str(value)) * HUNDRED
            return shown.quantize(Decimal(1)) if shown == shown.to_integral() else shown.normalize()
        if self.lines:
            return "\n".join(value)
        if self.ranges:
            return ", ".join(f"{start}-{end}" for start, end in value)
        return value


def _unwrapped(annotation: Any) -> tuple[Any, bool, list[Any]]:
    """``(type, takes None, constraints)`` of an annotation: ``Amount | None`` is
    ``(Decimal, True, [Ge(0), ...])``."""
    nullable = False
    if get_origin(annotation) in (Union, UnionType):
        args = get_args(annotation)
        if NoneType in args and len(args) == 2:
            nullable = True
            annotation = next(a for a in args if a is not NoneType)
    constraints: list[Any] = []
    if get_origin(annotation) is Annotated:
        base, *extra = get_args(annotation)
        for item in extra:
            constraints.extend(getattr(item, "metadata", [item]))
        annotation = base
    return annotation, nullable, constraints


def _is_fraction(constraints: list[Any]) -> bool:
    bounds = {type(c).__name__: getattr(c, type(c).__name__.lower(), None) for c in constraints}
    return bounds.get("Ge") == 0 and bounds.get("Le") == 1


def _choices(key: str, values: tuple[Any, ...]) -> list[tuple[Any, Any]]:
    return [(value, words.choice(key, value)) for value in values]


def _leaf(kind: str, key: str, annotation: Any, constraints: list[Any], required: bool):
    """The form field of one value of type ``annotation`` and its Param options."""
    origin = get_origin(annotation)
    common = {"required": required}
    if annotation is bool:
        return forms.BooleanField(required=False), {}
    if annotation is int:
        return forms.IntegerField(**common), {}
    if annotation is Decimal:
        if _is_fraction(constraints):
            return DecimalField(**common), {"percent": True}
        return DecimalField(**common), {}
    if annotation is timedelta:
        return DurationField(**common), {}
    if annotation is str and key == "from":
        return EventField(**common), {}
    if annotation is str:
        return forms.CharField(**common), {}
    if origin is Literal:
        return forms.ChoiceField(choices=_choices(key, get_args(annotation)), **common), {}
    if origin is list:
        (item,) = get_args(annotation)
        if get_origin(item) is Literal:
            return forms.MultipleChoiceField(
                choices=_choices(key, get_args(item)),
                widget=forms.CheckboxSelectMultiple,
                **common,
            ), {}
        if item is str:
            return LinesField(**common), {"lines": True}
    raise TypeError(f"no form field for {key!r} of kind {kind!r}: {annotation!r}")


def _params(
    kind: str,
    schema: type[BaseModel],
    path: tuple[str, ...] = (),
    group: Any = None,
    group_nullable: bool = False,
):
    """``(Param, form field)`` for every value of ``schema``, nested periods flattened."""
    found: list[tuple[Param, forms.Field]] = []
    for name, info in schema.model_fields.items():
        key = info.alias or name
        annotation, nullable, constraints = _unwrapped(info.annotation)
        constraints = [*info.metadata, *constraints]
        here = (*path, key)
        label = words.label(kind, key)
        if group is not None:
            label = words.group_label(group, label)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found += _params(kind, annotation, here, group=label, group_nullable=nullable)
            continue
        if get_origin(annotation) is dict:
            day_key, _value = get_args(annotation)
            for day in get_args(day_key):
                field = TimeRangesField(required=False, label=words.DAYS[day])
                field.help_text = words.help_text(kind, key) if day == "0" else ""
                param = Param(PREFIX + "__".join((*here, day)), (*here, day), ranges=True)
                found.append((param, field))
            continue
        required = info.is_required() and not (nullable or group_nullable)
        required = required and annotation is not bool
        field, options = _leaf(kind, key, annotation, constraints, required)
        field.label = label
        field.help_text = words.help_text(kind, key) if group is None else ""
        if group is None and info.default is not PydanticUndefined and info.default is not None:
            field.initial = info.default
        param = Param(
            PREFIX + "__".join(here),
            here,
            nullable=nullable,
            group_nullable=group_nullable,
            **options,
        )
        if group is None and field.initial is not None:
            field.initial = param.to_initial(field.initial)
        found.append((param, field))
    return found


# --- the form of one kind -----------------------------------------------------------------------


def _figure(value: Any, percent: bool) -> str:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if percent:
            return number_format(Decimal(str(value)) * HUNDRED, use_l10n=True) + " %"
        return number_format(value, use_l10n=True)
    return str(value)


PROBLEMS: dict[str, Any] = {
    "missing": _("Ce champ est obligatoire."),
    "greater_than_equal": _("Au moins %(ge)s."),
    "greater_than": _("Plus de %(gt)s."),
    "less_than_equal": _("Au plus %(le)s."),
    "less_than": _("Moins de %(lt)s."),
    "too_short": _("Choisissez-en au moins %(min_length)s."),
    "string_too_short": _("Ce champ ne peut pas être vide."),
    "literal_error": _("Choisissez l'une des valeurs proposées."),
    "int_parsing": _("Saisissez un nombre entier."),
    "int_type": _("Saisissez un nombre entier."),
    "int_from_float": _("Saisissez un nombre entier."),
    "decimal_parsing": _("Saisissez un nombre."),
    "decimal_type": _("Saisissez un nombre."),
    "decimal_max_places": _("Au plus %(decimal_places)s chiffres après la virgule."),
    "time_delta_parsing": _("Saisissez une durée."),
}


class ClauseForm(ClauseHeadForm):
    """A clause of one kind: its head and its parameters, one field each. A subclass per
    kind is made by :func:`clause_form_class`."""

    kind: ClassVar[str]
    params: ClassVar[tuple[Param, ...]]

    def __init__(self, *args, parameters: dict[str, Any] | None = None, **kwargs) -> None:
        initial = dict(kwargs.pop("initial", None) or {})
        self.original = parameters
        for param in self.params:
            if parameters is not None:
                initial[param.name] = param.to_initial(_at(parameters, param.path))
        super().__init__(*args, initial=initial, **kwargs)
        for param in self.params:
            field = self.fields[param.name]
            if isinstance(field, EventField):
                field.keep(self.data.get(self.add_prefix(param.name)) or initial.get(param.name))

    @property
    def kind_label(self) -> Any:
        return words.KIND_WORDS.get(self.kind, self.kind)

    @property
    def parameter_fields(self) -> list[forms.BoundField]:
        return [self[p.name] for p in self.params]

    @property
    def head_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ClauseHeadForm.base_fields]

    def parameters(self) -> dict[str, Any]:
        """The parameters as typed, for the schema to validate."""
        out: dict[str, Any] = {}
        for param in self.params:
            value = param.to_param(self.cleaned_data.get(param.name))
            if self.original is not None and param.name not in self.changed_data:
                value = _at(self.original, param.path)  # untouched: as stored (0.5, not 0.50)
            target = out
            for key in param.path[:-1]:
                target = target.setdefault(key, {})
            if value is not None or param.nullable:
                target[param.path[-1]] = value
        # A group (a period) the schema allows to be absent, left empty: absent.
        for param in self.params:
            group = param.path[0]
            if param.group_nullable and out.get(group) == {}:
                out[group] = None
        return out

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if any(self.has_error(p.name) for p in self.params):
            return cleaned
        try:
            cleaned["parameters"] = validate_parameters(self.kind, self.parameters())
        except ClauseParametersError as error:
            for problem in error.problems:
                self._refused(problem)
        return cleaned

    def _refused(self, problem: Problem) -> None:
        param = self._param_at(problem.loc)
        percent = param is not None and param.percent
        message = PROBLEMS.get(problem.type, _("Valeur refusée."))
        figures = {k: _figure(v, percent) for k, v in problem.ctx.items()}
        try:
            text = str(message) % figures if "%(" in str(message) else str(message)
        except KeyError:
            text = str(_("Valeur refusée."))
        if param is None:
            self.add_error(None, text)
        else:
            self.add_error(param.name, text)

    def _param_at(self, loc: tuple[str | int, ...]) -> Param | None:
        keys = tuple(str(k) for k in loc)
        best = None
        for param in self.params:
            size = len(param.path)
            if keys[:size] == param.path and (best is None or size > len(best.path)):
                best = param
        if best is None:  # a whole group refused: its first field
            best = next((p for p in self.params if p.path[: len(keys)] == keys), None)
        return best

    def clause_fields(self) -> dict[str, Any]:
        """What ``terms.services`` takes: the head, the kind and the checked parameters."""
        data = {name: self.cleaned_data[name] for name in ClauseHeadForm.base_fields}
        return data | {"kind": self.kind, "parameters": self.cleaned_data["parameters"]}


def _at(parameters: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = parameters
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


@cache
def clause_form_class(kind: str) -> type[ClauseForm]:
    """The form of clauses of ``kind`` (a ``KeyError`` for an unknown kind)."""
    found = _params(kind, SCHEMAS[kind])
    attrs = {param.name: field for param, field in found}
    attrs |= {"kind": str(kind), "params": tuple(param for param, _field in found)}
    name = "".join(part.title() for part in re.split(r"[._]", str(kind))) + "ClauseForm"
    return type(name, (ClauseForm,), attrs)


def clause_head_fields() -> tuple[str, ...]:
    """The fields every clause's form has, whatever its kind."""
    return tuple(ClauseHeadForm.base_fields)


def kind_choices() -> list[tuple[str, Any]]:
    """Every kind of clause, in words, in the order of the schemas."""
    return [(str(kind), words.KIND_WORDS.get(kind, kind)) for kind in SCHEMAS]
