"""A client's first login, password reset and change are product pages: the reset e-mail
speaks the client's language, names its seller, and its link leads to a password that logs in
to the portal."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from clausier.customers.services import grant_portal_access
from tests.factories import make_client, make_contact, make_seller

pytestmark = pytest.mark.django_db

PASSWORD = "Une-phrase-longue-42"


def product_page(html: str) -> bool:
    """The product's look (its stylesheet and panel), not Django admin's."""
    return (
        "/static/clausier/clausier.css" in html
        and 'class="panel"' in html
        and "Django" not in html
        and "admin/css" not in html
    )


def first_login(*, language: str = "fr"):
    seller = make_seller("boulangerie", trade_name="Boulangerie Martin")
    customer = make_client(seller, "consumer", preferred_language=language)
    contact = make_contact(customer, with_login=False, email="jeanne@example.test")
    return seller, contact, grant_portal_access(contact=contact, by=None)


def test_a_client_chooses_its_password_from_the_email_link_and_logs_in_to_the_portal(client):
    _seller, contact, user = first_login()
    login = client.get("/login/").content.decode()
    assert 'href="/account/password_reset/"' in login
    assert "première connexion" in login

    form = client.get("/account/password_reset/").content.decode()
    assert product_page(form)
    assert "Première connexion ou mot de passe oublié" in form
    sent = client.post("/account/password_reset/", {"email": contact.email}, follow=True)
    assert product_page(sent.content.decode())
    assert "Regardez votre messagerie" in sent.content.decode()

    [message] = mail.outbox
    assert message.to == ["jeanne@example.test"]
    assert message.subject == "Votre mot de passe pour l'espace client de Boulangerie Martin"
    assert "Boulangerie Martin" in message.body
    assert "clausier" in message.body
    assert f"Votre identifiant : {user.username}" in message.body
    link = re.search(r"https?://[^/]+(/account/reset/\S+/)", message.body).group(1)

    choose = client.get(link, follow=True)
    html = choose.content.decode()
    assert product_page(html)
    assert "Choisir mon mot de passe" in html
    done = client.post(
        choose.redirect_chain[-1][0],
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
        follow=True,
    )
    assert product_page(done.content.decode())
    assert "Mot de passe enregistré" in done.content.decode()

    landed = client.post("/login/", {"username": contact.email, "password": PASSWORD}, follow=True)
    assert landed.redirect_chain[-1][0].startswith("/portal/")
    assert landed.status_code == 200


def test_a_used_link_says_so_and_offers_a_new_one(client):
    _seller, contact, _user = first_login()
    client.post("/account/password_reset/", {"email": contact.email})
    link = re.search(r"https?://[^/]+(/account/reset/\S+/)", mail.outbox[0].body).group(1)
    choose = client.get(link, follow=True)
    client.post(
        choose.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    again = client.get(link, follow=True).content.decode()
    assert "Ce lien ne sert plus" in again
    assert 'href="/account/password_reset/"' in again


def test_an_english_speaking_client_gets_the_email_in_english(client):
    _seller, contact, _user = first_login(language="en")
    client.post("/account/password_reset/", {"email": contact.email})
    [message] = mail.outbox
    assert message.subject == "Your password for the client area of Boulangerie Martin"
    assert "/en/account/reset/" in message.body
    assert "Your username" in message.body


def test_a_logged_in_client_changes_its_password_from_its_profile(client):
    _seller, _contact, user = first_login()
    user.set_password(PASSWORD)
    user.save()
    client.force_login(user)
    profile = client.get("/portal/profile/").content.decode()
    assert 'href="/account/password_change/"' in profile
    page = client.get("/account/password_change/").content.decode()
    assert product_page(page)
    wrong = client.post(
        "/account/password_change/",
        {"old_password": "pas-le-bon", "new_password1": "x", "new_password2": "y"},
    ).content.decode()
    assert product_page(wrong)
    assert "field__error" in wrong
    done = client.post(
        "/account/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "Une-autre-phrase-43",
            "new_password2": "Une-autre-phrase-43",
        },
        follow=True,
    )
    assert "Mot de passe changé" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password("Une-autre-phrase-43")
