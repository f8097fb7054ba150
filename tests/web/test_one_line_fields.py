"""A one-line field (a name, an address line, a reference, a code) refuses a tab or a line
break, naming it in words, in the back-office, the portal and the API alike, and stores
nothing; a multi-line text (notes, a line's description) keeps its line breaks."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from clausier.customers.models import Client
from clausier.documents.glyphs import validate_printable, validate_single_line
from clausier.invoicing.models import Invoice
from clausier.sellers.services import upsert_seller
from tests.factories import make_client
from tests.factories.invoicing import AGENCY_IDENTITY
from tests.factories.quotes import install_agency
from tests.web.test_typed_inputs import CLIENT_FORM, errors_of, new_client_url

pytestmark = pytest.mark.django_db

API_CLIENT = {
    "kind": "company",
    "name": "Atelier Céramique Loire SAS",
    "email": "factures@atelier.example",
    "billing_line1": "1 quai de la Fosse",
    "billing_postal_code": "44000",
    "billing_city": "Nantes",
}


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("Martin\tSARL", "U+0009 (tabulation)"),
        ("Martin\nSARL", "U+000A (retour à la ligne)"),
        ("Martin\r\nSARL", "U+000D (retour chariot), U+000A (retour à la ligne)"),
    ],
)
def test_a_one_line_text_refuses_a_tab_or_a_line_break_by_its_name(typed, named):
    with pytest.raises(ValidationError) as refused:
        validate_single_line(typed)
    assert refused.value.code == "line_break"
    assert refused.value.messages == [f"Ce champ tient sur une seule ligne : retirez-en {named}."]
    validate_printable(typed)  # a multi-line text keeps them


def test_a_line_break_and_an_invisible_control_are_both_named():
    with pytest.raises(ValidationError) as refused:
        validate_single_line("Martin\n\u202eSARL")
    text = " ".join(refused.value.messages)
    assert "U+000A (retour à la ligne)" in text
    assert "U+202E (forçage droite-à-gauche)" in text


def test_no_one_line_column_takes_the_multi_line_check():
    """A model's ``CharField`` is one line on every screen: the check that lets line breaks
    through belongs to ``TextField`` only."""
    wrong = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("clausier.")
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField) and validate_printable in field.validators
    ]
    assert wrong == []


# --- the back-office -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "typed", "label", "named"),
    [
        ("name", "Boulangerie\tMartin", "Raison sociale ou nom", "U+0009 (tabulation)"),
        ("billing_line1", "3 rue\ndu Four", "Adresse de facturation", "(retour à la ligne)"),
        ("billing_city", "Nantes\r\n", "Ville", None),  # trailing: stripped by the form
    ],
)
def test_the_client_form_refuses_a_tab_or_a_line_break_on_its_field(
    client, owner, seller, field, typed, label, named
):
    client.force_login(owner)
    response = client.post(new_client_url(seller), CLIENT_FORM | {field: typed})
    if named is None:
        assert response.status_code == 302
        assert Client.objects.get(seller=seller).billing_city == "Nantes"
        return
    assert response.status_code == 400
    html = errors_of(response)
    assert named in html
    assert label in html
    assert not Client.objects.filter(seller=seller).exists()


def test_the_settings_refuse_a_line_break_in_the_legal_name(client, owner, seller):
    client.force_login(owner)
    url = reverse("backoffice:settings", args=[seller.slug])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "logo"}
    response = client.post(url, data | {"legal_name": "Ma\nSociété"})
    assert response.status_code == 400
    assert "(retour à la ligne)" in errors_of(response)
    seller.refresh_from_db()
    assert "\n" not in seller.legal_name


# --- the portal ------------------------------------------------------------------------------


def test_the_portal_profile_refuses_a_tab_in_the_name(client, contact):
    client.force_login(contact.user)
    response = client.post(
        reverse("portal:profile"),
        {"name": "Jeanne\tDupont", "email": contact.email, "phone": contact.phone},
    )
    assert response.status_code == 400
    assert "U+0009 (tabulation)" in errors_of(response)
    contact.refresh_from_db()
    assert contact.name == "Jeanne Dupont"


# --- the API ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "typed", "named"),
    [
        ("name", "Atelier\tCéramique", "U+0009 (tabulation)"),
        ("billing_line1", "1 quai\nde la Fosse", "U+000A (retour à la ligne)"),
        ("billing_city", "Nantes\r", "U+000D (retour chariot)"),
    ],
)
def test_the_api_refuses_a_tab_or_a_line_break_with_a_422_naming_the_field(
    api, seller, field, typed, named
):
    response = api.post("/clients", API_CLIENT | {field: typed})
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert named in errors[field]
    assert not Client.objects.filter(seller=seller).exists()


@pytest.fixture
def invoicing_agency(db):
    seller = install_agency()
    return upsert_seller(slug=seller.slug, fields=AGENCY_IDENTITY, by=None)


@pytest.fixture
def agency(invoicing_agency):
    return invoicing_agency


def test_the_api_keeps_line_breaks_in_notes_and_descriptions_only(agency_api, agency):
    buyer = make_client(agency, kind="company", name="Boulangerie Martin SARL", siren="552081317")
    line = {"description": "Audit SEO\nphase 1", "quantity": "1", "unit": "flat"}
    line |= {"unit_price": "500"}
    body = {"client_id": buyer.pk, "notes": "Livraison\nen juin", "lines": [line]}

    refused = agency_api.post("/invoices", body | {"lines": [line | {"unit_label": "jour\t"}]})
    assert refused.status_code == 422, refused.content
    assert list(refused.json()["errors"]) == ["lines[0].unit_label"]
    assert "U+0009 (tabulation)" in refused.json()["errors"]["lines[0].unit_label"]
    assert not Invoice.objects.exists()

    accepted = agency_api.post("/invoices", body)
    assert accepted.status_code == 201, accepted.content
    invoice = Invoice.objects.get()
    assert invoice.notes == "Livraison\nen juin"
    assert invoice.lines.get().description == "Audit SEO\nphase 1"
