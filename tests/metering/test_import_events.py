"""``clausier import-events``: a CSV or JSON Lines backfill in batches, each refused line
listed with its number, the rest stored once (a rerun stores nothing more)."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from clausier.metering.models import UsageEvent

pytestmark = pytest.mark.django_db


def run(path, *args):
    out, err = StringIO(), StringIO()
    try:
        call_command(
            "import_events", str(path), "--seller", "clever-cloud", *args, stdout=out, stderr=err
        )
    except CommandError as failed:
        return out.getvalue(), err.getvalue(), str(failed)
    return out.getvalue(), err.getvalue(), ""


def test_a_csv_file_with_a_bad_line_stores_the_others_and_names_the_line(
    tmp_path, subscription, requests_meter
):
    path = tmp_path / "usage.csv"
    path.write_text(
        "id,subscription,meter,timestamp,value,properties.region\n"
        f"e1,{subscription.pk},requests,2026-06-01T09:00:00Z,3,par\n"
        f"e2,{subscription.external_id},requests,2026-06-01T09:05:00Z,-4,par\n"
        f"e3,{subscription.pk},requests,2026-06-01T09:10:00Z,1.5,ams\n",
        encoding="utf-8",
    )

    out, err, failed = run(path, "--batch", "2", "--progress")

    assert "2 event(s) stored, 0 already stored, 1 refused" in out
    assert "line 3: value : négative, refusée par le compteur « requests »" in out
    assert failed == "1 line(s) refused, listed above; the others stored"
    assert err.rstrip().endswith("] 4/4")  # the progress bar reached the last line
    stored = {e.event_id: (e.value, e.properties) for e in UsageEvent.objects.all()}
    assert stored == {
        "e1": (Decimal("3"), {"region": "par"}),
        "e3": (Decimal("1.5"), {"region": "ams"}),
    }


def test_a_json_lines_file_rerun_stores_nothing_twice(tmp_path, subscription, requests_meter):
    path = tmp_path / "usage.jsonl"
    lines = [
        json.dumps(
            {
                "id": f"j{n}",
                "subscription": subscription.pk,
                "meter": "requests",
                "timestamp": "2026-06-01T09:00:00+02:00",
                "value": n,
            }
        )
        for n in range(5)
    ]
    path.write_text("\n".join([*lines[:2], "{not json", "", *lines[2:]]) + "\n", encoding="utf-8")

    out, _, failed = run(path)

    assert "5 event(s) stored, 0 already stored, 1 refused" in out
    assert "line 3: JSON illisible" in out
    assert failed
    again, _, _ = run(path)
    assert "0 event(s) stored, 5 already stored, 1 refused" in again
    assert UsageEvent.objects.count() == 5


def test_the_format_is_read_from_the_content_without_an_extension(
    tmp_path, subscription, requests_meter
):
    path = tmp_path / "usage"
    path.write_text(
        f"id,subscription,meter,timestamp\nc1,{subscription.pk},requests,2026-06-01T09:00:00Z\n"
        f"c2,{subscription.pk},requests,2026-06-01T09:00:00Z\n",
        encoding="utf-8",
    )

    out, _, failed = run(path)

    assert failed == "2 line(s) refused, listed above; the others stored"
    # No value: the sum meter refuses both lines, each named.
    assert "0 event(s) stored, 0 already stored, 2 refused" in out
    assert "line 2: value : un nombre" in out
    assert "line 3: value : un nombre" in out


def test_an_unknown_seller_or_file_is_refused(tmp_path, paas):
    with pytest.raises(CommandError, match="no such seller"):
        call_command("import_events", "x.csv", "--seller", "nobody")
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_events", str(tmp_path / "none.csv"), "--seller", "clever-cloud")
