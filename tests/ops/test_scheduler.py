"""The periodic jobs: one table, each job enqueued once per slot of its period, whatever the
number of schedulers and however long none ran."""

import inspect
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.tasks import task
from django_tasks_db.models import DBTaskResult

from clausier.ops import scheduler
from clausier.ops.models import ScheduledRun
from clausier.ops.schedule import DAY, HOUR, MINUTE, MONTH, SCHEDULE, Job

pytestmark = pytest.mark.django_db


@task
def tidy() -> str:
    return "tidied"


EVERY_QUARTER = Job("tidy", tidy, every=15 * MINUTE)
NIGHTLY = Job("tidy_nightly", tidy, every=DAY, at=3 * HOUR + 30 * MINUTE)


def queued(job: Job) -> int:
    return DBTaskResult.objects.filter(task_path=job.task.module_path).count()


def test_a_slot_starts_at_its_period_from_midnight_utc_shifted_by_at():
    at = datetime(2026, 6, 1, 10, 7, 12, tzinfo=UTC)
    assert scheduler.slot_of(at, every=15 * MINUTE) == datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
    assert scheduler.slot_of(at, every=DAY, at=3 * HOUR + 30 * MINUTE) == datetime(
        2026, 6, 1, 3, 30, tzinfo=UTC
    )
    before = datetime(2026, 6, 1, 3, 29, tzinfo=UTC)
    assert scheduler.slot_of(before, every=DAY, at=3 * HOUR + 30 * MINUTE) == datetime(
        2026, 5, 31, 3, 30, tzinfo=UTC
    )


def test_a_monthly_slot_starts_on_the_first_of_the_month_shifted_by_at():
    def slot(*moment):
        return scheduler.slot_of(datetime(*moment, tzinfo=UTC), every=MONTH, at=2 * HOUR)

    assert slot(2026, 11, 1, 2, 0) == datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
    assert slot(2026, 11, 30, 23, 59) == datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
    # before 02:00 on the 1st: still the slot of the month before (and of the year before)
    assert slot(2026, 11, 1, 1, 59) == datetime(2026, 10, 1, 2, 0, tzinfo=UTC)
    assert slot(2027, 1, 1, 0, 0) == datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="28 days"):
        Job("late", tidy, every=MONTH, at=28 * DAY)


def test_a_monthly_job_is_enqueued_once_a_month():
    monthly = Job("tidy_monthly", tidy, every=MONTH, at=2 * HOUR)
    ticks = [
        datetime(2026, 10, 31, 23, 0, tzinfo=UTC),
        datetime(2026, 11, 1, 2, 0, tzinfo=UTC),
        datetime(2026, 11, 1, 2, 30, tzinfo=UTC),
        datetime(2026, 11, 17, 9, 0, tzinfo=UTC),
        datetime(2026, 12, 1, 2, 0, tzinfo=UTC),
    ]
    enqueued = [scheduler.tick(now=now, schedule=[monthly]) for now in ticks]

    assert enqueued == [["tidy_monthly"], ["tidy_monthly"], [], [], ["tidy_monthly"]]
    assert queued(monthly) == 3


def test_two_schedulers_ticking_over_the_same_slot_enqueue_the_job_once():
    first = datetime(2026, 6, 1, 10, 1, tzinfo=UTC)
    second = first + timedelta(minutes=3)  # the same quarter of an hour

    assert scheduler.tick(now=first, schedule=[EVERY_QUARTER]) == ["tidy"]
    assert scheduler.tick(now=second, schedule=[EVERY_QUARTER]) == []
    assert scheduler.tick(now=first, schedule=[EVERY_QUARTER]) == []

    assert queued(EVERY_QUARTER) == 1
    run = ScheduledRun.objects.get()
    assert (run.job, run.slot) == ("tidy", datetime(2026, 6, 1, 10, 0, tzinfo=UTC))
    assert run.task_id == str(DBTaskResult.objects.get().pk)


