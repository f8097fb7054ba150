"""Usage events ingested in batches, each stored once per (seller, id).

Each event is checked on its own (a bad one is rejected with its index, id and reason; the
others are kept), then the valid ones are written in one statement per chunk with the
database's fast path, never one ``save()`` per event:

- PostgreSQL: one ``INSERT ... SELECT ... FROM unnest(<one array per column>) ON CONFLICT
  (seller_id, event_id) DO NOTHING RETURNING event_id`` per chunk (a handful of parameters
  whatever the chunk's size, so no query of thousands of placeholders to build); a
  concurrent retry of the same batch waits on the unique index for the first to commit,
  then inserts nothing: each event is stored once;
- SQLite: ``executemany`` of ``INSERT OR IGNORE`` (one writer at a time).

What was not inserted because its id was already stored is counted as a duplicate.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from clausier.audit.services import record_event
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.metering import limits
from clausier.metering import transitions as subscription_states
from clausier.metering.models import (
    Aggregation,
    Meter,
    Subscription,
    SubscriptionStatus,
    UsageEvent,
)
from clausier.sellers.models import Seller

# Rows per INSERT statement on PostgreSQL (one array per column: any size would do).
ROWS_PER_STATEMENT = 5_000
VALUE_PLACES = Decimal("0.000001")
VALUE_MAX = Decimal(10) ** 18
COLUMNS = (
    "seller_id",
    "event_id",
    "subscription_id",
    "meter_id",
    "timestamp",
    "value",
    "properties",
    "received_at",
)


@dataclass(frozen=True)
class Rejected:
    """An event refused: its place in the batch (from 0), its id as sent, and why."""

    index: int
    id: str | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "id": self.id, "reason": self.reason}


@dataclass(frozen=True)
class IngestResult:
    """``accepted``: events stored by this call; ``duplicates``: valid events whose id was
    already stored (an earlier batch, or earlier in this one); ``rejected``: the others."""

    accepted: int
    duplicates: int
    rejected: list[Rejected] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "rejected": [r.as_dict() for r in self.rejected],
        }


class Refused(Exception):
    """One event's reason (internal to the checks)."""


# A database id is a positive 64-bit integer: a larger one names nothing (and SQLite cannot
# even bind it).
MAX_ID = 2**63 - 1


def _storable_text(value: str) -> bool:
    """Whether ``value`` can be stored as it is: UTF-8 (no lone surrogate) and no NUL
    character (neither PostgreSQL's text nor its jsonb take one)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _database_id(value: Any) -> bool:
    """Whether ``value`` is an integer that can be a row's id."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def _storable_json(value: Any) -> bool:
    """Whether a JSON value (properties) holds only storable text and finite numbers."""
    if isinstance(value, str):
        return _storable_text(value)
    if isinstance(value, float):
        return value == value and value not in (float("inf"), float("-inf"))
    if isinstance(value, dict):
        return all(
            isinstance(k, str) and _storable_text(k) and _storable_json(v) for k, v in value.items()
        )
    if isinstance(value, list):
        return all(_storable_json(v) for v in value)
    return value is None or isinstance(value, bool | int)


# From this many values, PostgreSQL gets an ``IN`` list as one array parameter.
ARRAY_FROM = 32


def _among(values: set, sql_type: str) -> Any:
    """``values`` for an ``__in`` lookup. On PostgreSQL, past :data:`ARRAY_FROM` values, one
    array parameter (``IN (SELECT unnest(%s::type[]))``): psycopg binds parameters on the
    client, parsing the query once per placeholder, and a batch names up to 1,000
    subscriptions."""
    if connection.vendor != "postgresql" or len(values) < ARRAY_FROM:
        return values
    return RawSQL(f"SELECT unnest(%s::{sql_type}[])", [list(values)])


# A row to insert, in the order of COLUMNS.
type Row = tuple[int, str, int, int, datetime, Decimal, dict, datetime]


