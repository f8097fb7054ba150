"""The one way documents find a clause of a kind and freeze it."""

from types import SimpleNamespace

import pytest

from clausier.terms import domain, schemas, selectors, services
from clausier.terms.seeds import SEED_SLUGS, load_seed
from tests.factories import make_published_terms, make_seller


def test_a_clause_snapshot_copies_what_the_document_shows_and_names_the_terms():
    clause = SimpleNamespace(
        clause_id="payment.due",
        kind="payment.due",
        article="art. 5",
        title="Échéance",
        excerpt="payables à 30 jours",
        ordered_parameters={"n": 30, "unit": "jours_calendaires", "from": "invoice_date"},
    )
    snapshot = domain.clause_snapshot(clause=clause, version=SimpleNamespace(label="v3.0"))
    assert snapshot == {
        "clause": "payment.due",
        "kind": "payment.due",
        "article": "art. 5",
        "title": "Échéance",
        "excerpt": "payables à 30 jours",
        "parameters": {"n": 30, "unit": "jours_calendaires", "from": "invoice_date"},
        "terms": "v3.0",
    }


@pytest.mark.django_db
def test_clause_of_kind_is_the_first_clause_of_that_kind_or_none():
    seller = make_seller()
    published = make_published_terms(seller)
    draft = services.create_draft(
        seller=seller, label="v2", effective_date=published.effective_date, text="# v2", by=None
    )
    for clause_id, article in (("payment.due.b", "art. 9"), ("payment.due.a", "art. 2")):
        services.add_clause(
            version=draft,
            fields={
                "clause_id": clause_id,
                "kind": "payment.due",
                "article": article,
                "title": "Échéance",
                "excerpt": "…",
                "parameters": {"n": 30, "unit": "jours_calendaires", "from": "invoice_date"},
            },
            by=None,
        )
    first = selectors.clause_of_kind(version=draft, kind="payment.due")
    assert first is not None
    assert first.clause_id == "payment.due.b"
    assert selectors.clause_of_kind(version=draft, kind="payment.deposit") is None


def test_there_is_one_clause_kind_per_parameter_schema():
    assert set(schemas.ClauseKind) == set(schemas.SCHEMAS)
    assert tuple(schemas.ClauseKind) == schemas.KINDS
    assert schemas.ClauseKind.PAYMENT_DUE == "payment.due"


def test_every_seed_clause_is_of_a_known_kind():
    kinds = {
        clause["kind"]
        for slug in SEED_SLUGS
        for version in load_seed(slug).versions
        for clause in version.clauses
    }
    assert kinds <= set(schemas.ClauseKind)


def test_a_kind_given_as_a_member_reads_as_its_value_in_errors():
    with pytest.raises(schemas.ClauseParametersError, match=r"kind 'payment\.due' are invalid"):
        schemas.validate_parameters(schemas.ClauseKind.PAYMENT_DUE, {"n": "x"})


@pytest.mark.parametrize("start", ["invoice_date", "invoice_issue", "service_date", "execution"])
def test_a_payment_term_counts_from_the_invoice_date_or_the_execution_of_the_service(start):
    parameters = {"n": 30, "unit": "jours_calendaires", "from": start}
    assert schemas.validate_parameters("payment.due", parameters) == parameters


def test_a_payment_term_from_another_event_is_refused_naming_the_field():
    with pytest.raises(schemas.ClauseParametersError) as refused:
        schemas.validate_parameters(
            "payment.due", {"n": 30, "unit": "jours_calendaires", "from": "delivery"}
        )
    assert "service_date" in refused.value.errors["parameters.from"]
