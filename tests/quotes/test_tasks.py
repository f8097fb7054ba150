"""The expiry task: idempotent, resumable, and runnable through django.tasks."""

from __future__ import annotations

from datetime import date

import pytest
from django.tasks import TaskResultStatus

from clausier.audit.models import Event
from clausier.quotes.models import QuoteStatus
from clausier.quotes.tasks import expire_quotes
from tests.factories import make_client
from tests.factories.quotes import make_quote, paris, sent_quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def quotes(agency, bakery):
    return {
        "past": sent_quote(agency, bakery, valid_until=date(2026, 5, 31)),
        "last_day": sent_quote(agency, bakery, valid_until=date(2026, 6, 1)),
        "other_client": sent_quote(agency, make_client(agency), valid_until=date(2026, 5, 20)),
        "draft": make_quote(agency, bakery, valid_until=date(2026, 5, 10)),
    }


def statuses(quotes):
    for quote in quotes.values():
        quote.refresh_from_db()
    return {name: quote.status for name, quote in quotes.items()}


def test_expiry_expires_every_sent_quote_past_its_day_and_is_idempotent(quotes):
    now = paris(2026, 6, 1, 23, 0).isoformat()

    first = expire_quotes.call(now=now)
    events = Event.objects.filter(verb="quote.expired").count()
    second = expire_quotes.call(now=now)

    assert first == {"checked": 2, "expired": 2, "skipped": 0}
    assert second == {"checked": 0, "expired": 0, "skipped": 0}
    assert Event.objects.filter(verb="quote.expired").count() == events == 2
    assert statuses(quotes) == {
        "past": QuoteStatus.EXPIRED,
        "last_day": QuoteStatus.SENT,  # valid until midnight tonight
        "other_client": QuoteStatus.EXPIRED,
        "draft": QuoteStatus.DRAFT,
    }


def test_the_task_function_itself_can_be_called(quotes):
    assert expire_quotes.func(now=paris(2026, 6, 2, 0, 0).isoformat())["expired"] == 3


def test_expiry_resumes_after_a_partial_run(quotes):
    from clausier.quotes import services

    # A run that stopped after its first quote: the next run finishes the rest only.
    services.expire_quote(quote=quotes["other_client"], now=paris(2026, 6, 2))
    assert expire_quotes.call(now=paris(2026, 6, 2, 1).isoformat()) == {
        "checked": 2,
        "expired": 2,
        "skipped": 0,
    }


def test_expire_quote_leaves_a_quote_still_valid_or_closed_alone(quotes):
    from clausier.quotes import services

    assert not services.expire_quote(quote=quotes["last_day"], now=paris(2026, 6, 1, 23, 59))
    assert not services.expire_quote(quote=quotes["draft"], now=paris(2026, 7, 1))
    assert services.expire_quote(quote=quotes["last_day"], now=paris(2026, 6, 2, 0, 0))
    assert not services.expire_quote(quote=quotes["last_day"], now=paris(2026, 6, 2, 0, 0))


def test_the_task_runs_through_django_tasks(settings, quotes):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

    result = expire_quotes.enqueue(now=paris(2026, 6, 2, 0, 0).isoformat())

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"checked": 3, "expired": 3, "skipped": 0}
    assert statuses(quotes)["last_day"] == QuoteStatus.EXPIRED


@pytest.mark.tasks
def test_the_expiry_queued_for_the_worker_expires_the_quotes_once_worked(task_queue, quotes):
    expire_quotes.enqueue(now=paris(2026, 6, 2, 0, 0).isoformat())
    [queued] = task_queue.queued("clausier.quotes.tasks.expire_quotes")
    assert queued.kwargs == {"now": "2026-06-02T00:00:00+02:00"}
    assert statuses(quotes)["last_day"] == QuoteStatus.SENT  # waiting for the worker

    task_queue.work()

    assert statuses(quotes)["last_day"] == QuoteStatus.EXPIRED
    assert task_queue.queued("clausier.quotes.tasks.expire_quotes") == []


def test_the_expiry_command_reports_what_it_did(agency, bakery):
    from io import StringIO

    from django.core.management import call_command

    from tests.factories.quotes import sent_quote

    sent_quote(agency, bakery)  # valid until 31/05/2026
    out = StringIO()
    call_command("expire_quotes", now="2026-06-01T00:00:00+02:00", stdout=out)
    assert "1 expired" in out.getvalue()
    out = StringIO()
    call_command("expire_quotes", now="2026-06-01T00:00:00+02:00", stdout=out)
    assert "0 expired" in out.getvalue()


def test_the_expiry_command_refuses_a_naive_date():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="give the offset"):
        call_command("expire_quotes", now="2026-06-01T00:00:00")
