from __future__ import annotations

from datetime import UTC, datetime

from django.utils import timezone

from clausier.web.api import today_in_paris


def test_today_is_the_date_in_paris_not_utc(monkeypatch):
    # 23:30 UTC on 31 December is already 1 January in Paris (UTC+1 in winter).
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    assert today_in_paris().isoformat() == "2027-01-01"