@dataclass
class Lookup:
    """The seller's meters and the ids of the subscriptions a batch names, read in a few
    queries (ids only: a batch may name thousands of subscriptions)."""

    meters: dict[str, Meter]
    by_id: dict[int, int]
    by_external: dict[str, int]
    by_client: dict[int, list[int]]
    # The named subscriptions that meter nothing more (terminated): id -> (external id, status)
    ended: dict[int, tuple[str, str]]

    @classmethod
    def of(cls, *, seller: Seller, events: list[Any]) -> Lookup:
        objects = [e for e in events if isinstance(e, Mapping)]
        codes = {
            code
            for e in objects
            if isinstance(code := e.get("meter"), str) and _storable_text(code)
        }
        named = [e.get("subscription") for e in objects]
        ids = {n for n in named if _database_id(n)}
        externals = {n for n in named if isinstance(n, str) and _storable_text(n)}
        clients = {c for e in objects if _database_id(c := e.get("client"))}
        subscriptions = Subscription.objects.filter(seller=seller)
        by_client: dict[int, list[int]] = {}
        active = subscriptions.filter(
            client_id__in=_among(clients, "bigint"), status=SubscriptionStatus.ACTIVE
        )
        for pk, client_id in active.values_list("pk", "client_id"):
            by_client.setdefault(client_id, []).append(pk)
        named_rows = list(
            subscriptions.filter(
                Q(pk__in=_among(ids, "bigint")) | Q(external_id__in=_among(externals, "text"))
            ).values_list("pk", "external_id", "status")
        )
        return cls(
            meters={m.code: m for m in Meter.objects.filter(seller=seller, code__in=codes)},
            by_id={pk: pk for pk, _external, _status in named_rows if pk in ids},
            by_external={
                external: pk for pk, external, _status in named_rows if external in externals
            },
            by_client=by_client,
            ended={
                pk: (external, status)
                for pk, external, status in named_rows
                if status not in subscription_states.METERING
            },
        )


def _event_id(event: Mapping) -> str:
    raw = event.get("id")
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str) or not raw.strip():
        raise Refused(_("id : obligatoire, un texte non vide qui identifie l'événement"))
    if len(raw) > limits.MAX_EVENT_ID_LENGTH or not _storable_text(raw):
        raise Refused(
            _("id : au plus %(n)s caractères, en UTF-8 valide, sans caractère NUL")
            % {"n": limits.MAX_EVENT_ID_LENGTH}
        )
    return raw


def _meter(event: Mapping, lookup: Lookup) -> Meter:
    code = event.get("meter")
    if not isinstance(code, str) or not code or not _storable_text(code):
        raise Refused(_("meter : obligatoire, le code d'un compteur"))
    meter = lookup.meters.get(code)
    if meter is None:
        raise Refused(_("meter : compteur « %(code)s » inconnu") % {"code": code[:60]})
    return meter


def _subscription(event: Mapping, lookup: Lookup) -> int:
    named, client = event.get("subscription"), event.get("client")
    if named is None and client is None:
        raise Refused(_("subscription : obligatoire (ou client, l'identifiant du client)"))
    if named is not None:
        found = (
            lookup.by_external.get(named)
            if isinstance(named, str)
            else lookup.by_id.get(named)
            if _database_id(named)
            else None
        )
        if found is None:
            shown = str(named).encode("utf-8", "replace").decode("utf-8")
            raise Refused(_("subscription : abonnement « %(n)s » inconnu") % {"n": shown[:100]})
        if found in lookup.ended:
            external, status = lookup.ended[found]
            raise Refused(
                _(
                    "subscription : l'abonnement « %(n)s » est résilié (%(status)s), "
                    "il ne reçoit plus d'usage"
                )
                % {"n": external, "status": SubscriptionStatus(status).label}
            )
        return found
    active = lookup.by_client.get(client) if _database_id(client) else None
    if not active:
        raise Refused(
            _("client : aucun abonnement actif pour le client « %(n)s »") % {"n": str(client)[:40]}
        )
    if len(active) > 1:
        raise Refused(_("client : plusieurs abonnements actifs, nommez l'abonnement"))
    return active[0]