def test_the_run_key_is_unique_in_the_database():
    from django.db import IntegrityError, transaction

    slot = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
    ScheduledRun.objects.create(job="tidy", slot=slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScheduledRun.objects.create(job="tidy", slot=slot)


def test_a_slot_taken_by_another_scheduler_is_not_enqueued_again():
    # The other scheduler's key was written between this one's look and its insert.
    now = datetime(2026, 6, 1, 10, 1, tzinfo=UTC)
    ScheduledRun.objects.create(job="tidy", slot=datetime(2026, 6, 1, 10, 0, tzinfo=UTC))
    assert scheduler.tick(now=now, schedule=[EVERY_QUARTER]) == []
    assert queued(EVERY_QUARTER) == 0


def test_slots_missed_while_no_scheduler_ran_give_one_run_at_the_next_tick():
    monday = datetime(2026, 6, 1, 4, 0, tzinfo=UTC)
    assert scheduler.tick(now=monday, schedule=[NIGHTLY, EVERY_QUARTER]) == [
        "tidy_nightly",
        "tidy",
    ]
    # Down from Monday to Thursday noon: three nightly slots and hundreds of quarters passed.
    thursday = monday + timedelta(days=3, hours=8)
    assert scheduler.tick(now=thursday, schedule=[NIGHTLY, EVERY_QUARTER]) == [
        "tidy_nightly",
        "tidy",
    ]
    assert scheduler.tick(now=thursday + MINUTE, schedule=[NIGHTLY, EVERY_QUARTER]) == []
    assert ScheduledRun.objects.filter(job="tidy_nightly").count() == 2
    assert ScheduledRun.objects.filter(job="tidy").count() == 2
    assert DBTaskResult.objects.count() == 4


def test_old_run_keys_are_deleted_past_the_longest_period():
    now = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)
    ScheduledRun.objects.create(job="tidy", slot=now - timedelta(days=20))
    ScheduledRun.objects.create(job="tidy", slot=now - timedelta(days=2))
    scheduler.tick(now=now, schedule=[NIGHTLY, EVERY_QUARTER])
    assert sorted(r.slot for r in ScheduledRun.objects.filter(job="tidy")) == [
        now - timedelta(days=2),
        datetime(2026, 6, 30, 12, 0, tzinfo=UTC),
    ]


def test_the_table_holds_the_periodic_jobs_each_runnable_without_arguments():
    names = [job.name for job in SCHEDULE]
    assert len(names) == len(set(names))
    assert set(names) == {
        "expire_quotes",
        "deliver_webhooks",
        "send_invoices",
        "issue_waiting_invoices",
        "verify_ledger",
        "purge_idempotency_keys",
        "queue_dunning",
        "accrue_penalties",
        "accelerate_late_invoices",
        "bill_usage",
        "warn_low_balances",
        "warn_sla",
        "page_on_call",
        "contracts_day",
        "retry_saved_card_charges",
    }
    for job in SCHEDULE:
        parameters = inspect.signature(job.task.func).parameters.values()
        assert all(p.default is not p.empty for p in parameters), job.name


def test_the_scheduler_command_enqueues_every_job_once(capsys):
    call_command("scheduler", "--once")
    assert ScheduledRun.objects.count() == len(SCHEDULE)
    assert DBTaskResult.objects.count() == len(SCHEDULE)
    call_command("scheduler", "--once")
    assert DBTaskResult.objects.count() == len(SCHEDULE)
    assert "nothing to enqueue" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)  # the worker checks its connection between tasks
def test_the_queued_jobs_run_in_the_worker():
    call_command("scheduler", "--once")
    call_command("db_worker", "--batch", "--no-startup-delay")
    results = DBTaskResult.objects.all()
    assert {r.status for r in results} == {"SUCCESSFUL"}, [
        (r.task_path, r.traceback) for r in results if r.status != "SUCCESSFUL"
    ]


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_the_same_instant_enqueue_the_job_once():
    now = datetime(2026, 6, 1, 10, 1, tzinfo=UTC)
    start = threading.Barrier(4)
    answers: list[list[str]] = []

    def one_scheduler() -> None:
        try:
            start.wait(timeout=30)
            answers.append(scheduler.tick(now=now, schedule=[EVERY_QUARTER]))
        finally:
            connection.close()

    threads = [threading.Thread(target=one_scheduler) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == [[], [], [], ["tidy"]]
    assert queued(EVERY_QUARTER) == 1
