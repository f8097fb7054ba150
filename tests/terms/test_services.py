from datetime import date

import pytest
from django.core.exceptions import ValidationError

from clausier.audit.models import Event
from clausier.kernel.errors import InvalidTransition
from clausier.terms import services
from clausier.terms.models import Acceptance, TermsStatus
from clausier.terms.services import TermsImmutable
from tests.factories import make_client, make_contact, make_published_terms, make_seller, make_staff

pytestmark = pytest.mark.django_db

PAYMENT_DUE = {
    "clause_id": "payment.due",
    "kind": "payment.due",
    "article": "art. 5",
    "title": "Échéance",
    "excerpt": "payables 14 jours ouvrés après la date de facture",
    "parameters": {"n": 14, "unit": "jours_ouvres", "from": "invoice_date"},
}


def draft(seller, label="v2", text="# CGV v2\n"):
    return services.create_draft(
        seller=seller, label=label, effective_date=date(2026, 12, 1), text=text, by=None
    )


def test_publishing_supersedes_the_previous_version_and_records_the_text_hash():
    seller = make_seller()
    v1 = make_published_terms(seller, "v1")
    v2 = draft(seller)
    services.add_clause(version=v2, fields=PAYMENT_DUE, by=None)
    services.publish_version(version=v2, by=None)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (TermsStatus.SUPERSEDED, TermsStatus.PUBLISHED)
    assert v2.text_sha256 == services.text_hash(text="# CGV v2\n")
    verbs = set(Event.objects.filter(seller=seller).values_list("verb", flat=True))
    assert {"terms.published", "terms.superseded", "terms.clause_added"} <= verbs


@pytest.mark.parametrize(
    "write",
    [
        lambda v: services.update_draft(version=v, fields={"text": "changed"}, by=None),
        lambda v: services.add_clause(version=v, fields=PAYMENT_DUE | {"clause_id": "x"}, by=None),
        lambda v: services.update_clause(
            clause=v.clauses.get(),
            fields={"parameters": {"n": 1, "unit": "mois", "from": "x"}},
            by=None,
        ),
        lambda v: services.delete_clause(clause=v.clauses.get(), by=None),
    ],
    ids=["update_text", "add_clause", "update_clause", "delete_clause"],
)
def test_a_published_version_never_changes(write):
    version = make_published_terms(make_seller())
    before = (version.text, list(version.clauses.values_list("clause_id", "parameters")))
    with pytest.raises(TermsImmutable, match="ne peut plus être modifiée"):
        write(version)
    version.refresh_from_db()
    assert (version.text, list(version.clauses.values_list("clause_id", "parameters"))) == before


def test_publishing_twice_is_an_invalid_transition():
    version = make_published_terms(make_seller())
    with pytest.raises(InvalidTransition, match="published"):
        services.publish_version(version=version, by=None)


def test_a_version_without_clauses_cannot_be_published():
    with pytest.raises(ValidationError) as exc:
        services.publish_version(version=draft(make_seller()), by=None)
    assert "clauses" in exc.value.message_dict


def test_clause_parameters_are_validated_against_the_clause_kind():
    version = draft(make_seller())
    bad = PAYMENT_DUE | {"parameters": {"n": -1, "unit": "semaines", "from": "invoice_date"}}
    with pytest.raises(ValidationError) as exc:
        services.add_clause(version=version, fields=bad, by=None)
    assert set(exc.value.message_dict) == {"parameters.n", "parameters.unit"}
    assert not version.clauses.exists()


def test_acceptance_records_the_hash_of_the_accepted_text_and_who():
    seller = make_seller()
    version = make_published_terms(seller)
    client = make_client(seller, "consumer")
    contact = make_contact(client)
    acceptance = services.record_acceptance(
        client=client,
        version=version,
        method="checkbox",
        accepted_by=contact.user,
        accepted_by_name="Nadia Lefèvre",
        ip_address="203.0.113.7",
        user_agent="Firefox",
        by=contact.user,
    )
    assert acceptance.text_sha256 == version.text_sha256
    assert (acceptance.ip_address, acceptance.user_agent) == ("203.0.113.7", "Firefox")
    event = Event.objects.get(verb="terms.accepted")
    assert event.summary["after"]["version"] == version.label
    assert event.actor == contact.user


def test_acceptance_of_another_sellers_version_is_refused():
    version = make_published_terms(make_seller())
    client = make_client(make_seller())
    with pytest.raises(ValidationError) as exc:
        services.record_acceptance(
            client=client, version=version, method="signed_quote", accepted_by_name="X", by=None
        )
    assert "version" in exc.value.message_dict
    assert not Acceptance.objects.exists()


def test_a_draft_cannot_be_accepted():
    seller = make_seller()
    with pytest.raises(ValidationError, match="seule une version publiée"):
        services.record_acceptance(
            client=make_client(seller),
            version=draft(seller),
            method="signed_quote",
            accepted_by_name="X",
            by=None,
        )


@pytest.mark.parametrize(
    ("method", "field"),
    [
        ("email_consent", "message_id"),
        ("postal_scan", "evidence_file"),
        ("checkbox", "accepted_by"),
    ],
)
def test_each_acceptance_method_requires_its_evidence(method, field):
    seller = make_seller()
    staff = make_staff(seller, "sales")
    with pytest.raises(ValidationError) as exc:
        services.record_acceptance(
            client=make_client(seller),
            version=make_published_terms(seller),
            method=method,
            accepted_by_name="Jean Dupont",
            by=staff,
        )
    assert field in exc.value.message_dict
