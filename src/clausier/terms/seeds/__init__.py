"""The seed sellers' terms of sale, as data.

Each seller has a folder ``<slug>/`` holding ``seller.json`` (the seller's identity as far as
its terms state it, with ``notes`` on every placeholder), and per terms version a Markdown
text ``cgv-<label>.md`` (the text the client read, word for word) and ``cgv-<label>.json``
(label, title, effective date, text file, clauses with typed parameters and the excerpt each
one encodes).

:func:`load_seed` reads and checks a seed: every clause's parameters against its schema,
clause ids unique per version, the text file present. Pure: no ORM, no Django; installing a
seed in the database is :func:`clausier.demo.seeding.install_seed`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from clausier.terms.schemas import ClauseParametersError, validate_parameters

SEED_SLUGS = ("clever-cloud", "neo7-studio-web")

CLAUSE_KEYS = ("clause_id", "kind", "article", "title", "excerpt", "parameters")
OPTIONAL_CLAUSE_KEYS = ("note",)
VERSION_KEYS = ("label", "title", "effective_date", "text_file", "clauses")
SELLER_REQUIRED = ("legal_name", "address_line1", "postal_code", "city")


@dataclass(frozen=True)
class SeedVersion:
    label: str
    title: str
    effective_date: date
    text: str
    clauses: list[dict[str, Any]]


@dataclass(frozen=True)
class SeedData:
    slug: str
    seller: dict[str, Any]
    versions: list[SeedVersion]


def load_seed(slug: str, *, root: Traversable | None = None) -> SeedData:
    """The seed ``slug``, checked; ``root`` (a folder of seeds) defaults to this package.

    Raises :class:`ValueError` naming the file (and the clause) at fault.
    """
    if root is None:
        if slug not in SEED_SLUGS:
            raise ValueError(f"unknown seed {slug!r}; expected one of {', '.join(SEED_SLUGS)}")
        root = resources.files(__name__)
    folder = root / slug
    if not folder.is_dir():
        raise ValueError(f"unknown seed {slug!r}: no folder {slug}/")
    seller = _seller(slug, _read_json(folder, "seller.json", slug))
    names = sorted(
        entry.name
        for entry in folder.iterdir()
        if entry.name.startswith("cgv-") and entry.name.endswith(".json")
    )
    if not names:
        raise ValueError(f"{slug}/: no terms version (cgv-<label>.json)")
    versions = [_version(folder, slug, name) for name in names]
    labels = [v.label for v in versions]
    if len(set(labels)) != len(labels):
        raise ValueError(f"{slug}/: duplicate version labels {labels}")
    versions.sort(key=lambda v: v.effective_date)
    return SeedData(slug=slug, seller=seller, versions=versions)


def _read_json(folder: Traversable, name: str, slug: str) -> Any:
    entry = folder / name
    if not entry.is_file():
        raise ValueError(f"{slug}/{name}: missing")
    try:
        return json.loads(entry.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{slug}/{name}: invalid JSON: {exc}") from None


def _seller(slug: str, data: Any) -> dict[str, Any]:
    where = f"{slug}/seller.json"
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected a JSON object")
    for key in SELLER_REQUIRED:
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise ValueError(f"{where}: {key} is required")
    return data


def _version(folder: Traversable, slug: str, name: str) -> SeedVersion:
    where = f"{slug}/{name}"
    data = _read_json(folder, name, slug)
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected a JSON object")
    missing = [k for k in VERSION_KEYS if k not in data]
    unknown = sorted(set(data) - set(VERSION_KEYS))
    if missing or unknown:
        raise ValueError(f"{where}: missing keys {missing}, unknown keys {unknown}")
    label = data["label"]
    if name != f"cgv-{label}.json":
        raise ValueError(f"{where}: label {label!r} does not match the file name")
    try:
        effective = date.fromisoformat(data["effective_date"])
    except (TypeError, ValueError):
        raise ValueError(
            f"{where}: effective_date {data['effective_date']!r} is not an ISO date"
        ) from None
    text_entry = folder / str(data["text_file"])
    if not text_entry.is_file():
        raise ValueError(f"{where}: text file {data['text_file']!r} is missing")
    text = text_entry.read_text(encoding="utf-8")
    if not text.strip():
        raise ValueError(f"{where}: text file {data['text_file']!r} is empty")
    if not isinstance(data["clauses"], list) or not data["clauses"]:
        raise ValueError(f"{where}: clauses must be a non-empty list")
    seen: set[str] = set()
    clauses = []
    for position, clause in enumerate(data["clauses"]):
        clause_id = _clause(where, position, clause)
        if clause_id in seen:
            raise ValueError(f"{where}: clause {clause_id!r}: duplicate clause id")
        seen.add(clause_id)
        clauses.append(dict(clause))
    return SeedVersion(
        label=label, title=data["title"], effective_date=effective, text=text, clauses=clauses
    )


def _clause(where: str, position: int, clause: Any) -> str:
    if not isinstance(clause, dict):
        raise ValueError(f"{where}: clause #{position}: expected a JSON object")
    clause_id = clause.get("clause_id")
    name = f"clause {clause_id!r}" if clause_id else f"clause #{position}"
    missing = [k for k in CLAUSE_KEYS if k not in clause]
    unknown = sorted(set(clause) - set(CLAUSE_KEYS) - set(OPTIONAL_CLAUSE_KEYS))
    if missing or unknown:
        raise ValueError(f"{where}: {name}: missing keys {missing}, unknown keys {unknown}")
    for key in (*CLAUSE_KEYS[:-1], *(k for k in OPTIONAL_CLAUSE_KEYS if k in clause)):
        if not isinstance(clause[key], str) or not clause[key].strip():
            raise ValueError(f"{where}: {name}: {key} must be a non-empty string")
    try:
        validate_parameters(clause["kind"], clause["parameters"])
    except ClauseParametersError as exc:
        raise ValueError(f"{where}: {name}: {exc}") from None
    return clause_id
