"""The staff's second factor: required for owners and accounting (``MFA_REQUIRED_ROLES``),
enrolled with a real authenticator code computed from the secret the page shows, asked after
every password, with ten recovery codes that each work once; renewed and removed by the
account's owner with a code; every step in the audit trail."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clausier.audit.models import Event
from clausier.audit.sentences import sentence
from clausier.security import services
from tests.security.codes import code_for, password_login, secret_of

pytestmark = pytest.mark.django_db


def enrol(client, user) -> tuple[bytes, list[str]]:
    """Log ``user`` in by password and enrol an authenticator: its key and recovery codes."""
    password_login(client, user)
    page = client.get(reverse("security:enrol"))
    key = secret_of(page.text)
    done = client.post(reverse("security:enrol"), {"code": code_for(key), "next": "/start/"})
    assert done.status_code == 200, done.text
    codes = done.context["codes"]
    return key, codes


def test_an_owner_without_a_device_is_sent_to_enrolment_before_any_back_office_page(
    client, owner, seller, mfa_required
):
    response = password_login(client, owner)
    assert response.status_code == 302
    landing = client.get(response.url)
    assert landing.status_code == 302
    assert landing.url.startswith(reverse("security:enrol"))
    home = client.get(reverse("backoffice:home", args=[seller.slug]))
    assert home.url.startswith(reverse("security:enrol") + "?next=")
    assert client.get("/admin/").url.startswith(reverse("security:enrol"))


def test_enrolment_shows_a_qr_code_and_the_secret_then_ten_recovery_codes_once(
    client, owner, seller, mfa_required, instant_retries
):
    password_login(client, owner)
    page = client.get(reverse("security:enrol"))
    assert page.status_code == 200
    assert "<svg" in unescape(page.text)
    assert 'class="qr-code"' in unescape(page.text)
    key = secret_of(page.text)
    assert TOTPDevice.objects.get(user=owner, confirmed=False).bin_key == key

    wrong = client.post(reverse("security:enrol"), {"code": "000000"})
    assert "Ce code ne correspond pas" in unescape(wrong.text)
    assert not TOTPDevice.objects.filter(user=owner, confirmed=True).exists()

    done = client.post(reverse("security:enrol"), {"code": code_for(key), "next": "/start/"})
    codes = done.context["codes"]
    assert len(codes) == len(set(codes)) == 10
    assert all(code in unescape(done.text) for code in codes)
    assert TOTPDevice.objects.get(user=owner).confirmed
    # the session is settled: the back-office opens
    assert client.get(reverse("backoffice:home", args=[seller.slug])).status_code == 200
    # the codes are never shown again
    overview = client.get(reverse("security:overview"))
    assert not any(code in unescape(overview.text) for code in codes)
    assert "Il vous reste 10 codes de secours" in unescape(overview.text)
    event = Event.objects.get(verb="mfa.enrolled")
    assert event.seller == seller
    assert sentence(event) == f"Double authentification activée par {owner.username}"


def test_after_the_password_the_code_is_asked_and_the_next_one_lets_in(
    client, owner, seller, mfa_required, instant_retries
):
    key, _ = enrol(client, owner)
    client.logout()

    response = password_login(client, owner)
    landing = client.get(response.url)
    assert landing.url.startswith(reverse("security:verify"))
    blocked = client.get(reverse("backoffice:home", args=[seller.slug]))
    assert blocked.url.startswith(reverse("security:verify"))
    # nor may the pending session reach the account's page or replace the device
    assert client.get(reverse("security:overview")).url.startswith(reverse("security:verify"))
    assert client.get(reverse("security:enrol")).url == reverse("security:overview")

    wrong = client.post(reverse("security:verify"), {"code": "123456"})
    assert "Ce code n'est pas valable" in unescape(wrong.text)
    assert Event.objects.filter(verb="mfa.refused", seller=seller).count() == 1

    home = reverse("backoffice:home", args=[seller.slug])
    ok = client.post(
        reverse("security:verify"), {"code": code_for(key, step_ahead=1), "next": home}
    )
    assert ok.status_code == 302
    assert ok.url == home
    assert client.get(home).status_code == 200


def test_a_code_already_used_is_refused(client, owner, mfa_required):
    key, _ = enrol(client, owner)
    client.logout()
    password_login(client, owner)
    # the code typed at enrolment, again in the same 30 seconds
    again = client.post(reverse("security:verify"), {"code": code_for(key)})
    assert again.status_code == 200
    assert "Ce code n'est pas valable" in unescape(again.text)


def test_a_recovery_code_works_once(client, owner, seller, mfa_required):
    _, codes = enrol(client, owner)
    client.logout()

    password_login(client, owner)
    used = client.post(reverse("security:verify"), {"code": codes[0].upper()}, follow=True)
    assert "il vous en reste 9" in unescape(used.text)
    assert StaticToken.objects.filter(device__user=owner).count() == 9
    event = Event.objects.get(verb="mfa.recovery_code_used")
    assert sentence(event) == f"Code de secours utilisé par {owner.username} (9 restants)"
    client.logout()

    password_login(client, owner)
    refused = client.post(reverse("security:verify"), {"code": codes[0]})
    assert "Ce code n'est pas valable" in unescape(refused.text)
    assert client.get(reverse("backoffice:home", args=[seller.slug])).status_code == 302


def test_new_recovery_codes_replace_the_old_ones_confirmed_by_a_code(
    client, owner, mfa_required, instant_retries
):
    key, old = enrol(client, owner)
    refused = client.post(reverse("security:recovery_codes"), {"code": "999999"}, follow=True)
    assert "les codes de secours n'ont pas été changés" in unescape(refused.text)

    renewed = client.post(reverse("security:recovery_codes"), {"code": code_for(key, step_ahead=1)})
    new = renewed.context["codes"]
    assert len(new) == 10
    assert not set(new) & set(old)
    tokens = set(StaticToken.objects.filter(device__user=owner).values_list("token", flat=True))
    assert tokens == set(new)
    assert Event.objects.filter(verb="mfa.recovery_codes_renewed").count() == 1


def test_removing_the_device_needs_a_code_and_sends_an_owner_back_to_enrolment(
    client, owner, seller, mfa_required, instant_retries
):
    _, codes = enrol(client, owner)
    client.post(reverse("security:remove"), {"code": "000000"})
    assert TOTPDevice.objects.filter(user=owner).exists()

    client.post(reverse("security:remove"), {"code": codes[3]})
    assert not TOTPDevice.objects.filter(user=owner).exists()
    assert not StaticDevice.objects.filter(user=owner).exists()
    assert Event.objects.filter(verb="mfa.removed", seller=seller).count() == 1
    home = client.get(reverse("backoffice:home", args=[seller.slug]))
    assert home.url.startswith(reverse("security:enrol"))


def test_sales_may_log_in_without_a_device_and_enrol_by_choice(client, sales, seller, mfa_required):
    password_login(client, sales)
    assert client.get(reverse("backoffice:home", args=[seller.slug])).status_code == 200
    _key, _ = enrol(client, sales)
    client.logout()
    password_login(client, sales)
    # a device chosen is asked for as well
    assert client.get("/start/").url.startswith(reverse("security:verify"))


def test_accounting_is_required_too_and_the_setting_decides(client, seller, settings, mfa_required):
    from clausier.sellers.models import Role
    from tests.factories import make_staff

    accounting = make_staff(seller, Role.ACCOUNTING)
    password_login(client, accounting)
    assert client.get("/start/").url.startswith(reverse("security:enrol"))
    client.logout()
    settings.MFA_REQUIRED_ROLES = []
    password_login(client, accounting)
    assert client.get("/start/").status_code == 302
    assert not client.get("/start/").url.startswith("/account/")


def test_a_superusers_security_events_go_to_the_platform_trail(
    client, django_user_model, mfa_required
):
    from tests.factories import PASSWORD

    admin = django_user_model.objects.create_superuser("root", "root@example.test", PASSWORD)
    client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert client.get("/admin/").url.startswith(reverse("security:enrol"))
    login = Event.objects.get(verb="login.succeeded")
    assert login.seller is None
    assert login.actor == admin


def test_a_refused_code_delays_the_next_try_even_a_right_one(owner, mfa_required):
    device = services.start_enrolment(user=owner)
    assert services.confirm_enrolment(user=owner, code="000000") is None
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert services.confirm_enrolment(user=owner, code=code_for(device.bin_key)) is None
