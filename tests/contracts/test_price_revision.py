"""Seed 002 art. 12b: the maintenance package "revu à la hausse à échéance" when the
infrastructure must grow. Proposing voids the tacit renewal of the term; accepted, the
contract renews with the new amounts (a new version); refused or unanswered at term, it ends
at the term through the termination's own sums.

Worked example: a yearly contract from 1 January 2026, term 31 December 2026, hosting
1 200,00 € HT per year; the new price 1 500,00 € HT proposed on 2 November 2026."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from clausier.audit.models import Event
from clausier.contracts import selectors, services, tasks
from clausier.contracts.models import Contract, PriceRevision
from clausier.kernel.errors import Conflict, DomainError
from clausier.sellers.domain import OWNER
from clausier.sellers.selectors import StaffScope
from tests.contracts.conftest import open_yearly
from tests.factories.quotes import paris

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_and_tasks")]

START = date(2026, 1, 1)
TERM_END = date(2026, 12, 31)
PROPOSED_AT = paris(2026, 11, 2, 10)


def _contract(agency, client, **kw):
    return open_yearly(agency, client, start_on=START, **kw)


def _propose(contract, amount="1500.00", *, now=PROPOSED_AT):
    line = contract.lines.get()
    return services.propose_price_revision(
        contract=contract,
        amounts={line.pk: amount},
        reason="traffic",
        reason_note="Trafic multiplié par quatre depuis mai",
        by=None,
        now=now,
    )


def test_a_proposal_voids_the_tacit_renewal_and_explains_the_new_price(agency, bakery):
    contract = _contract(agency, bakery)
    revision = _propose(contract)
    assert (revision.term_end, revision.status) == (TERM_END, "proposed")
    assert (revision.current_total_ht, revision.new_total_ht) == (
        Decimal("1200.00"),
        Decimal("1500.00"),
    )
    assert revision.lines[0]["current"] == "1200.00"
    assert revision.lines[0]["new"] == "1500.00"
    assert revision.explanation["law"] == "CGV v3.0 art. 12b, maintenance.price_revision"
    assert Event.objects.filter(verb="contract.price_revision_proposed").count() == 1
    # The renewals coming show it: this term will not renew silently.
    scope = StaffScope(user=None, seller=agency, role=OWNER)
    [shown] = selectors.renewals_coming(scope=scope, until=TERM_END)
    assert selectors.pending_revision_of(contract=shown) == revision


def test_accepted_the_contract_renews_with_the_new_amounts_as_a_new_version(
    agency, bakery, django_capture_on_commit_callbacks
):
    contract = _contract(agency, bakery)
    revision = _propose(contract)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_price_revision(
            revision=revision, accept=True, by=None, now=paris(2026, 11, 20, 9)
        )
    tasks.run_day(today=date(2027, 1, 1))
    contract.refresh_from_db()
    assert contract.status == "active"
    assert (contract.term_start, contract.term_end) == (date(2027, 1, 1), date(2027, 12, 31))
    assert contract.version == 2
    assert contract.lines.get().amount_ht == Decimal("1500.00")
    revision.refresh_from_db()
    # The former version's amounts stay on the revision.
    assert (revision.status, revision.version_before, revision.lines[0]["current"]) == (
        "accepted",
        1,
        "1200.00",
    )
    renewed = Event.objects.get(verb="contract.renewed_at_new_price")
    assert renewed.summary["after"]["version"] == 2
    assert renewed.summary["before"]["version"] == 1
    [ack] = mail.outbox
    assert "accepté" in ack.body
    assert "1\u202f500,00" in ack.body


def test_refused_the_contract_ends_at_term_with_the_terminations_sums(agency, bakery):
    # Hosting paid through 30 September only: the last quarter (92 of 365 days) is owed at
    # the term; the domain name, prepaid for the year, leaves nothing to refund at the term.
    contract = _contract(
        agency,
        bakery,
        lines=[
            {
                "kind": "hosting",
                "description": "Hébergement du site",
                "amount_ht": "1200.00",
                "paid_through": date(2026, 9, 30),
            },
            {
                "kind": "maintenance",
                "description": "Forfait de MCO",
                "amount_ht": "600.00",
                "paid_through": TERM_END,
            },
        ],
    )
    _hosting, mco = contract.lines.order_by("position")
    revision = services.propose_price_revision(
        contract=contract,
        amounts={mco.pk: "900.00"},
        reason="size",
        by=None,
        now=PROPOSED_AT,
    )
    services.answer_price_revision(
        revision=revision, accept=False, by=None, now=paris(2026, 11, 5, 9)
    )
    # Obligations run to the term: still running the day before it ends.
    tasks.run_day(today=TERM_END)
    contract.refresh_from_db()
    assert contract.status == "active"
    tasks.run_day(today=date(2027, 1, 1))
    contract.refresh_from_db()
    assert (contract.status, contract.end_reason, contract.ended_on) == (
        "terminated",
        "price_refused",
        TERM_END,
    )
    # 1200 x 92 / 365 = 302.465... -> 302.47 owed; the MCO paid to the term, no refund.
    assert contract.final_amount_ht == Decimal("302.47")
    assert contract.refund_amount_ht == Decimal("0.00")
    assert Event.objects.filter(verb="contract.terminated").count() == 1


def test_unanswered_at_term_the_revision_lapses_and_the_contract_ends(agency, bakery):
    contract = _contract(agency, bakery)
    revision = _propose(contract)
    tasks.run_day(today=date(2027, 1, 1))
    contract.refresh_from_db()
    revision.refresh_from_db()
    assert revision.status == "lapsed"
    assert (contract.status, contract.end_reason, contract.ended_on) == (
        "terminated",
        "price_not_accepted",
        TERM_END,
    )


def test_no_tacit_renewal_after_a_proposal_even_for_a_contract_that_would_renew(agency, bakery):
    renewed = _contract(agency, bakery, reference="C-RENEW")
    proposed = _contract(agency, bakery, reference="C-REV")
    _propose(proposed)
    tasks.run_day(today=date(2027, 1, 1))
    renewed.refresh_from_db()
    proposed.refresh_from_db()
    assert renewed.term_end == date(2027, 12, 31)
    assert renewed.status == "active"
    assert proposed.status == "terminated"
    assert proposed.term_end == TERM_END


def test_proposing_after_the_terms_end_is_refused_naming_the_term(agency, bakery):
    contract = _contract(agency, bakery)
    with pytest.raises(ValidationError) as error:
        _propose(contract, now=paris(2027, 1, 1, 9))
    assert "31/12/2026" in str(error.value)
    assert not PriceRevision.objects.exists()


def test_only_increases_and_one_proposal_per_term(agency, bakery):
    contract = _contract(agency, bakery)
    with pytest.raises(ValidationError) as error:
        _propose(contract, "1000.00")
    assert "hausse" in str(error.value)
    with pytest.raises(ValidationError):
        _propose(contract, "1200.00")
    _propose(contract)
    with pytest.raises(Conflict):
        _propose(contract, "1600.00")


def test_terms_without_the_clause_allow_no_revision(paas, paas_company):
    contract = open_yearly(paas, paas_company, start_on=START)
    with pytest.raises(DomainError) as error:
        _propose(contract)
    assert "révision" in str(error.value)


def test_an_answer_after_the_term_is_refused(agency, bakery):
    contract = _contract(agency, bakery)
    revision = _propose(contract)
    with pytest.raises(DomainError) as error:
        services.answer_price_revision(
            revision=revision, accept=True, by=None, now=paris(2027, 1, 1, 9)
        )
    assert "31/12/2026" in str(error.value)


def test_the_proposal_is_mailed_in_french_with_old_and_new_prices_and_the_link(
    agency, bakery, django_capture_on_commit_callbacks
):
    contract = _contract(agency, bakery)
    with django_capture_on_commit_callbacks(execute=True):
        revision = _propose(contract)
    [message] = mail.outbox
    assert "proposition de nouveau tarif" in message.subject
    assert "1\u202f200,00" in message.body
    assert "1\u202f500,00" in message.body
    assert "31 décembre 2026" in message.body
    assert f"/contracts/{contract.pk}/" in message.body
    revision.refresh_from_db()
    assert revision.message_id


def test_the_proposal_is_mailed_in_english_to_an_english_client(
    agency, django_capture_on_commit_callbacks
):
    from tests.factories import make_client

    client = make_client(agency, "company", name="Bakery Ltd", preferred_language="en")
    contract = _contract(agency, client)
    with django_capture_on_commit_callbacks(execute=True):
        revision = _propose(contract)
        services.answer_price_revision(
            revision=revision, accept=False, by=None, now=paris(2026, 11, 3, 9)
        )
    proposal, ack = mail.outbox
    assert "new price" in proposal.subject
    assert "Dec. 31, 2026" in proposal.body
    assert "€1,200.00" in proposal.body
    assert "€1,500.00" in proposal.body
    assert "refused" in ack.body
    assert Contract.objects.get().status == "active"


def test_a_proposal_comes_no_later_than_the_contracts_notice_deadline(agency, bakery):
    """A revision voids the renewal and may end the contract at the term: it must reach the
    client within art. 7's notice, by 30 November 2026 for a term on 31 December."""
    contract = _contract(agency, bakery)
    with pytest.raises(ValidationError) as error:
        _propose(contract, now=paris(2026, 12, 1, 9))
    assert "30/11/2026" in str(error.value)
    assert not PriceRevision.objects.exists()
    assert _propose(contract, now=paris(2026, 11, 30, 17)).status == "proposed"


def test_a_consumer_gets_no_renewal_information_for_a_term_whose_price_is_revised(
    agency, agency_consumer
):
    """C. conso. L215-1 informs of a tacit renewal; a proposal voids it (art. 12b), so the
    daily job sends no renewal letter for that term."""
    contract = _contract(agency, agency_consumer)
    _propose(contract, now=paris(2026, 9, 15, 10))
    assert not tasks.inform_if_due(Contract.objects.get(pk=contract.pk), today=date(2026, 10, 1))
    assert not contract.renewal_letters.exists()
