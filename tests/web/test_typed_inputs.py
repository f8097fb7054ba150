"""What people type in the back-office forms: refused with the field named and nothing written,
or accepted and stored normalised (dates, French numbers, identifiers, invisible characters,
phones and addresses, double submits)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from clausier.customers.models import Client
from clausier.quotes.models import Quote
from clausier.web.forms import DateField, DecimalField
from clausier.web.models import SentForm

pytestmark = pytest.mark.django_db

CLIENT_FORM = {
    "kind": "company",
    "name": "Boulangerie Martin",
    "siren": "",
    "vat_number": "",
    "email": "compta@martin.test",
    "phone": "",
    "billing_line1": "3 rue du Four",
    "billing_line2": "",
    "billing_postal_code": "44000",
    "billing_city": "Nantes",
    "billing_country": "FR",
    "preferred_language": "fr",
}


def new_client_url(seller):
    return reverse("backoffice:client_new", args=[seller.slug])


def errors_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", html)


# --- numbers the French way ---------------------------------------------------------------------


class PriceForm(forms.Form):
    price = DecimalField(max_digits=12, decimal_places=2)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("1 234,56", Decimal("1234.56")),
        ("1 500", Decimal("1500")),
        ("1\u00a0500,5", Decimal("1500.5")),
        ("1\u202f234\u202f567,89", Decimal("1234567.89")),
        ("1234.56", Decimal("1234.56")),
        ("1.234,56", Decimal("1234.56")),
        (" 12,5 ", Decimal("12.5")),
    ],
)
def test_a_number_typed_the_french_way_is_read_exactly(typed, read):
    form = PriceForm({"price": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["price"] == read


@pytest.mark.parametrize("typed", ["douze", "1,2,3", "NaN", "1e400", "--1"])
def test_a_number_that_is_not_one_is_refused_on_its_field(typed):
    form = PriceForm({"price": typed})
    assert not form.is_valid()
    assert "price" in form.errors


class DayForm(forms.Form):
    day = DateField(label="Valable jusqu'au")


@pytest.mark.parametrize("typed", ["9999-12-31", "1999-12-31", "0001-01-01", "2200-01-01"])
def test_a_form_date_outside_the_plausible_window_is_refused(typed):
    form = DayForm({"day": typed})
    assert not form.is_valid()
    assert "date invraisemblable" in form.errors["day"][0]


# --- the client form: identifiers, invisible characters, phones and addresses --------------------


def test_a_siren_typed_with_spaces_is_accepted_and_stored_compact(client, owner, seller):
    client.force_login(owner)
    response = client.post(new_client_url(seller), CLIENT_FORM | {"siren": "732 829\u00a0320"})
    assert response.status_code == 302, errors_of(response)
    assert Client.objects.get(seller=seller, name="Boulangerie Martin").siren == "732829320"


@pytest.mark.parametrize(
    ("field", "typed", "label", "message"),
    [
        ("name", "Martin\u202eSARL", "Raison sociale ou nom", "U+202E (forçage droite-à-gauche)"),
        ("billing_city", "Nan\u2066tes", "Ville", "U+2066 (isolat gauche-à-droite)"),
        ("name", "Mar\x07tin", "Raison sociale ou nom", "U+0007 (caractère de contrôle)"),
        ("phone", "12", "Téléphone", "numéro de téléphone invalide"),
        ("billing_country", "XX", "Pays", "code pays ISO 3166-1"),
        ("billing_postal_code", "4400", "Code postal", "code postal invalide pour le pays FR"),
    ],
)
def test_a_client_with_a_refused_value_is_shown_again_with_the_field_named(
    client, owner, seller, field, typed, label, message
):
    client.force_login(owner)
    response = client.post(new_client_url(seller), CLIENT_FORM | {field: typed})
    html = errors_of(response)
    assert response.status_code == 400  # the form again, not a redirect
    assert message in html
    assert label in html
    assert not Client.objects.filter(seller=seller).exists()


def test_a_phone_in_any_usual_form_is_accepted(client, owner, seller):
    client.force_login(owner)
    response = client.post(new_client_url(seller), CLIENT_FORM | {"phone": "+33 6 12 34 56 78"})
    assert response.status_code == 302


def test_an_overseas_client_is_checked_against_its_territory(client, owner, seller):
    client.force_login(owner)
    form = CLIENT_FORM | {"billing_country": "MQ", "billing_postal_code": "97100"}
    refused = client.post(new_client_url(seller), form)
    assert refused.status_code == 400
    assert "972xx" in errors_of(refused)
    accepted = client.post(new_client_url(seller), form | {"billing_postal_code": "97200"})
    assert accepted.status_code == 302


# --- double submits -----------------------------------------------------------------------------


def test_a_create_form_carries_a_new_one_time_token_each_time_it_is_shown(client, owner, seller):
    client.force_login(owner)
    tokens = [
        re.search(r'name="form_token" value="([0-9a-f]{32})"', client.get(url).content.decode())[1]
        for url in (new_client_url(seller), new_client_url(seller))
    ]
    assert tokens[0] != tokens[1]


def test_a_form_sent_twice_creates_one_client_and_leads_to_it(client, owner, seller):
    client.force_login(owner)
    form = CLIENT_FORM | {"form_token": "a" * 32}
    first = client.post(new_client_url(seller), form)
    second = client.post(new_client_url(seller), form, follow=True)
    assert Client.objects.filter(seller=seller).count() == 1
    assert second.redirect_chain[0][0] == first["Location"]
    assert "Déjà enregistré" in second.content.decode()


def test_a_refused_form_can_be_sent_again_once_corrected(client, owner, seller):
    client.force_login(owner)
    token = {"form_token": "b" * 32}
    refused = client.post(new_client_url(seller), CLIENT_FORM | token | {"phone": "12"})
    assert refused.status_code == 400
    assert not SentForm.objects.exists()
    accepted = client.post(new_client_url(seller), CLIENT_FORM | token)
    assert accepted.status_code == 302
    assert Client.objects.filter(seller=seller).count() == 1


# --- quotes: the validity date -----------------------------------------------------------------


@pytest.fixture
def agency(db):
    from tests.factories.quotes import install_agency

    return install_agency()


def test_a_quote_valid_until_9999_is_refused_and_nothing_is_written(client, agency):
    from tests.factories import make_client, make_staff

    owner = make_staff(agency)
    buyer = make_client(agency)
    client.force_login(owner)
    response = client.post(
        reverse("backoffice:quote_new", args=[agency.slug]),
        {
            "client": buyer.pk,
            "nature": "Site vitrine",
            "valid_until": "9999-12-31",
            "notes": "",
            "line_count": "1",
            "line-0-description": "Création du site",
            "line-0-quantity": "1",
            "line-0-unit": "flat",
            "line-0-unit_price": "2 400,00",
            "line-0-vat_rate": "0",
        },
    )
    assert response.status_code == 400
    assert "date invraisemblable" in errors_of(response)
    assert not Quote.objects.filter(seller=agency).exists()


def test_a_quote_stored_valid_until_9999_still_shows_and_its_sending_is_refused(client, agency):
    from clausier.quotes import services
    from tests.factories import make_client, make_staff
    from tests.factories.quotes import make_quote

    owner = make_staff(agency)
    quote = make_quote(agency, make_client(agency))
    Quote.objects.filter(pk=quote.pk).update(valid_until=date(9999, 12, 31))  # saved long ago
    client.force_login(owner)
    page = client.get(reverse("backoffice:quote", args=[agency.slug, quote.pk]))
    assert page.status_code == 200
    quote.refresh_from_db()
    with pytest.raises(ValidationError, match="date invraisemblable"):
        services.send_quote(quote=quote, by=owner)
    assert Quote.objects.get(pk=quote.pk).status == "draft"