def _timestamp(event: Mapping, *, latest: datetime) -> datetime:
    raw = event.get("timestamp")
    try:
        moment = parse_datetime(raw) if isinstance(raw, str) else None
    except ValueError:
        # Well formed but impossible (30 February, 25:00): refused like any other.
        moment = None
    if moment is None or timezone.is_naive(moment):
        raise Refused(
            _(
                "timestamp : une date et heure ISO 8601 avec son décalage UTC "
                "(« 2026-10-01T12:00:00Z »)"
            )
        )
    if moment > latest:
        raise Refused(
            _("timestamp : dans le futur au-delà de la marge admise (%(margin)s)")
            % {"margin": limits.future_margin()}
        )
    return moment


def _value(event: Mapping, meter: Meter) -> Decimal:
    raw = event.get("value")
    if raw is None and meter.aggregation in (Aggregation.COUNT, Aggregation.UNIQUE_COUNT):
        return Decimal(1)
    try:
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise InvalidOperation
        value = Decimal(str(raw))
        if (
            not value.is_finite()
            or abs(value) >= VALUE_MAX
            or value != value.quantize(VALUE_PLACES)
        ):
            raise InvalidOperation
    except InvalidOperation:
        raise Refused(
            _("value : un nombre (au plus 18 chiffres avant la virgule et 6 après)")
        ) from None
    if value < 0 and not meter.allow_negative:
        raise Refused(
            _("value : négative, refusée par le compteur « %(code)s »") % {"code": meter.code}
        )
    return value


def _properties(event: Mapping, meter: Meter) -> dict:
    properties = event.get("properties", {})
    if properties is None:
        properties = {}
    if not isinstance(properties, dict) or not _storable_json(properties):
        raise Refused(
            _(
                "properties : un objet {nom: valeur} de textes UTF-8 sans caractère NUL "
                "et de nombres finis"
            )
        )
    if meter.aggregation == Aggregation.UNIQUE_COUNT and meter.unique_property not in properties:
        raise Refused(
            _("properties : « %(p)s » obligatoire pour le compteur « %(code)s »")
            % {"p": meter.unique_property, "code": meter.code}
        )
    return properties


def _row(event: Any, *, seller: Seller, lookup: Lookup, latest: datetime, now: datetime) -> Row:
    """The event as a row of the table, in the order of COLUMNS (no model instance: a
    batch holds thousands)."""
    if not isinstance(event, Mapping):
        raise Refused(_("un événement est un objet JSON"))
    event_id = _event_id(event)
    meter = _meter(event, lookup)
    subscription_id = _subscription(event, lookup)
    return (
        seller.pk,
        event_id,
        subscription_id,
        meter.pk,
        _timestamp(event, latest=latest),
        _value(event, meter),
        _properties(event, meter),
        now,
    )


def _sent_id(event: Any) -> str | None:
    raw = event.get("id") if isinstance(event, Mapping) else None
    return str(raw)[: limits.MAX_EVENT_ID_LENGTH] if isinstance(raw, str | int) else None


def check_events(
    *, seller: Seller, events: list[Any], now: datetime
) -> tuple[list[Row], list[Rejected], int]:
    """The valid events as rows (each id once, sorted by id), the rejected ones, and how
    many repeated an id earlier in the batch."""
    lookup = Lookup.of(seller=seller, events=events)
    latest = now + limits.future_margin()
    rows: dict[str, Row] = {}
    rejected: list[Rejected] = []
    repeated = 0
    for index, event in enumerate(events):
        try:
            row = _row(event, seller=seller, lookup=lookup, latest=latest, now=now)
        except Refused as refusal:
            rejected.append(Rejected(index=index, id=_sent_id(event), reason=str(refusal)))
            continue
        if row[1] in rows:
            repeated += 1
        else:
            rows[row[1]] = row
    return [rows[key] for key in sorted(rows)], rejected, repeated


