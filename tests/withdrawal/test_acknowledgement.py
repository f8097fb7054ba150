"""The acknowledgement of a withdrawal on a durable medium: an e-mail with its PDF, stating
the decision and its explanation in the client's language, sent on a real SMTP server after
the commit; the PDF read back."""

from __future__ import annotations

import io
from datetime import date

import pypdf
import pytest

from clausier.audit.models import Event
from clausier.customers import services as client_services
from tests.factories.quotes import paris
from tests.factories.withdrawal import concluded_order, registered

pytestmark = pytest.mark.django_db

CONCLUDED = paris(2026, 5, 4, 10, 10)
NOW = paris(2026, 6, 30, 12, 0)


def _pdf_text(message) -> tuple[str, str]:
    [attachment] = list(message.iter_attachments())
    reader = pypdf.PdfReader(io.BytesIO(attachment.get_content()))
    return attachment.get_filename(), "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def test_an_accepted_withdrawal_is_acknowledged_by_e_mail_with_its_pdf(
    paas,
    paas_consumer,
    paas_staff,
    smtp_server,
    immediate_tasks,
    django_capture_on_commit_callbacks,
):
    order = concluded_order(
        paas,
        paas_consumer,
        concluded_at=CONCLUDED,
        express_start=True,
        started_at=paris(2026, 5, 5, 9, 0),
    )
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal = registered(order, received_on=date(2026, 5, 12), by=paas_staff, now=NOW)
        assert smtp_server.inbox.messages == []  # nothing leaves before the commit

    # The acknowledgement, and the credit note the withdrawal issued (e-mailed as any).
    subject = f"Accusé de réception de votre rétractation (commande {order.reference})"
    [received] = [m for m in smtp_server.inbox.messages if m.message["Subject"] == subject]
    message = received.message
    assert received.rcpt_tos == ["emilie.durand@example.test"]
    assert len(smtp_server.inbox.messages) == 2
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "est acceptée" in body
    assert "il doit 9,54" in _flat(body)
    filename, text = _pdf_text(message)
    assert filename == f"retractation-{withdrawal.pk}.pdf"
    flat = _flat(text)
    assert "Accusé de réception de votre rétractation" in flat
    assert "Votre rétractation est acceptée." in flat
    assert "CGV : 7 jours francs ; loi : 14 jours, L221-18" in flat
    assert "42,24 € × 7 / 31 jours" in flat
    assert "32,70 €" in flat
    assert "26/05/2026" in flat
    withdrawal.refresh_from_db()
    assert withdrawal.acknowledgement_message_id == message["Message-ID"]
    assert len(withdrawal.acknowledgement_sha256) == 64
    assert Event.objects.filter(verb="withdrawal.acknowledged").exists()


def test_a_refused_withdrawal_is_acknowledged_in_english_for_an_english_client(
    paas,
    paas_consumer,
    paas_staff,
    smtp_server,
    immediate_tasks,
    django_capture_on_commit_callbacks,
):
    client_services.update_client(
        client=paas_consumer, by=paas_staff, fields={"preferred_language": "en"}
    )
    order = concluded_order(paas, paas_consumer, concluded_at=CONCLUDED)
    with django_capture_on_commit_callbacks(execute=True):
        registered(order, received_on=date(2026, 5, 19), by=paas_staff, now=NOW)

    [received] = smtp_server.inbox.messages
    message = received.message
    assert message["Subject"] == (f"Acknowledgement of your withdrawal (order {order.reference})")
    body = _flat(message.get_body(preferencelist=("plain",)).get_content())
    assert "is refused" in body
    assert "after the end of the withdrawal period on" in body
    _, text = _pdf_text(message)
    flat = _flat(text)
    assert "Your withdrawal is refused." in flat
    assert "Terms: 7 clear days; law: 14 days, L221-18" in flat
