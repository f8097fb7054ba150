"""The client list, forms and page of the back-office."""

import csv
import io
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from clausier.audit.models import Event
from clausier.customers import services as customer_services
from clausier.customers.domain import CLIENT_SIREN_ON_INVOICES
from clausier.customers.models import Client
from tests.factories import make_client, make_contact

pytestmark = pytest.mark.django_db

VALID_FORM = {
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


def clients_url(seller, **params):
    base = reverse("backoffice:clients", args=[seller.slug])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


# --- list ------------------------------------------------------------------------------------


def test_list_searches_and_filters_and_keeps_both_in_page_links(client, owner, seller):
    for i in range(30):
        make_client(seller, "company", name=f"Nantes Co {i:02}")
    make_client(seller, "consumer", name="Nantes Particulier")
    make_client(seller, "company", name="Lyon SARL", billing_city="Lyon")
    client.force_login(owner)
    response = client.get(clients_url(seller, q="Nantes", kind="company"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "30 clients" in html
    assert "Nantes Co 00" in html
    assert "Nantes Particulier" not in html
    assert "Lyon SARL" not in html
    assert "page=2" in html
    assert "q=Nantes&amp;kind=company" in html  # filters kept by the page links
    page2 = client.get(clients_url(seller, q="Nantes", kind="company", page=2)).content.decode()
    assert "Nantes Co 29" in page2
    assert "Nantes Co 00" not in page2


def test_list_sorts_by_name_and_by_creation(client, owner, seller):
    make_client(seller, name="Zèbre")
    make_client(seller, name="Abeille")
    client.force_login(owner)
    by_name = client.get(clients_url(seller, sort="name")).content.decode()
    assert by_name.index("Abeille") < by_name.index("Zèbre")
    newest = client.get(clients_url(seller, sort="-created")).content.decode()
    assert newest.index("Abeille") < newest.index("Zèbre")
    oldest = client.get(clients_url(seller, sort="created")).content.decode()
    assert oldest.index("Zèbre") < oldest.index("Abeille")
    assert 'aria-sort="ascending"' in oldest


def test_list_ignores_an_unknown_kind_or_sort(client, owner, seller, a_client):
    client.force_login(owner)
    response = client.get(clients_url(seller, kind="alien", sort="evil"))
    assert response.status_code == 200
    assert "Atelier Durand" in response.content.decode()


def test_empty_list_says_what_to_do_next(client, owner, seller):
    client.force_login(owner)
    html = client.get(clients_url(seller)).content.decode()
    assert "0 client" in html
    assert "Créer votre premier client" in html
    filtered = client.get(clients_url(seller, q="nobody")).content.decode()
    assert "Aucun client ne correspond à cette recherche." in filtered
    assert "Effacer la recherche" in filtered


def test_live_search_returns_only_the_results_fragment(client, owner, seller, a_client):
    client.force_login(owner)
    response = client.get(clients_url(seller, q="Durand"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Atelier Durand" in html
    assert "<html" not in html
    assert 'id="clients-results"' not in html
    assert "HX-Request" in response["Vary"]
    full = client.get(clients_url(seller)).content.decode()
    assert 'hx-get="' in full
    assert 'id="clients-results"' in full


def test_csv_export_has_the_filtered_rows(client, owner, seller, a_client):
    make_client(seller, "consumer", name="Jeanne Particulier")
    client.force_login(owner)
    response = client.get(clients_url(seller, kind="company", format="csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "clients-alpha.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Nom", "Type", "SIREN"]
    assert rows[1][:3] == ["Atelier Durand", "Entreprise", "732829320"]
    assert len(rows) == 2


def test_csv_link_keeps_the_filters(client, owner, seller, a_client):
    client.force_login(owner)
    html = client.get(clients_url(seller, q="Atelier", kind="company")).content.decode()
    assert "?q=Atelier&amp;kind=company&amp;format=csv" in html


def test_list_query_count_does_not_grow_with_rows(client, owner, seller, django_assert_num_queries):
    make_client(seller)
    client.force_login(owner)
    client.get(clients_url(seller))  # warm the content-type and session caches
    # session, user, staff scope, count, page of rows
    with django_assert_num_queries(5):
        client.get(clients_url(seller))
    for _ in range(40):
        make_client(seller)
    with django_assert_num_queries(5):
        client.get(clients_url(seller))


# --- forms -----------------------------------------------------------------------------------


def test_creating_a_client_goes_through_the_service_and_is_audited(client, owner, seller):
    client.force_login(owner)
    response = client.post(reverse("backoffice:client_new", args=[seller.slug]), VALID_FORM)
    created = Client.objects.get(name="Boulangerie Martin")
    assert created.seller == seller
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:client", args=[seller.slug, created.pk])
    event = Event.objects.get(verb="client.created", object_id=str(created.pk))
    assert event.actor == owner


def test_invalid_siren_is_shown_next_to_the_field_and_on_top_with_values_kept(
    client, owner, seller
):
    client.force_login(owner)
    response = client.post(
        reverse("backoffice:client_new", args=[seller.slug]),
        VALID_FORM | {"siren": "524172698", "vat_number": "FR00732829320"},
    )
    assert response.status_code == 400  # refused: the form again
    html = response.content.decode()
    assert "clé de contrôle invalide" in html
    assert "SIREN: 9 chiffres, clé de Luhn (INSEE)" in html  # the validator names the rule
    assert "TVA intracommunautaire: FR + clé à 2 chiffres + SIREN" in html
    assert 'class="field__error"' in html
    assert "error-summary" in html
    assert 'href="#id_siren"' in html
    assert 'value="524172698"' in html
    assert 'value="Boulangerie Martin"' in html
    assert 'value="compta@martin.test"' in html
    assert not Client.objects.filter(name="Boulangerie Martin").exists()


def test_an_english_reader_reads_the_identifier_rules_in_english(client, owner, seller):
    client.force_login(owner)
    with translation.override("en"):
        url = reverse("backoffice:client_new", args=[seller.slug])
    response = client.post(url, VALID_FORM | {"siren": "524172698"})
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "“524172698” has an invalid check digit (SIREN: 9 digits, Luhn check digit" in html
    assert "clé de contrôle" not in html


def test_updating_a_client_writes_an_event_with_before_and_after(client, owner, seller, a_client):
    client.force_login(owner)
    data = VALID_FORM | {"name": "Atelier Durand & fils", "siren": "732829320"}
    data["email"] = a_client.email
    data["billing_line1"] = a_client.billing_line1
    data["billing_postal_code"] = a_client.billing_postal_code
    data["billing_city"] = a_client.billing_city
    response = client.post(reverse("backoffice:client_edit", args=[seller.slug, a_client.pk]), data)
    assert response.status_code == 302
    a_client.refresh_from_db()
    assert a_client.name == "Atelier Durand & fils"
    event = Event.objects.get(verb="client.updated", object_id=str(a_client.pk))
    assert event.summary["before"] == {"name": "Atelier Durand"}
    assert event.summary["after"] == {"name": "Atelier Durand & fils"}
    page = client.get(reverse("backoffice:client", args=[seller.slug, a_client.pk]))
    assert (
        "Client Atelier Durand &amp; fils modifié : "
        "raison sociale ou nom (Atelier Durand → Atelier Durand &amp; fils)"
    ) in page.content.decode()


def test_edit_form_is_prefilled(client, owner, seller, a_client):
    client.force_login(owner)
    response = client.get(reverse("backoffice:client_edit", args=[seller.slug, a_client.pk]))
    assert 'value="Atelier Durand"' in response.content.decode()


# --- client page -----------------------------------------------------------------------------


def test_client_page_shows_identity_status_and_warning(client, owner, seller):
    no_siren = make_client(seller, "company", name="Sans Siren SAS")
    client.force_login(owner)
    html = client.get(reverse("backoffice:client", args=[seller.slug, no_siren.pk])).content
    html = html.decode()
    assert "Sans Siren SAS" in html
    assert "Professionnel" in html
    if timezone.localdate() >= CLIENT_SIREN_ON_INVOICES.value:
        assert "SIREN manquant" in html
        assert "CGI art. 242 nonies A" in html


def test_consumer_is_labelled_as_such(client, owner, seller):
    consumer = make_client(seller, "consumer", name="Jeanne Dupont")
    client.force_login(owner)
    html = client.get(reverse("backoffice:client", args=[seller.slug, consumer.pk])).content
    assert "Consommateur" in html.decode()
    assert "SIREN manquant" not in html.decode()


def test_adding_a_contact_with_a_portal_login(client, owner, seller, a_client):
    client.force_login(owner)
    response = client.post(
        reverse("backoffice:contact_add", args=[seller.slug, a_client.pk]),
        {
            "name": "Paul Durand",
            "email": "Paul@Durand.test",
            "is_billing": "on",
            "portal_access": "on",
            "password": "un-mot-de-passe-solide-42",
        },
    )
    assert response.status_code == 302
    contact = a_client.contacts.get(name="Paul Durand")
    assert contact.user is not None
    assert contact.user.username == "paul@durand.test"
    assert contact.user.check_password("un-mot-de-passe-solide-42")
    assert Event.objects.filter(verb="contact.portal_access_granted").exists()


def test_a_contact_whose_email_is_already_a_login_is_refused_whole(
    client, owner, seller, a_client, other_client
):
    """Someone else's login (another seller's client here) is never handed over: the contact
    is not created either, and that login's password is untouched."""
    other = make_contact(other_client, with_login=False, email="camille@martin.test")
    someone = customer_services.grant_portal_access(contact=other, by=None, password="ancien-42")
    client.force_login(owner)
    response = client.post(
        reverse("backoffice:contact_add", args=[seller.slug, a_client.pk]),
        {
            "name": "Camille Martin",
            "email": "Camille@Martin.test",
            "portal_access": "on",
            "password": "un-mot-de-passe-solide-42",
        },
    )
    assert response.status_code == 400
    assert "est déjà l&#x27;identifiant d&#x27;une autre connexion" in response.content.decode()
    assert not a_client.contacts.exists()
    someone.refresh_from_db()
    assert someone.check_password("ancien-42")
    assert someone.client_contact.client == other_client


def test_invalid_contact_keeps_the_values_and_shows_errors(client, owner, seller, a_client):
    client.force_login(owner)
    response = client.post(
        reverse("backoffice:contact_add", args=[seller.slug, a_client.pk]),
        {"name": "Paul", "email": "not-an-email"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Paul"' in html
    assert "error-summary" in html
    assert not a_client.contacts.exists()


def test_granting_portal_access_to_an_existing_contact(client, owner, seller, a_client):
    contact = make_contact(a_client, with_login=False)
    client.force_login(owner)
    response = client.post(
        reverse("backoffice:contact_portal_access", args=[seller.slug, a_client.pk, contact.pk])
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.user is not None