def _prepared(rows: list[Row]) -> list[tuple]:
    """The rows as the database adapter takes them, through each field (SQLite)."""
    by_column = {f.column: f for f in UsageEvent._meta.concrete_fields}
    fields = [by_column[name] for name in COLUMNS]
    return [
        tuple(
            f.get_db_prep_save(value, connection=connection)
            for f, value in zip(fields, row, strict=True)
        )
        for row in rows
    ]


# PostgreSQL: the chunk's columns as arrays, unnested in their order (the rows' id order).
UNNEST_INSERT = (
    "INSERT INTO {table} ({columns}) "
    "SELECT %s, e, s, m, t, v, p::jsonb, %s FROM unnest("
    "%s::text[], %s::bigint[], %s::bigint[], %s::timestamptz[], %s::numeric[], %s::text[]"
    ") AS u(e, s, m, t, v, p) "
    "ON CONFLICT (seller_id, event_id) DO NOTHING RETURNING event_id"
)


def _insert_unnest(cursor, rows: list[Row]) -> int:
    sql = UNNEST_INSERT.format(table=UsageEvent._meta.db_table, columns=", ".join(COLUMNS))
    inserted = 0
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        chunk = rows[start : start + ROWS_PER_STATEMENT]
        seller_id, received_at = chunk[0][0], chunk[0][7]
        cursor.execute(
            sql,
            [
                seller_id,
                received_at,
                [r[1] for r in chunk],
                [r[2] for r in chunk],
                [r[3] for r in chunk],
                [r[4] for r in chunk],
                [r[5] for r in chunk],
                [json.dumps(r[6]) for r in chunk],
            ],
        )
        inserted += len(cursor.fetchall())
    return inserted


def write_rows(*, rows: list[Row]) -> int:
    """Insert ``rows`` (one seller's, received at one moment), skipping the ids the seller
    already has; how many were inserted."""
    if not rows:
        return 0
    table = UsageEvent._meta.db_table
    columns = ", ".join(COLUMNS)
    inserted = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            inserted = _insert_unnest(cursor, rows)
        else:
            params = _prepared(rows)
            placeholders = ", ".join(["%s"] * len(COLUMNS))
            before = connection.connection.total_changes
            cursor.executemany(
                f"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({placeholders})", params
            )
            inserted = connection.connection.total_changes - before
    return inserted


@transaction.atomic
def ingest(
    *, seller: Seller, events: list[Any], by: Actor, now: datetime | None = None
) -> IngestResult:
    """Check ``events`` one by one and store the valid ones once per (seller, id); a batch
    of more than ``limits.MAX_BATCH_EVENTS`` is refused whole (``ValidationError`` on
    ``events``)."""
    if not isinstance(events, list):
        raise ValidationError({"events": _("une liste d'événements (objets JSON) est attendue")})
    if len(events) > limits.MAX_BATCH_EVENTS:
        raise ValidationError(
            {
                "events": _(
                    "au plus %(max)s événements par lot (reçus : %(n)s) : "
                    "envoyez-les en plusieurs lots"
                )
                % {"max": limits.MAX_BATCH_EVENTS, "n": len(events)}
            }
        )
    now = aware_now(now)
    rows, rejected, repeated = check_events(seller=seller, events=events, now=now)
    accepted = write_rows(rows=rows)
    result = IngestResult(
        accepted=accepted, duplicates=len(rows) - accepted + repeated, rejected=rejected
    )
    record_event(
        seller=seller,
        obj=seller,
        actor=by,
        verb="usage.ingested",
        after={
            "accepted": result.accepted,
            "duplicates": result.duplicates,
            "rejected": len(result.rejected),
        },
    )
    return result
