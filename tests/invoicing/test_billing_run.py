"""The billing run (`services.issue_invoices`, `clausier issue_invoices`): many drafts of one
seller issued by chunks, numbered without gap, chained, audited, each document the same as a
one-by-one issue would give."""

from __future__ import annotations

import multiprocessing
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from clausier.audit.models import Event
from clausier.invoicing import billing, services
from clausier.invoicing.models import Invoice, InvoiceStatus
from clausier.kernel.processes import django_pool
from clausier.numbering.models import Counter
from tests.factories import make_client, make_draft_invoice, make_published_terms, make_seller
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db

DAY = paris(2026, 5, 22, 10)


def verify_ledger() -> str:
    out = StringIO()
    call_command("verify_ledger", stdout=out)
    return out.getvalue().strip()


def test_a_billing_run_numbers_chains_and_audits_every_draft(shop, shopper):
    drafts = [make_draft_invoice(shop, shopper, now=DAY) for _ in range(7)]

    run = services.issue_invoices(invoices=drafts, by=None, now=DAY, chunk=3)

    assert run.blocked == []
    issued = list(Invoice.objects.filter(status=InvoiceStatus.ISSUED).order_by("sequence"))
    assert [i.pk for i in issued] == [d.pk for d in drafts]
    assert [i.number for i in issued] == [f"F2026-{n:06d}" for n in range(1, 8)]
    assert all(i.xml and i.xml_sha256 and i.email_status == "queued" for i in issued)
    assert Counter.objects.get(seller=shop, series="invoice").last_number == 7
    assert verify_ledger() == "OK      boutique invoice 2026: 7 document(s), chaîne intacte"
    events = Event.objects.filter(verb="invoice.issued").order_by("id")
    assert [e.summary["after"]["number"] for e in events] == [i.number for i in issued]


def test_a_run_reads_each_clients_terms_and_contacts_once_not_once_per_chunk(shop, shopper):
    drafts = [make_draft_invoice(shop, shopper, now=DAY) for _ in range(6)]

    with CaptureQueriesContext(connection) as queries:
        run = services.issue_invoices(invoices=drafts, by=None, now=DAY, chunk=2)

    assert len(run.issued) == 6
    tables = [q["sql"].split(" FROM ", 1)[1].split()[0] for q in queries if " FROM " in q["sql"]]
    # Three chunks, one client: its billing contacts and its acceptances of terms read once.
    assert tables.count('"customers_contact"') == 1
    assert tables.count('"terms_acceptance"') == 1
    assert shopper.email
    assert all(i.email_to == [shopper.email] for i in run.issued)


def test_a_failing_draft_keeps_no_number_and_the_next_ones_have_no_gap(shop, shopper):
    incomplete = make_client(shop, kind="company", siren="")  # a professional needs a SIREN
    drafts = [
        make_draft_invoice(shop, shopper, now=DAY),
        make_draft_invoice(shop, incomplete, now=DAY),
        make_draft_invoice(shop, shopper, now=DAY),
    ]

    run = services.issue_invoices(invoices=drafts, by=None, now=DAY)

    assert [i.number for i in run.issued] == ["F2026-000001", "F2026-000002"]
    [waiting] = run.blocked
    assert waiting.pk == drafts[1].pk
    assert waiting.status == InvoiceStatus.DRAFT
    assert waiting.number is None
    assert "SIREN du client professionnel" in waiting.issue_blocked_reason
    assert Event.objects.filter(verb="invoice.issue_deferred", object_id=str(waiting.pk)).exists()
    assert verify_ledger() == "OK      boutique invoice 2026: 2 document(s), chaîne intacte"

    # Run again with nothing changed: nothing is written.
    events = Event.objects.count()
    again = services.issue_invoices(invoices=drafts, by=None, now=DAY)
    assert again.issued == []
    assert [d.pk for d in again.blocked] == [drafts[1].pk]
    assert Event.objects.count() == events


