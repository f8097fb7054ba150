"""Login, the landing after login, logout: shared by the portal and the back-office."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_login_page_has_labels_in_french_and_english(client):
    html = client.get("/login/").content.decode()
    assert '<label for="id_username">Identifiant ou e-mail</label>' in html
    assert '<label for="id_password">Mot de passe</label>' in html
    english = client.get("/en/login/").content.decode()
    assert "Password" in english
    assert '<html lang="en">' in english


def test_wrong_password_shows_an_error_and_keeps_the_username(client):
    make_user("marie")
    response = client.post("/login/", {"username": "marie", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="alert alert--error"' in html
    assert 'value="marie"' in html


def test_staff_logs_in_and_lands_in_the_back_office(client, staff, seller):
    response = client.post(
        "/login/", {"username": staff.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("backoffice:home", args=[seller.slug])


def test_contact_logs_in_and_lands_in_the_portal(client, contact):
    response = client.post(
        "/login/", {"username": contact.user.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("portal:home")


def test_user_with_no_space_gets_a_clear_403(client):
    client.force_login(make_user())
    response = client.get(reverse("after_login"))
    assert response.status_code == 403
    assert "n'ouvre aucun espace" in response.content.decode()


def test_logged_in_pages_have_a_logout_post_button(client, contact):
    client.force_login(contact.user)
    html = client.get(reverse("portal:home")).content.decode()
    assert f'action="{reverse("logout")}" method="post"' in html
    assert "Se déconnecter" in html
    client.post(reverse("logout"))
    assert client.get(reverse("portal:home")).status_code == 302
