"""The password policy: twelve characters at least, not a common password, not close to the
person's name or e-mail, not all digits; refused on the product's page in its language."""

from __future__ import annotations

from html import unescape

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def refusals(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return list(error.messages)
    return []


def test_each_rule_refuses_its_kind_of_password(owner):
    owner.email = "marguerite.durand@example.test"
    assert any("au minimum 12 caractères" in m for m in refusals("Court-9x"))
    assert any("trop courant" in m for m in refusals("password1234"))
    assert any("entièrement numérique" in m for m in refusals("203948571629"))
    assert any("trop semblable" in m for m in refusals("marguerite.durand", owner))
    assert refusals("Une-phrase-longue-42") == []
    assert len(PASSWORD) >= 12  # the demo's and the tests' password passes


def test_the_rules_speak_english_too():
    with translation.override("en"):
        assert any("at least 12 characters" in m for m in refusals("Court-9x"))


@pytest.mark.parametrize(
    ("prefix", "message"),
    [("", "au minimum 12 caractères"), ("/en", "at least 12 characters")],
)
def test_the_password_change_page_refuses_a_short_password(client, owner, prefix, message):
    client.force_login(owner)
    response = client.post(
        f"{prefix}/account/password_change/",
        {"old_password": PASSWORD, "new_password1": "Court-9x", "new_password2": "Court-9x"},
    )
    assert response.status_code == 200
    assert message in unescape(response.text)
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
