"""Guessing passwords: after LOGIN_FAILURE_LIMIT refusals for one username from one address,
the login is locked for the cool-off, said on the login page in French and English (429,
not a bare 403); a superuser unlocks it in the admin, or the cool-off ends it."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from clausier.audit.models import Event
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def fail(client, username: str, *, times: int, path: str = "/login/"):
    response = None
    for _ in range(times):
        response = client.post(path, {"username": username, "password": "pas-le-bon-mot"})
    return response


def test_five_refused_passwords_lock_the_login_with_a_message_and_429(client, owner, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    refused = fail(client, owner.username, times=4)
    assert refused.status_code == 200
    assert "Connexion bloquée" not in refused.text

    locked = fail(client, owner.username, times=1)
    assert locked.status_code == 429
    assert "Connexion bloquée : trop de tentatives échouées." in locked.text
    assert "pendant 15 minutes" in locked.text

    # the right password no longer opens it
    again = client.post("/login/", {"username": owner.username, "password": PASSWORD})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_one_username_from_one_address_only(client, owner, sales):
    fail(client, owner.username, times=5)
    other = client.post("/login/", {"username": sales.username, "password": PASSWORD})
    assert other.status_code == 302
    elsewhere = client.post(
        "/login/",
        {"username": owner.username, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.10",
    )
    assert elsewhere.status_code == 302


def test_the_lockout_speaks_english_on_the_english_page(client, owner):
    fail(client, owner.username, times=4, path="/en/login/")
    locked = fail(client, owner.username, times=1, path="/en/login/")
    assert locked.status_code == 429
    assert "Login blocked: too many failed attempts." in locked.text
    assert "for 15 minutes" in locked.text


def test_the_admin_login_is_locked_too(client, owner):
    locked = fail(client, owner.username, times=5, path="/admin/login/")
    assert locked.status_code == 429
    assert "Connexion bloquée" in locked.text


def test_the_cool_off_ends_the_lock(client, owner, settings):
    fail(client, owner.username, times=5)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    response = client.post("/login/", {"username": owner.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_a_superuser_unlocks_a_login_in_the_admin(client, owner, django_user_model):
    fail(client, owner.username, times=5)
    attempt = AccessAttempt.objects.get(username=owner.username)
    admin = django_user_model.objects.create_superuser("root", "root@example.test", PASSWORD)
    client.force_login(admin)
    page = client.get(f"/admin/axes/accessattempt/{attempt.pk}/delete/")
    assert page.status_code == 200
    client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    client.logout()

    response = client.post("/login/", {"username": owner.username, "password": PASSWORD})
    assert response.status_code == 302


def test_refusals_and_the_lockout_are_in_the_sellers_audit_trail(client, owner, seller):
    fail(client, owner.username, times=5)
    trail = Event.objects.filter(seller=seller, object_id=str(owner.pk))
    assert trail.filter(verb="login.failed").count() == 5
    lockout = trail.get(verb="login.locked_out")
    assert lockout.summary["after"] == {"ip_address": "127.0.0.1", "failures": 5}
    fail(client, owner.username, times=1)  # refused while locked: no second lockout event
    assert trail.filter(verb="login.locked_out").count() == 1


def test_a_login_is_in_the_trail_and_an_unknown_name_leaves_no_event(client, owner, seller):
    client.post("/login/", {"username": owner.username, "password": PASSWORD})
    login = Event.objects.get(verb="login.succeeded")
    assert (login.seller, login.actor, login.object_id) == (seller, owner, str(owner.pk))
    client.logout()
    fail(client, "personne", times=2)
    assert not Event.objects.filter(verb="login.failed").exists()
    assert AccessAttempt.objects.filter(username="personne").exists()


def test_the_owner_reads_the_logins_and_refusals_in_the_journal(client, owner, seller):
    fail(client, owner.username, times=1)
    client.post("/login/", {"username": owner.username, "password": PASSWORD})
    journal = client.get(reverse("backoffice:audit", args=[seller.slug]))
    assert journal.status_code == 200
    text = unescape(journal.text)
    assert f"Connexion de {owner.username} (adresse 127.0.0.1)" in text
    assert f"Connexion refusée pour {owner.username} : mot de passe erroné" in text
