"""The audit trail reads as sentences: every verb a service records has one, in French and in
English, naming the object and the changed fields by their labels."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from clausier.audit.models import Event
from clausier.audit.sentences import SENTENCES, sentence, verb_label
from clausier.customers.services import update_client
from tests.factories import make_client
from tests.factories.invoicing import invoicing_seller, issued

SOURCES = Path(__file__).resolve().parents[2] / "src" / "clausier"


def recorded_verbs() -> set[str]:
    """Every verb the sources record: ``verb="..."`` (or a choice of two), ``verb = "..."``,
    and the verbs passed by position to a ``..._record...(obj, "verb", ...)`` helper."""
    verbs: set[str] = set()

    def constants(node: ast.AST) -> list[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.IfExp):
            return constants(node.body) + constants(node.orelse)
        return []

    for path in SOURCES.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "verb":
                        verbs.update(constants(keyword.value))
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if "record" in name:
                    for arg in node.args:
                        verbs.update(v for v in constants(arg) if "." in v and " " not in v)
            elif isinstance(node, ast.Assign) and any(
                getattr(t, "id", None) == "verb" for t in node.targets
            ):
                verbs.update(v for v in constants(node.value) if v)
    return verbs


def test_the_sources_record_the_verbs_this_test_knows_how_to_find():
    verbs = recorded_verbs()
    # One of each way of naming a verb: keyword, variable, positional helper, conditional.
    assert {"client.updated", "product.archived", "invoice.emailed", "webhook.failed"} <= verbs
    assert "legal_rate.corrected" in verbs
    assert len(verbs) > 60


def test_every_recorded_verb_has_a_sentence():
    missing = sorted(v for v in recorded_verbs() if v not in SENTENCES)
    assert missing == [], f"verbs without a sentence in audit/sentences.py: {missing}"


def test_every_sentence_reads_in_english_too():
    with translation.override("fr"):
        french = {verb: str(text) for verb, text in SENTENCES.items()}
    with translation.override("en"):
        untranslated = [verb for verb, text in SENTENCES.items() if str(text) == french[verb]]
    assert untranslated == []


@pytest.mark.django_db
def test_a_client_change_names_the_field_by_its_label_with_before_and_after(owner, a_client):
    update_client(client=a_client, fields={"email": "compta@durand.fr"}, by=owner)
    event = Event.objects.get(verb="client.updated")
    old = event.summary["before"]["email"]
    assert sentence(event) == (
        f"Client Atelier Durand modifié : e-mail de facturation ({old} → compta@durand.fr)"
    )
    with translation.override("en"):
        assert sentence(event) == (
            f"Client Atelier Durand updated: billing email ({old} → compta@durand.fr)"
        )


@pytest.mark.django_db
def test_an_invoice_issued_by_clausier_says_so_with_its_number_and_due_date():
    shop = invoicing_seller()
    invoice = issued(
        shop, make_client(shop, "company", name="Boulangerie Martin", siren="732829320")
    )
    event = Event.objects.get(verb="invoice.issued", object_id=str(invoice.pk))
    due = invoice.due_date.strftime("%d/%m/%Y")
    assert sentence(event) == f"Facture {invoice.number} émise automatiquement, échéance le {due}"


@pytest.mark.django_db
def test_the_audit_page_shows_sentences_and_labels_not_codes(client, owner, seller, a_client):
    update_client(client=a_client, fields={"billing_city": "Lyon"}, by=owner)
    client.force_login(owner)
    url = reverse("backoffice:audit", args=[seller.slug])
    html = client.get(url).content.decode()
    assert "Client Atelier Durand modifié : ville (" in html
    assert "client.updated</code>" not in html
    assert "billing_city" not in html
    assert "&quot;before&quot;" not in html
    assert "{&#x27;" not in html
    # The filter offers the verbs by words, and still filters by verb.
    assert f'<option value="client.updated">{verb_label("client.updated")}</option>' in html
    assert verb_label("client.updated") == "Client modifié"
    filtered = client.get(url + "?verb=client.updated").content.decode()
    assert "Client Atelier Durand modifié" in filtered
    assert "Client Atelier Durand créé" not in filtered


@pytest.mark.django_db
def test_a_clients_history_block_reads_as_sentences(client, owner, seller, a_client):
    update_client(client=a_client, fields={"phone": "01 23 45 67 89"}, by=owner)
    client.force_login(owner)
    html = client.get(reverse("backoffice:client", args=[seller.slug, a_client.pk])).content
    html = html.decode()
    assert "Client Atelier Durand modifié : téléphone" in html
    assert "Client Atelier Durand créé" in html
    assert "client.created" not in html


@pytest.mark.django_db
def test_the_journal_names_a_draft_and_a_document_kind_in_the_readers_language():
    seller = invoicing_seller()
    invoice = issued(seller, make_client(seller, "company", siren="732829320"))
    created = Event.objects.get(verb="invoice.created", object_id=str(invoice.pk))
    # Stored in French whatever the language of the request that wrote it.
    assert created.object_repr == f"Facture brouillon n° {invoice.pk}"
    assert sentence(created) == f"Facture brouillon n° {invoice.pk} créée en brouillon"
    with translation.override("en"):
        assert sentence(created) == f"Invoice draft no. {invoice.pk} created as a draft"
