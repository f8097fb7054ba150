"""Seed 002 art. 11: with the recurring backup option, a restore of the site from a backup
is billed 79 € flat (clause ``hosting.restore_fee``); without the option, no restore."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from clausier.audit.models import Event
from clausier.contracts import services
from clausier.contracts.models import RestoreRequest
from clausier.invoicing.models import Invoice
from clausier.kernel.errors import DomainError, InvalidTransition
from clausier.terms import services as terms_services
from clausier.terms.selectors import current_version
from tests.contracts.conftest import HOSTING, open_yearly
from tests.factories import make_client
from tests.factories.invoicing import invoicing_agency
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db

BACKUP = {"kind": "backup", "description": "Option de sauvegarde quotidienne", "amount_ht": "120"}


@pytest.fixture
def agency(db):
    """The seed agency with its full identity: its invoices can be issued."""
    return invoicing_agency()


@pytest.fixture
def bakery(agency):
    return make_client(agency, kind="company", name="Boulangerie Martin SARL", siren="552081317")


def _contract(agency, bakery, lines=None, **kw):
    return open_yearly(
        agency,
        bakery,
        start_on=date(2026, 1, 1),
        lines=lines if lines is not None else [dict(HOSTING), dict(BACKUP)],
        **kw,
    )


def _ask(contract, **kw):
    return services.request_restore(
        contract=contract,
        backup_on=date(2026, 3, 9),
        note="Le site a été défiguré cette nuit",
        from_portal=kw.pop("from_portal", True),
        by=None,
        now=paris(2026, 3, 10, 9),
        **kw,
    )


def test_a_restore_done_is_billed_79_euros_from_the_clause(agency, bakery):
    request = _ask(_contract(agency, bakery))
    assert (request.status, request.amount_ht) == ("requested", Decimal("79.00"))
    assert (request.clause_id, request.terms_label) == ("hosting.restore_fee", "v3.0")
    assert not Invoice.objects.exists()

    services.finish_restore(request=request, by=None, now=paris(2026, 3, 10, 15))
    request.refresh_from_db()
    [invoice] = Invoice.objects.filter(client=bakery)
    assert request.status == "done"
    assert (request.invoice_id, request.invoice_number) == (invoice.pk, invoice.number)
    assert invoice.status == "issued"
    assert (invoice.total_ht, invoice.total_vat) == (Decimal("79.00"), Decimal("0.00"))
    [line] = invoice.lines.all()
    assert line.description.startswith("Restauration du site à partir d’une sauvegarde")
    assert "clause hosting.restore_fee" in line.description
    assert "CGV v3.0" in line.description
    verbs = list(Event.objects.filter(verb__startswith="contract.restore").values_list("verb"))
    assert sorted(v for (v,) in verbs) == [
        "contract.restore_done",
        "contract.restore_invoiced",
        "contract.restore_requested",
    ]


def test_the_invoice_follows_the_clause_of_the_contracts_terms(agency, bakery):
    draft = terms_services.create_draft_from(
        source=current_version(seller=agency),
        label="v3.1",
        effective_date=date(2026, 1, 1),
        by=None,
    )
    clause = draft.clauses.get(clause_id="hosting.restore_fee")
    terms_services.update_clause(
        clause=clause,
        fields={"parameters": {"amount": "95.50", "label": "Restauration de sauvegarde"}},
        by=None,
    )
    contract = services.open_contract(
        seller=agency,
        client=bakery,
        reference="C-2",
        start_on=date(2026, 1, 1),
        period_months=12,
        lines=[dict(HOSTING), dict(BACKUP)],
        terms_version=draft,
        by=None,
    )
    request = _ask(contract)
    services.finish_restore(request=request, by=None, now=paris(2026, 3, 10, 15))
    [invoice] = Invoice.objects.filter(client=bakery)
    assert invoice.total_ht == Decimal("95.50")
    [line] = invoice.lines.all()
    assert line.description.startswith("Restauration de sauvegarde du 09/03/2026")
    assert "CGV v3.1" in line.description


def test_without_the_backup_option_a_restore_is_refused_citing_article_11(agency, bakery):
    contract = _contract(agency, bakery, lines=[dict(HOSTING)])
    with pytest.raises(DomainError) as refused:
        _ask(contract)
    assert "option de sauvegarde" in str(refused.value)
    assert "art. 11" in str(refused.value)
    assert not RestoreRequest.objects.exists()


def test_a_refused_restore_is_not_billed_and_is_final(agency, bakery):
    request = _ask(_contract(agency, bakery), from_portal=False)
    with pytest.raises(ValidationError) as missing:
        services.refuse_restore(request=request, reason=" ", by=None)
    assert "reason" in missing.value.message_dict
    services.refuse_restore(request=request, reason="Aucune sauvegarde de ce jour", by=None)
    with pytest.raises(InvalidTransition):
        services.finish_restore(request=request, by=None)
    assert not Invoice.objects.exists()
    assert RestoreRequest.objects.get().refusal == "Aucune sauvegarde de ce jour"


def test_a_backup_date_in_the_future_is_refused(agency, bakery):
    with pytest.raises(ValidationError) as refused:
        services.request_restore(
            contract=_contract(agency, bakery),
            backup_on=date(2026, 3, 11),
            from_portal=True,
            by=None,
            now=paris(2026, 3, 10, 9),
        )
    assert "backup_on" in refused.value.message_dict
