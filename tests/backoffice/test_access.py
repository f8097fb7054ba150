"""Who reaches which back-office screen: own seller per role, other seller 404, 403 page."""

import pytest
from django.urls import reverse

from clausier.sellers.models import Role
from tests.factories import make_seller, make_staff, make_user

pytestmark = pytest.mark.django_db

# (url name, kwargs builder, permission) for every GET screen of one seller.
PAGES = [
    ("backoffice:home", lambda c, t: {}, "seller.view"),
    ("backoffice:clients", lambda c, t: {}, "clients.view"),
    ("backoffice:client_new", lambda c, t: {}, "clients.edit"),
    ("backoffice:client", lambda c, t: {"client_id": c.pk}, "clients.view"),
    ("backoffice:client_edit", lambda c, t: {"client_id": c.pk}, "clients.edit"),
    ("backoffice:terms", lambda c, t: {}, "terms.view"),
    ("backoffice:terms_new", lambda c, t: {}, "terms.edit"),
    ("backoffice:terms_version", lambda c, t: {"version_id": t.pk}, "terms.view"),
    ("backoffice:audit", lambda c, t: {}, "audit.view"),
    ("backoffice:api_tokens", lambda c, t: {}, "api_tokens.manage"),
]

# POST-only actions, with the permission each one needs.
ACTIONS = [
    ("backoffice:client_new", lambda c, t: {}, "clients.edit"),
    ("backoffice:client_edit", lambda c, t: {"client_id": c.pk}, "clients.edit"),
    ("backoffice:contact_add", lambda c, t: {"client_id": c.pk}, "clients.edit"),
    ("backoffice:acceptance_add", lambda c, t: {"client_id": c.pk}, "acceptances.record"),
    ("backoffice:terms_new", lambda c, t: {}, "terms.edit"),
    ("backoffice:terms_publish", lambda c, t: {"version_id": t.pk}, "terms.edit"),
    ("backoffice:clause_add", lambda c, t: {"version_id": t.pk}, "terms.edit"),
    ("backoffice:api_tokens", lambda c, t: {}, "api_tokens.manage"),
]


def url(name, slug, kwargs):
    return reverse(name, kwargs={"slug": slug, **kwargs})


@pytest.mark.parametrize("role", list(Role.values))
@pytest.mark.parametrize(("name", "kwargs", "permission"), PAGES, ids=[p[0] for p in PAGES])
def test_each_page_answers_by_role_on_own_seller(
    client, seller, a_client, terms, role, name, kwargs, permission
):
    from clausier.sellers.domain import role_can

    client.force_login(make_staff(seller, role))
    response = client.get(url(name, seller.slug, kwargs(a_client, terms)))
    assert response.status_code == (200 if role_can(role, permission) else 403)


@pytest.mark.parametrize(("name", "kwargs", "permission"), PAGES, ids=[p[0] for p in PAGES])
def test_another_sellers_slug_is_a_404(
    client, owner, other_seller, other_client, other_terms, name, kwargs, permission
):
    client.force_login(owner)
    response = client.get(url(name, other_seller.slug, kwargs(other_client, other_terms)))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "backoffice:client",
        "backoffice:client_edit",
    ],
)
def test_another_sellers_client_under_own_slug_is_a_404(client, owner, seller, other_client, name):
    client.force_login(owner)
    assert client.get(url(name, seller.slug, {"client_id": other_client.pk})).status_code == 404


def test_another_sellers_client_cannot_be_written_under_own_slug(
    client, owner, seller, other_client, other_terms
):
    client.force_login(owner)
    for name in ("backoffice:contact_add", "backoffice:acceptance_add"):
        response = client.post(url(name, seller.slug, {"client_id": other_client.pk}), {})
        assert response.status_code == 404


def test_another_sellers_terms_under_own_slug_is_a_404(client, owner, seller, other_terms):
    client.force_login(owner)
    for name in ("backoffice:terms_version", "backoffice:terms_publish"):
        method = client.get if name.endswith("version") else client.post
        response = method(url(name, seller.slug, {"version_id": other_terms.pk}))
        assert response.status_code == 404


