"""The ECB refinancing rate table is staff-editable like the legal rate table: superusers
add the semesters after the shipped CSV (the seed data) with their source, in the Django
admin through the service; the late-penalty rate of an ECB clause reads them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from clausier.audit.models import Event
from clausier.legal import selectors, services
from clausier.legal.models import EcbRate
from clausier.rules.ecb import EcbRateTable, default_late_rate
from clausier.rules.errors import MissingRateError
from tests.factories import make_user

pytestmark = pytest.mark.django_db

URL = "/admin/legal/ecbrate/"
# A fictitious decision: the figures are the test's, not the ECB's.
SOURCE = "BCE, taux au 1er juillet 2026 (décision fictive des tests)"
SHIPPED_END = EcbRateTable.default().periods[-1].end


def next_semester():
    """The semester after the shipped table: (year, semester, its first day)."""
    if SHIPPED_END.month == 12:
        return SHIPPED_END.year + 1, 1, date(SHIPPED_END.year + 1, 1, 1)
    return SHIPPED_END.year, 2, date(SHIPPED_END.year, 7, 1)


def test_a_semester_added_extends_the_table_and_the_default_late_rate():
    year, semester, first = next_semester()
    with pytest.raises(MissingRateError):
        selectors.ecb_rate_table().period_on(first)

    services.record_ecb_rate(year=year, semester=semester, rate="1,90", source=SOURCE, by=None)

    period = selectors.ecb_rate_table().period_on(first)
    assert (period.rate, period.source) == (Decimal("0.019"), SOURCE)
    rate = default_late_rate(on=first, table=selectors.ecb_rate_table())
    assert rate.value == Decimal("0.119")
    assert any(SOURCE in str(step.label) for step in rate.steps)
    assert Event.objects.get(verb="ecb_rate.recorded").summary["after"]["rate"] == "1.90"
    # Corrected: audited with before and after; the same figures again write nothing.
    services.record_ecb_rate(year=year, semester=semester, rate="1.95", source=SOURCE, by=None)
    services.record_ecb_rate(year=year, semester=semester, rate="1.95", source=SOURCE, by=None)
    corrected = Event.objects.get(verb="ecb_rate.corrected")
    assert corrected.summary["before"]["rate"] == "1.90"
    assert EcbRate.objects.get().rate == Decimal("1.95")


def test_refusals_name_their_field():
    year, semester, _first = next_semester()
    cases = [
        ({"semester": 3}, "semester"),
        ({"rate": "25"}, "rate"),
        ({"rate": "1.999"}, "rate"),
        ({"source": "  "}, "source"),
        # A hole: the semester after the next one first.
        ({"year": year + 1}, "semester"),
        # The shipped table is the seed data: never entered again.
        ({"year": SHIPPED_END.year, "semester": 1}, "semester"),
    ]
    for change, field in cases:
        entry = {"year": year, "semester": semester, "rate": "1.90", "source": SOURCE} | change
        with pytest.raises(ValidationError) as refused:
            services.record_ecb_rate(**entry, by=None)
        assert field in refused.value.message_dict, change
    assert not EcbRate.objects.exists()


def test_a_superuser_adds_the_next_semester_in_the_admin(client):
    user = make_user("superviseur", is_staff=True, is_superuser=True)
    client.force_login(user)
    year, semester, first = next_semester()
    entry = {"year": str(year), "semester": str(semester), "rate": "1.90", "source": SOURCE}

    refused = client.post(f"{URL}add/", entry | {"source": ""})
    done = client.post(f"{URL}add/", entry)

    assert refused.status_code == 200
    assert done.status_code == 302
    row = EcbRate.objects.get()
    assert (row.rate, row.recorded_by) == (Decimal("1.90"), user)
    assert f"{year} S{semester}" in client.get(URL).content.decode()
    assert selectors.ecb_rate_table().period_on(first).rate == Decimal("0.019")


def test_staff_without_superuser_cannot_reach_it(client):
    client.force_login(make_user("equipe", is_staff=True))
    assert client.get(URL).status_code in (302, 403)
