"""The back-office's received messages (/backoffice/<seller>/inbox/): the list and its
filters, a message's page with its fields and attachments, the raw download, "Relire" for a
message that failed; unmatched messages for superusers only."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from clausier.inbox.models import InboundMessage
from clausier.sellers.models import Role
from tests.factories import make_staff, make_user
from tests.factories.inbox import eml, receive

pytestmark = pytest.mark.django_db


def url(name: str, seller, **kwargs) -> str:
    return reverse(f"backoffice:{name}", kwargs={"slug": seller.slug, **kwargs})


def shown(response) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", unescape(response.content.decode()))


@pytest.fixture
def support_client(client, seller, mailbox):
    client.force_login(make_staff(seller, Role.SUPPORT))
    return client


def test_the_list_shows_messages_and_makes_failed_ones_stand_out(support_client, seller):
    receive("plain")
    receive("out-of-office")
    receive("broken-multipart")
    page = shown(support_client.get(url("inbox", seller)))
    assert "Site inaccessible depuis ce matin" in page
    assert "réponse automatique (Auto-Submitted)" in page
    assert "1 message illisible" in page
    assert "StartBoundaryNotFoundDefect" in page

    failed = shown(support_client.get(url("inbox", seller), {"show": "failed"}))
    assert "Site inaccessible" not in failed
    assert "Message illisible" in failed
    automatic = shown(support_client.get(url("inbox", seller), {"show": "automatic"}))
    assert "Absent du bureau" in automatic
    assert "Site inaccessible" not in automatic
    searched = shown(support_client.get(url("inbox", seller), {"q": "absent"}))
    assert "Absent du bureau" in searched
    assert "Site inaccessible" not in searched


def test_a_message_page_shows_its_fields_attachments_and_downloads(support_client, seller):
    message = receive("attachments").message
    page = shown(support_client.get(url("inbox_message", seller, message_id=message.pk)))
    assert "Facture contestée et capture d'écran" in page
    assert "Hélène Lévesque <helene@example.fr>" in page
    assert "facture contestée.pdf" in page
    assert "capture d’écran.png" in page
    assert "Relire le message" not in page  # parsed: final

    raw = support_client.get(url("inbox_message_raw", seller, message_id=message.pk))
    assert raw["Content-Type"] == "message/rfc822"
    assert raw.content == eml("attachments")
    pdf = message.attachments.get(position=1)
    download = support_client.get(
        url("inbox_attachment", seller, message_id=message.pk, attachment_id=pdf.pk)
    )
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF-1.4")


def test_a_failed_message_is_shown_raw_and_can_be_parsed_again(support_client, seller):
    message = receive("unknown-charset").message
    page = shown(support_client.get(url("inbox_message", seller, message_id=message.pk)))
    assert "Ce message n'a pas pu être lu." in page
    assert "unknown charset 'x-klingon-8'" in page
    assert "Relire le message" in page
    response = support_client.post(url("inbox_message_reparse", seller, message_id=message.pk))
    assert response.status_code == 302
    followed = shown(support_client.get(response["Location"]))
    assert "Le message reste illisible" in followed
    assert InboundMessage.objects.get().status == "failed"


def test_reparsing_a_parsed_message_is_refused(support_client, seller):
    message = receive("plain").message
    response = support_client.post(url("inbox_message_reparse", seller, message_id=message.pk))
    assert response.status_code == 409


def test_unmatched_messages_are_for_superusers_only(client, seller, mailbox):
    stray = receive("plain", to="nobody@elsewhere.test").message
    client.force_login(make_staff(seller, Role.OWNER))
    assert "Site inaccessible" not in shown(client.get(url("inbox", seller)))
    assert "Site inaccessible" not in shown(client.get(url("inbox", seller), {"show": "unmatched"}))
    assert client.get(url("inbox_message", seller, message_id=stray.pk)).status_code == 404

    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    page = shown(client.get(url("inbox", seller), {"show": "unmatched"}))
    assert "Site inaccessible" in page
    assert "nobody@elsewhere.test" in page
    assert client.get(url("inbox_message", seller, message_id=stray.pk)).status_code == 200


def test_another_seller_s_message_is_a_404(support_client, seller, other_seller):
    from tests.factories.inbox import make_mailbox

    make_mailbox(other_seller, "aide@autre.test")
    theirs = receive("plain", to="aide@autre.test").message
    response = support_client.get(url("inbox_message", seller, message_id=theirs.pk))
    assert response.status_code == 404


def test_sales_cannot_read_the_inbox(client, seller, mailbox):
    client.force_login(make_staff(seller, Role.SALES))
    assert client.get(url("inbox", seller)).status_code == 403
