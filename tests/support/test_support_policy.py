"""The terms' service-level clauses read as the rules.sla policy: seed 000's parsed terms give
the seed's reading (art. 10.1.2, 10.1.3, 10.3), the exclusions of art. 9 come with them."""

import pytest

from clausier.rules.sla import SEED_POLICY
from clausier.support import selectors
from clausier.terms import selectors as terms_selectors

pytestmark = pytest.mark.django_db


def _plain(mapping):
    return {k: _plain(v) if hasattr(v, "items") else v for k, v in mapping.items()}


def test_seed_terms_give_the_seed_policy(paas):
    sla = selectors.sla_of(terms_selectors.current_version(seller=paas))
    assert sla["policy"] == _plain(SEED_POLICY.value)
    assert sla["penalty_rates"] == {"standard": "0.5", "critical": "0.75"}
    assert sla["hours"]["tz"] == "Europe/Paris"
    assert sla["hours"]["schedule"]["0"] == [["09:00", "18:00"]]
    assert "5" not in sla["hours"]["schedule"]
    assert sla["sources"]["standard"] == "art. 10.1.2, 10.1.4"
    assert sla["sources"]["critical"] == "art. 10.1.3, 10.1.4"


def test_seed_terms_list_the_nine_exclusions_of_article_9(paas):
    sla = selectors.sla_of(terms_selectors.current_version(seller=paas))
    assert len(sla["exclusions"]) == 9
    assert sla["exclusions"][6] == "défaillance des réseaux de communication électronique"
    assert sla["email_confirmation_required"] is True
    assert sla["excluded_handling"] == "billable_at_current_rate"


def test_terms_without_service_levels_promise_no_clock(seller, terms):
    sla = selectors.sla_of(terms)
    assert "policy" not in sla


def test_support_line_and_hours_from_the_terms(paas):
    version = terms_selectors.current_version(seller=paas)
    contacts = selectors.contacts_of(version=version)
    assert contacts.phone == "+33 805 696 312"
    assert contacts.outside_hours == "on_call"
