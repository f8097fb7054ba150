"""Usage events read from a file (CSV with a header, or JSON Lines), in batches, each event
with its line number, so that a refusal names the line."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

CSV, JSONL = "csv", "jsonl"
PROPERTY_PREFIX = "properties."


def file_format(path: Path) -> str:
    """``csv`` or ``jsonl``: by extension, else by the first character of the content."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return CSV
    if suffix in (".jsonl", ".ndjson", ".json"):
        return JSONL
    with path.open(encoding="utf-8-sig") as stream:
        for line in stream:
            if line.strip():
                return JSONL if line.lstrip().startswith("{") else CSV
    return JSONL


def count_lines(path: Path) -> int:
    with path.open("rb") as stream:
        return sum(1 for _line in stream)


def _csv_event(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row as the API's event: numbers kept as text but for ids of subscriptions and
    clients; ``properties`` as a JSON object, or ``properties.<name>`` columns."""
    event: dict[str, Any] = {}
    for key, raw in row.items():
        if key is None or raw is None or raw == "":
            continue
        if key in ("subscription", "client"):
            event[key] = int(raw) if raw.isdigit() else raw
        elif key == "properties":
            event[key] = json.loads(raw)
        elif key.startswith(PROPERTY_PREFIX):
            event.setdefault("properties", {})[key.removeprefix(PROPERTY_PREFIX)] = raw
        else:
            event[key] = raw
    return event


def read_events(path: Path, fmt: str) -> Iterator[tuple[int, Any, str]]:
    """``(line number, event, "")`` for each event, or ``(line, None, reason)`` for a line
    that cannot be read; blank lines are skipped."""
    return _read_csv(path) if fmt == CSV else _read_jsonl(path)


def _read_csv(path: Path) -> Iterator[tuple[int, Any, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        for row in reader:
            line = reader.line_num
            try:
                yield line, _csv_event(row), ""
            except ValueError:
                yield line, None, _("properties : un objet JSON")


def _read_jsonl(path: Path) -> Iterator[tuple[int, Any, str]]:
    with path.open(encoding="utf-8-sig") as stream:
        for line, text in enumerate(stream, 1):
            if not text.strip():
                continue
            try:
                yield line, json.loads(text), ""
            except json.JSONDecodeError as exc:
                yield line, None, _("JSON illisible : %(error)s") % {"error": exc.msg}


def batches(items: Iterator, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
