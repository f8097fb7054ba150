"""Facts and reactions (kernel.events): when handlers run, what a failure does, and that the
real table wires every published fact to handlers of other domains."""

from __future__ import annotations

import ast
import logging
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import transaction

from clausier.audit.models import Event
from clausier.kernel import events
from clausier.reactions import REACTIONS
from tests.factories import make_seller
from tests.kernel.reactions_for_tests import Announced, HandlerRefusal, Noted, Refused

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "clausier"
TEST_TABLE = "tests.kernel.reactions_for_tests"


@pytest.fixture
def test_table(settings):
    settings.CLAUSIER_REACTIONS = TEST_TABLE


def verbs(seller) -> list[str]:
    """What the reactions wrote in the seller's trail (not the seller's own creation)."""
    written = Event.objects.filter(seller=seller, verb__in=["test.noted", "reaction.failed"])
    return list(written.order_by("id").values_list("verb", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_fact_is_refused_outside_a_transaction(test_table):
    seller = make_seller()
    with pytest.raises(RuntimeError, match=r"publish\(Noted\) outside a transaction"):
        events.publish(Noted(seller_id=seller.pk, text="x"))
    assert verbs(seller) == []


@pytest.mark.django_db(transaction=True)
def test_a_same_transaction_reaction_is_committed_with_the_publishers_change(test_table):
    seller = make_seller()
    with transaction.atomic():
        events.publish(Noted(seller_id=seller.pk, text="with the fact"))
    assert verbs(seller) == ["test.noted"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_same_transaction_reaction_rolls_the_whole_change_back(test_table):
    seller = make_seller()

    def change_then_publish():
        with transaction.atomic():
            seller.trade_name = "Renamed by the publisher"
            seller.save(update_fields=["trade_name"])
            events.publish(Refused(seller_id=seller.pk))

    with pytest.raises(HandlerRefusal, match="refused for seller"):
        change_then_publish()
    seller.refresh_from_db()
    assert seller.trade_name != "Renamed by the publisher"
    assert verbs(seller) == []  # the first handler's row went with it


@pytest.mark.django_db(transaction=True)
def test_after_commit_reactions_wait_for_the_commit_and_a_failure_is_logged_and_audited(
    test_table, caplog
):
    seller = make_seller()
    with caplog.at_level(logging.ERROR, logger="clausier.reactions"), transaction.atomic():
        seller.trade_name = "Committed anyway"
        seller.save(update_fields=["trade_name"])
        events.publish(Announced(seller_id=seller.pk, text="after"))
        assert verbs(seller) == []  # nothing ran yet
    seller.refresh_from_db()
    assert seller.trade_name == "Committed anyway"
    # The failing reaction did not stop the next one, nor undo the publisher's change.
    assert verbs(seller) == ["reaction.failed", "test.noted"]
    failure = Event.objects.get(seller=seller, verb="reaction.failed")
    assert failure.summary["after"]["fact"] == "Announced"
    assert failure.summary["after"]["reaction"].endswith("reactions_for_tests.fail_after_commit")
    assert "the mail server is down" in failure.summary["after"]["error"]
    assert "fail_after_commit failed on Announced" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_after_commit_reactions_never_run_when_the_publisher_rolls_back(test_table):
    seller = make_seller()

    def publish_then_fail():
        with transaction.atomic():
            events.publish(Announced(seller_id=seller.pk, text="never"))
            raise ValueError("a later step fails")

    with pytest.raises(ValueError, match="later"):
        publish_then_fail()
    assert verbs(seller) == []


def test_the_table_refuses_a_fact_that_is_not_frozen(settings, tmp_path, monkeypatch):
    module = tmp_path / "bad_reactions_table.py"
    module.write_text(
        "from dataclasses import dataclass\n"
        "from clausier.kernel.events import in_transaction\n"
        "@dataclass\nclass Loose:\n    x: int\n"
        "REACTIONS = {Loose: [in_transaction(print)]}\n"
        "on_failure = print\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    settings.CLAUSIER_REACTIONS = "bad_reactions_table"
    with pytest.raises(TypeError, match="the fact Loose must be frozen"):
        events.reactions_to(Noted)


def test_the_table_refuses_a_bare_function(settings, tmp_path, monkeypatch):
    module = tmp_path / "bare_reactions_table.py"
    module.write_text(
        "from dataclasses import dataclass\n"
        "@dataclass(frozen=True)\nclass Fact:\n    x: int\n"
        "REACTIONS = {Fact: [print]}\n"
        "on_failure = print\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    settings.CLAUSIER_REACTIONS = "bare_reactions_table"
    with pytest.raises(TypeError, match="neither in_transaction"):
        events.reactions_to(Noted)


def test_publish_takes_a_fact_not_anything():
    with pytest.raises(TypeError, match="not 'QuoteAccepted'"):
        events.publish("QuoteAccepted")


# --- the real table ---------------------------------------------------------------------------


def published_fact_types() -> set[tuple[str, str]]:
    """(domain, class name) of every dataclass in a ``<domain>/events.py``."""
    found = set()
    for path in PACKAGE.glob("*/events.py"):
        if path.parent.name == "kernel":
            continue  # the mechanism, not a domain
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                found.add((path.parent.name, node.name))
    return found


def test_every_published_fact_is_in_the_reactions_table():
    listed = {(fact.__module__.split(".")[1], fact.__name__) for fact in REACTIONS}
    assert published_fact_types() - listed == set()


def test_every_reaction_is_a_handler_of_another_domain_than_the_facts():
    wrong = []
    for fact, reactions in REACTIONS.items():
        publisher = fact.__module__.split(".")[1]
        for reaction in reactions:
            module = reaction.handler.__module__
            if not module.endswith(".handlers") or module.split(".")[1] == publisher:
                wrong.append((fact.__name__, reaction.name))
    assert wrong == []


def test_facts_are_frozen_dataclasses():
    @dataclass(frozen=True)
    class Example:
        x: int

    assert all(fact.__dataclass_params__.frozen for fact in REACTIONS)
    with pytest.raises(AttributeError):
        Example(1).x = 2  # type: ignore[misc]