def test_the_document_is_the_one_a_single_issue_gives(shop, shopper):
    draft = make_draft_invoice(shop, shopper, now=DAY)
    expected = []

    def issue_then_roll_back():
        with transaction.atomic():
            single = services.issue_invoice(invoice=draft, by=None, now=DAY)
            expected.extend([single.number, single.snapshot, single.content_hash])
            expected.append(single.chain_hash)
            raise RuntimeError("roll the single issue back: the number is given back")

    with pytest.raises(RuntimeError, match="roll the single issue back"):
        issue_then_roll_back()

    [batched] = services.issue_invoices(invoices=[draft], by=None, now=DAY).issued
    batched.refresh_from_db()
    assert [batched.number, batched.snapshot, batched.content_hash, batched.chain_hash] == (
        expected
    )


def test_single_issues_and_a_billing_run_share_one_series(shop, shopper):
    first = services.issue_invoice(
        invoice=make_draft_invoice(shop, shopper, now=DAY), by=None, now=DAY
    )
    run = services.issue_invoices(
        invoices=[make_draft_invoice(shop, shopper, now=DAY) for _ in range(2)], by=None, now=DAY
    )
    last = services.issue_invoice(
        invoice=make_draft_invoice(shop, shopper, now=DAY), by=None, now=DAY
    )
    assert [first.number, *(i.number for i in run.issued), last.number] == [
        f"F2026-{n:06d}" for n in range(1, 5)
    ]
    assert verify_ledger() == "OK      boutique invoice 2026: 4 document(s), chaîne intacte"


def test_the_command_issues_the_drafts_of_a_seller_and_resumes(shop, shopper):
    for _ in range(3):
        make_draft_invoice(shop, shopper, now=DAY)
    out, err = StringIO(), StringIO()
    call_command("issue_invoices", "--seller", "boutique", "--progress", stdout=out, stderr=err)
    assert "3 émise(s) : " in out.getvalue()
    assert "[##############################] 3/3" in err.getvalue()
    assert Invoice.objects.filter(status=InvoiceStatus.ISSUED).count() == 3

    out = StringIO()
    call_command("issue_invoices", "--seller", "boutique", stdout=out)
    assert out.getvalue().strip() == "Aucun brouillon à émettre."


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--workers=0", "--workers=0: at least 1 process"),
        ("--chunk=0", "--chunk=0: at least 1 draft per transaction"),
    ],
)
def test_the_command_refuses_nonsense_options(shop, shopper, option, message):
    make_draft_invoice(shop, shopper, now=DAY)
    with pytest.raises(CommandError, match=message):
        call_command("issue_invoices", "--seller", "boutique", option)
    assert not Invoice.objects.filter(status=InvoiceStatus.ISSUED).exists()


@pytest.mark.sqlite
def test_several_workers_on_sqlite_are_refused_before_anything_is_issued(shop, shopper):
    make_draft_invoice(shop, shopper, now=DAY)
    with pytest.raises(CommandError, match="one writer at a time"):
        call_command("issue_invoices", "--seller", "boutique", "--workers", "2")
    assert not Invoice.objects.filter(status=InvoiceStatus.ISSUED).exists()


# --- PostgreSQL: a billing run and single issues at once ---------------------------------------


def charge_and_consumer():
    """A VAT-charging seller with published terms and a consumer client, committed (for the
    tests whose processes read them)."""
    seller = make_seller("charge", vat_number="FR87524172699")
    make_published_terms(seller)
    return seller, make_client(seller, kind="consumer")


PROCESSES = 4
SINGLES = 60
BATCHED = 240


def _single(ids: list[int], barrier, results) -> None:
    barrier.wait()
    for pk in ids:
        services.issue_invoice(invoice=Invoice(pk=pk), by=None, now=DAY)
    connections.close_all()
    results.put(len(ids))


