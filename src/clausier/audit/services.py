"""Writing the audit trail. Every service that writes calls :func:`record_event` inside its
transaction, so that the event and the change are committed together or not at all."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict, Unpack

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import override

from clausier.audit.context import current_request_id
from clausier.audit.models import Event
from clausier.audit.triggers import Trigger
from clausier.kernel.actor import Actor


class Change(TypedDict):
    """Who did what, and the changed fields before and after (JSON-ready values)."""

    actor: Any
    verb: str
    before: NotRequired[dict[str, Any] | None]
    after: NotRequired[dict[str, Any] | None]
    note: NotRequired[str | dict[str, Any]]
    trigger: NotRequired[Trigger | None]


class EventFields(Change):
    """What an event says: the arguments of :func:`record_event` and :func:`new_event`."""

    seller: Any
    obj: models.Model


def record_event(**fields: Unpack[EventFields]) -> Event:
    """Record that ``actor`` did ``verb`` to ``obj``; ``before``/``after`` hold the changed
    fields only (JSON-ready values). ``actor`` may be ``None`` for the system itself."""
    event = new_event(**fields)
    event.save(force_insert=True)
    return event


def record_on(*, obj: models.Model, **change: Unpack[Change]) -> Event:
    """:func:`record_event` on one of a seller's own objects (``obj.seller``), in that
    seller's trail: the usual case."""
    return record_event(seller=obj.seller, obj=obj, **change)


def new_event(
    *,
    actor: Any,
    seller: Any,
    obj: models.Model,
    verb: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str | dict[str, Any] = "",
    trigger: Trigger | None = None,
) -> Event:
    """The unsaved event :func:`record_event` writes, for :func:`record_events`. ``trigger``
    is the fact an automatic action answered (the online payment of an order...), which the
    event's sentence states; None for a person's own act."""
    summary: dict[str, Any] = {}
    if before is not None:
        summary["before"] = before
    if after is not None:
        summary["after"] = after
    if note:
        summary["note"] = note
    if trigger:
        summary["trigger"] = str(trigger)
    is_user = getattr(actor, "is_authenticated", False)
    return Event(
        actor=actor if is_user else None,
        actor_label=(actor.get_username() if is_user else str(actor or "système"))[:200],
        seller=seller,
        object_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        # The name in French whatever the request's language: the journal rewords it.
        object_repr=_french_name(obj),
        verb=verb,
        summary=summary,
        request_id=current_request_id(),
    )


def _french_name(obj: models.Model) -> str:
    with override("fr"):
        return str(obj)[:200]


def record_events(*, events: list[Event]) -> list[Event]:
    """Write many events of :func:`new_event` at once (a billing run), in the caller's
    transaction, in their order."""
    return Event.objects.bulk_create(events)


def diff(*, instance: models.Model, fields: dict[str, Any]) -> tuple[dict, dict]:
    """The (before, after) pair of the fields of ``instance`` that ``fields`` changes."""
    before, after = {}, {}
    for name, value in fields.items():
        old = getattr(instance, name)
        if old != value:
            before[name] = _jsonable(old)
            after[name] = _jsonable(value)
    return before, after


def save_changes(
    *,
    instance: models.Model,
    fields: dict[str, Any],
    by: Actor,
    seller: Any,
    verb: str,
    on: models.Model | None = None,
    naming: dict[str, Any] | None = None,
) -> bool:
    """Set ``fields`` on ``instance`` (locked by the caller), validate it (``full_clean``),
    save it and record ``verb`` with the changed fields, before and after. Nothing is written
    when nothing changes; returns whether something did. The event is recorded on ``on``
    (``instance`` by default); ``naming`` says which of its parts changed (a clause's
    ``clause_id`` on its terms version), first in ``before``."""
    before, after = diff(instance=instance, fields=fields)
    if not after:
        return False
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    record_event(
        actor=by,
        seller=seller,
        obj=instance if on is None else on,
        verb=verb,
        before={**(naming or {}), **before},
        after=after,
    )
    return True


def insert_recorded(
    *,
    instance: models.Model,
    by: Actor,
    verb: str,
    after: dict[str, Any],
    on: models.Model | None = None,
) -> None:
    """Validate the new ``instance`` (``full_clean``), insert it and record ``verb`` with
    ``after`` on ``on`` (``instance`` by default), in the trail of its seller."""
    instance.full_clean()
    instance.save()
    record_on(obj=instance if on is None else on, actor=by, verb=verb, after=after)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def acting_user(*, by: Actor):
    """The user to store as author (``created_by``...): ``by`` when it is a logged-in user,
    None for the system, an API token or an anonymous caller."""
    return by if getattr(by, "is_authenticated", False) else None


def record_reaction_failure(*, fact: Any, reaction: str, error: Exception) -> Event | None:
    """An after-commit reaction to ``fact`` failed: say so in the trail of the fact's seller
    (verb ``reaction.failed``, on the seller), where staff read it. Facts without a seller are
    only logged (:mod:`clausier.kernel.events`)."""
    from django.apps import apps

    from clausier.kernel.events import describe

    # By name: the trail is infrastructure, sellers (an app) builds on it.
    seller = (
        apps.get_model("sellers", "Seller")
        .objects.filter(pk=getattr(fact, "seller_id", None))
        .first()
    )
    if seller is None:
        return None
    return record_event(
        actor=None,
        seller=seller,
        obj=seller,
        verb="reaction.failed",
        after={
            "fact": type(fact).__name__,
            "reaction": reaction,
            "error": f"{type(error).__name__}: {error}"[:500],
            "data": describe(fact),
        },
    )
