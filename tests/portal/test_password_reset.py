import re

import pytest
from django.core import mail

from tests.factories import make_client, make_contact, make_seller

pytestmark = pytest.mark.django_db


def test_a_contact_without_a_password_sets_one_through_the_reset_link(client):
    from clausier.customers.services import grant_portal_access

    contact = make_contact(make_client(make_seller(), "consumer"), with_login=False)
    user = grant_portal_access(contact=contact, by=None)
    assert not client.login(username=user.username, password="")

    assert "Mot de passe oublié" in client.get("/login/").content.decode()
    response = client.post("/account/password_reset/", {"email": contact.email})
    assert response.status_code == 302
    [message] = mail.outbox
    link = re.search(r"https?://[^/]+(/account/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Une-phrase-longue-42", "new_password2": "Une-phrase-longue-42"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Une-phrase-longue-42")
    assert client.login(username=user.username, password="Une-phrase-longue-42")