def _batch(ids: list[int], barrier, results) -> None:
    barrier.wait()
    run = services.issue_invoices(
        invoices=[Invoice(pk=pk) for pk in ids], by=None, now=DAY, chunk=40
    )
    connections.close_all()
    results.put(len(run.issued))


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_billing_run_and_single_issues_at_once_never_share_or_skip_a_number():
    seller, client = charge_and_consumer()
    ids = [make_draft_invoice(seller, client, now=DAY).pk for _ in range(SINGLES + BATCHED)]
    singles, batched = ids[:SINGLES], ids[SINGLES:]

    # New processes, not forks of this one (which may run threads by now): each sets Django
    # up on the test database. Every task waits at the barrier, so each has its own process.
    with django_pool(PROCESSES) as pool, multiprocessing.get_context("spawn").Manager() as sync:
        barrier, results = sync.Barrier(PROCESSES), sync.Queue()
        workers = [
            pool.apply_async(_batch, (batched[: BATCHED // 2], barrier, results)),
            pool.apply_async(_batch, (batched[BATCHED // 2 :], barrier, results)),
            *(
                pool.apply_async(_single, (singles[n::2], barrier, results))
                for n in range(PROCESSES - 2)
            ),
        ]
        done = sum(results.get(timeout=180) for _ in workers)
        for worker in workers:
            worker.get(timeout=30)  # raises what the process raised

    total = SINGLES + BATCHED
    assert done == total
    issued = Invoice.objects.filter(status=InvoiceStatus.ISSUED)
    assert sorted(issued.values_list("sequence", flat=True)) == list(range(1, total + 1))
    assert Counter.objects.get(series="invoice").last_number == total
    assert verify_ledger() == f"OK      charge invoice 2026: {total} document(s), chaîne intacte"


def test_a_billing_run_prints_and_emails_each_document_after_the_commit(
    shop, shopper, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    drafts = [make_draft_invoice(shop, shopper, now=DAY) for _ in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        services.issue_invoices(invoices=drafts, by=None, now=DAY)
        assert smtp_server.inbox.messages == []  # nothing leaves before the commit

    issued = list(Invoice.objects.filter(status=InvoiceStatus.ISSUED).order_by("sequence"))
    assert all(i.pdf and i.pdf_sha256 and i.email_status == "sent" for i in issued)
    subjects = sorted(m.message["Subject"] for m in smtp_server.inbox.messages)
    assert [s.split(" ")[1] for s in subjects] == [i.number for i in issued]


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_billing_run_in_two_processes_numbers_every_draft_once_without_gap():
    seller, client = charge_and_consumer()
    incomplete = make_client(seller, kind="company", siren="")  # a professional needs a SIREN
    drafts = [make_draft_invoice(seller, client, now=DAY) for _ in range(57)]
    waiting = make_draft_invoice(seller, incomplete, now=DAY)
    drafts.insert(20, waiting)
    steps = []

    run = billing.issue_invoices(
        invoices=drafts,
        by=None,
        now=DAY,
        chunk=10,
        workers=2,
        progress=lambda done, total: steps.append((done, total)),
    )

    assert [i.sequence for i in run.issued] == list(range(1, 58))
    assert [i.pk for i in run.blocked] == [waiting.pk]
    assert "SIREN" in run.blocked[0].issue_blocked_reason
    assert sorted(i.pk for i in run.issued) == sorted(d.pk for d in drafts if d != waiting)
    assert steps[-1] == (58, 58)
    # Chunks of at most 10, and 4 a worker to keep both busy: 8 chunks of 8 drafts (2 last).
    assert [done for done, _ in steps] == [8, 16, 24, 32, 40, 48, 56, 58]
    assert Counter.objects.get(series="invoice").last_number == 57
    assert verify_ledger() == "OK      charge invoice 2026: 57 document(s), chaîne intacte"
    # Each document is the one a single issue gives: the number is in its XML and snapshot.
    for invoice in run.issued[:3] + run.issued[-3:]:
        assert invoice.snapshot["number"] == invoice.number
        assert f"<ram:ID>{invoice.number}</ram:ID>".encode() in invoice.xml.read()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_command_with_workers_issues_everything_and_resumes():
    seller, client = charge_and_consumer()
    for _ in range(25):
        make_draft_invoice(seller, client, now=DAY)
    out, err = StringIO(), StringIO()

    call_command(
        "issue_invoices",
        "--seller",
        "charge",
        "--workers",
        "2",
        "--chunk",
        "5",
        "--progress",
        stdout=out,
        stderr=err,
    )

    assert "25 émise(s), 0 en attente" in out.getvalue()
    assert "[##############################] 25/25" in err.getvalue()
    assert Invoice.objects.filter(status=InvoiceStatus.ISSUED).count() == 25
    assert verify_ledger() == "OK      charge invoice 2026: 25 document(s), chaîne intacte"
    out = StringIO()
    call_command("issue_invoices", "--seller", "charge", "--workers", "2", stdout=out)
    assert out.getvalue().strip() == "Aucun brouillon à émettre."