def test_accepting_another_sellers_version_for_own_client_is_a_404(
    client, owner, seller, a_client, other_terms
):
    client.force_login(owner)
    response = client.post(
        url("backoffice:acceptance_add", seller.slug, {"client_id": a_client.pk}),
        {
            "version": other_terms.pk,
            "method": "email_consent",
            "accepted_by_name": "X",
            "message_id": "<a@b>",
        },
    )
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "kwargs", "permission"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_read_only_accountant_cannot_post(
    client, accountant, seller, a_client, terms, name, kwargs, permission
):
    client.force_login(accountant)
    response = client.post(url(name, seller.slug, kwargs(a_client, terms)), {"name": "x"})
    assert response.status_code == 403


def test_the_403_page_says_which_role_lacks_what(client, sales, seller):
    client.force_login(sales)
    response = client.get(url("backoffice:audit", seller.slug, {}))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Accès refusé" in html
    assert "Commercial" in html
    assert "consulter le journal d&#x27;audit" in html


def test_accountant_sees_no_edit_controls(client, accountant, seller, a_client, terms):
    client.force_login(accountant)
    clients_html = client.get(url("backoffice:clients", seller.slug, {})).content.decode()
    assert "Nouveau client" not in clients_html
    detail = client.get(url("backoffice:client", seller.slug, {"client_id": a_client.pk}))
    html = detail.content.decode()
    assert reverse("backoffice:client_edit", args=[seller.slug, a_client.pk]) not in html
    assert "Ajouter un contact" not in html
    assert "Enregistrer une acceptation" not in html
    terms_html = client.get(url("backoffice:terms", seller.slug, {})).content.decode()
    assert "Nouvelle version" not in terms_html


def test_anonymous_visitor_is_sent_to_login(client, seller):
    response = client.get(url("backoffice:home", seller.slug, {}))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_switcher_goes_straight_to_the_only_seller(client, owner, seller):
    client.force_login(owner)
    response = client.get(reverse("backoffice:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:home", args=[seller.slug])


def test_switcher_lists_every_seller_of_the_user(client, owner, seller):
    second = make_seller("gamma")
    from clausier.sellers import services

    services.set_staff_role(seller=second, user=owner, role=Role.SALES, by=None)
    client.force_login(owner)
    response = client.get(reverse("backoffice:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("backoffice:home", args=["alpha"]) in html
    assert reverse("backoffice:home", args=["gamma"]) in html
    assert "beta" not in html


def test_switcher_refuses_a_user_who_is_staff_nowhere(client):
    client.force_login(make_user())
    assert client.get(reverse("backoffice:index")).status_code == 403


def test_seller_home_summarises_identity_clients_terms_and_events(
    client, owner, seller, a_client, terms
):
    client.force_login(owner)
    html = client.get(url("backoffice:home", seller.slug, {})).content.decode()
    assert "Alpha SAS" in html
    assert "524172699" in html
    assert "Régime normal (TVA facturée)" in html
    assert "v1" in html
    assert reverse("backoffice:terms_version", args=[seller.slug, terms.pk]) in html
    assert "Client Atelier Durand créé" in html  # recent events, as sentences
    assert 'class="why"' in html


def test_back_office_speaks_english_under_en(client, owner, seller, a_client, terms):
    client.force_login(owner)
    html = client.get(f"/en/backoffice/{seller.slug}/clients/").content.decode()
    assert '<html lang="en">' in html
    assert "New client" in html
    assert "Export as CSV" in html
    assert "Log out" in html
    page = client.get(f"/en/backoffice/{seller.slug}/terms/{terms.pk}/").content.decode()
    assert "The text as the client reads it" in page
    assert "Published" in page
    denied = client.get(f"/en/backoffice/{seller.slug}/audit/")
    assert denied.status_code == 200  # the owner may; a sales role may not:
    client.force_login(make_staff(seller, Role.SALES))
    denied = client.get(f"/en/backoffice/{seller.slug}/audit/")
    assert denied.status_code == 403
    assert "does not allow you to view the audit log" in denied.content.decode()
