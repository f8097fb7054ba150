"""The platform screen of the legal rates (superusers) and the back-office banner naming a
semester whose rate is not entered yet."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from clausier.audit.models import Event
from clausier.legal import selectors
from clausier.legal.domain import Period
from clausier.legal.models import LegalRate
from tests.factories import make_seller, make_staff, make_user
from tests.factories.legal import add_fictitious_rate

pytestmark = pytest.mark.django_db

URL = "/backoffice/platform/legal-rates/"
JOURNAL = "JORF fictif n° 0000 du 1er janvier 2099, texte n° 0"
BANNER = "Le taux d'intérêt légal du 2d semestre 2026 n'est pas encore saisi."


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def on(monkeypatch):
    """Pretend today is ``day`` (noon in Paris)."""

    def travel(day: date) -> None:
        at = datetime(day.year, day.month, day.day, 11, tzinfo=UTC)
        monkeypatch.setattr(timezone, "now", lambda: at)

    return travel


@pytest.fixture
def seller():
    return make_seller("atelier")


@pytest.fixture
def superuser(client):
    user = make_user("plateforme", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def form(**overrides):
    return {
        "period": "2026-S2",
        "professional": "9,99",
        "consumer": "19,99",
        "decree_date": "2099-01-01",
        "journal_reference": JOURNAL,
    } | overrides


# --- the banner ------------------------------------------------------------------------------


def test_every_staff_page_names_the_semester_not_entered(client, seller, on):
    on(date(2026, 12, 6))
    client.force_login(make_staff(seller, "accountant"))
    page = client.get(reverse("backoffice:clients", args=[seller.slug])).content.decode()
    assert BANNER in page
    assert "Demandez à l'administrateur de la plateforme de le saisir" in page
    assert URL not in page


def test_a_superuser_gets_the_link_to_enter_it(client, seller, superuser, on):
    on(date(2026, 12, 6))
    page = client.get(URL).content.decode()
    assert BANNER in page
    assert f'href="{URL}"' in page


def test_the_banner_goes_once_the_rate_is_entered(client, seller, on):
    on(date(2026, 12, 6))
    staff = make_staff(seller)
    client.force_login(staff)
    home = reverse("backoffice:home", args=[seller.slug])
    assert BANNER in client.get(home).content.decode()
    add_fictitious_rate("2026-S2")
    assert "n'est pas encore saisi" not in client.get(home).content.decode()
    on(date(2027, 1, 4))
    client.force_login(staff)
    assert "du 1er semestre 2027 n'est pas encore saisi" in client.get(home).content.decode()


def test_no_banner_while_the_shipped_table_covers_today(client, seller, on):
    on(date(2026, 5, 22))
    client.force_login(make_staff(seller))
    page = client.get(reverse("backoffice:home", args=[seller.slug])).content.decode()
    assert "pas encore saisi" not in page


def test_the_banner_costs_one_query_cached_and_none_within_the_shipped_table(
    django_assert_num_queries,
):
    with django_assert_num_queries(0):
        assert selectors.missing_period(on=date(2026, 5, 22)) is None
    with django_assert_num_queries(1):
        assert selectors.missing_period(on=date(2026, 12, 6)) == Period(2026, 2)
    with django_assert_num_queries(0):
        assert selectors.missing_period(on=date(2026, 12, 7)) == Period(2026, 2)


def test_the_banner_speaks_the_pages_language(client, seller, on):
    on(date(2026, 12, 6))
    client.force_login(make_staff(seller))
    page = client.get("/en" + reverse("backoffice:home", args=[seller.slug])).content.decode()
    assert "The legal interest rate for the 2nd half of 2026 has not been entered yet." in page


# --- the platform screen ---------------------------------------------------------------------


def test_the_screen_lists_every_semester_with_its_rates_and_source(client, superuser, on):
    on(date(2026, 12, 6))
    add_fictitious_rate("2026-S2", decree_date="2099-01-01", journal_reference=JOURNAL)
    page = client.get(URL).content.decode()
    for text in (
        "2d semestre 2026",
        "9,99 %",
        "19,99 %",
        "01/01/2099",
        "JORF fictif n° 0000",
        "1er semestre 2026",
        "2,62 %",
        "6,67 %",
        "livré avec clausier",
        "2013",
    ):
        assert text in page, text


def test_a_superuser_adds_a_semester_with_its_source(client, superuser, on):
    on(date(2026, 12, 6))
    assert 'value="2026-S2"' in client.get(URL).content.decode()  # the one missing
    response = client.post(URL, form())
    assert response.status_code == 302
    row = LegalRate.objects.get()
    assert (str(row.professional), str(row.consumer), row.decree_date) == (
        "9.99",
        "19.99",
        date(2099, 1, 1),
    )
    assert row.source.startswith("Arrêté du 01/01/2099 relatif à la fixation du taux")
    assert Event.objects.get(verb="legal_rate.recorded").actor == superuser
    page = client.get(response.url).content.decode()
    assert "Taux du 2d semestre 2026 enregistré." in page
    assert "pas encore saisi" not in page


@pytest.mark.parametrize(
    ("values", "field", "says"),
    [
        ({"period": "2026-S1"}, "period", "déjà au tableau"),
        ({"period": "2027-S1"}, "period", "saisissez d&#x27;abord la période qui suit"),
        ({"professional": "26,2"}, "professional", "entre 0 et 20"),
        ({"consumer": ""}, "consumer", ""),
        ({"journal_reference": ""}, "journal_reference", ""),
        ({"decree_date": "hier"}, "decree_date", ""),
    ],
)
def test_the_form_refuses_naming_the_field(client, superuser, values, field, says):
    response = client.post(URL, form(**values))
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert says in page
    assert not LegalRate.objects.exists()
