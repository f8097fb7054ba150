"""The site's archive on written request (seed 002 art. 7): refused while the maintenance or
hosting contract runs, recorded once it has ended with the seller's committed deadline,
delivered with its evidence; late, it is flagged."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from clausier.audit.models import Event
from clausier.contracts import services
from clausier.contracts.models import ArchiveRequest
from clausier.kernel.errors import DomainError
from tests.contracts.conftest import DOMAIN, open_yearly
from tests.factories.quotes import paris

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_and_tasks")]


def ended(agency, client, **kw):
    contract = open_yearly(agency, client, start_on=date(2026, 1, 1), **kw)
    return services.terminate(
        contract=contract,
        effective_on=date(2026, 3, 31),
        reason="breach",
        by=None,
        now=paris(2026, 4, 1, 9),
    )


def test_refused_on_a_running_contract_with_the_article(agency, bakery):
    contract = open_yearly(agency, bakery, start_on=date(2026, 1, 1))
    with pytest.raises(DomainError, match=r"art\. 7") as refused:
        services.record_archive_request(
            contract=contract, received_on=date(2026, 3, 2), channel="letter", by=None
        )
    assert "en cours" in str(refused.value)
    assert not ArchiveRequest.objects.exists()


def test_refused_without_maintenance_nor_hosting(agency, bakery):
    contract = ended(agency, bakery, lines=[dict(DOMAIN)])
    with pytest.raises(DomainError, match="ni maintenance ni hébergement"):
        services.record_archive_request(
            contract=contract, received_on=date(2026, 4, 2), channel="email", by=None
        )


def test_after_termination_the_deadline_is_the_sellers_commitment_and_delivery_has_evidence(
    agency, bakery
):
    contract = ended(agency, bakery)
    request = services.record_archive_request(
        contract=contract,
        received_on=date(2026, 4, 2),
        channel="letter",
        by=None,
        now=paris(2026, 4, 3, 9),
    )
    # 30 calendar days, the seller's practice: Saturday 2 May 2026, carried to Monday 4 May.
    assert request.deadline == date(2026, 5, 4)
    assert request.explanation["law"] == "CGV art. 7"
    assert "non fixé par la loi ni les CGV" in request.explanation["steps"][-1]["label"]
    assert request.explanation["clause"] == "contract.end"
    assert request.overdue_on(date(2026, 5, 5))
    assert not request.overdue_on(date(2026, 5, 4))
    receipt = SimpleUploadedFile("accuse.txt", b"transfer 42 downloaded", "text/plain")
    request = services.deliver_archive(
        request=request,
        delivered_on=date(2026, 5, 6),
        method="WeTransfer",
        reference="https://we.tl/t-42",
        receipt=receipt,
        by=None,
        now=paris(2026, 5, 6, 12),
    )
    assert request.status == "delivered"
    assert request.receipt_sha256 == hashlib.sha256(b"transfer 42 downloaded").hexdigest()
    event = Event.objects.get(verb="contract.archive_delivered")
    assert event.summary["after"]["late"] is True
    assert not request.overdue_on(date(2026, 6, 1))


def test_staff_may_commit_to_another_deadline_but_not_before_the_request(agency, bakery):
    from django.core.exceptions import ValidationError

    contract = ended(agency, bakery)
    with pytest.raises(ValidationError, match="deadline"):
        services.record_archive_request(
            contract=contract,
            received_on=date(2026, 4, 2),
            channel="email",
            deadline=date(2026, 4, 1),
            by=None,
        )
    request = services.record_archive_request(
        contract=contract,
        received_on=date(2026, 4, 2),
        channel="email",
        deadline=date(2026, 4, 10),
        by=None,
    )
    assert request.deadline == date(2026, 4, 10)
    assert request.explanation == {}


@pytest.mark.parametrize(("language", "words"), [("fr", "au plus tard"), ("en", "no later than")])
def test_the_portal_request_is_acknowledged_in_the_clients_language(
    agency, bakery, django_capture_on_commit_callbacks, language, words
):
    bakery.preferred_language = language
    bakery.save(update_fields=["preferred_language"])
    contract = ended(agency, bakery)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_archive_online(
            contract=contract, by=None, now=paris(2026, 4, 2, 9)
        )
    assert request.channel == "portal"
    [ack] = mail.outbox
    assert words in ack.body
    assert Event.objects.filter(verb="contract.archive_acknowledged").count() == 1
