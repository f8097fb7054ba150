"""The contracts' e-mails, in the client's language: a revised price proposed at term (seed
002 art. 12b) and the acknowledgement of the client's answer; the acknowledgement of a notice given
by the client (for a consumer's online termination, C. conso. L215-1-1: it states the
termination and its effective date), sent from a task once the notice's transaction has
committed; and the consumer's renewal information (C. conso. L215-1), sent by the daily job
with the notice deadline and how to terminate."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal
from smtplib import SMTPException

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clausier.audit.services import record_on
from clausier.contracts.domain import letter_in_time
from clausier.contracts.models import (
    ArchiveRequest,
    Contract,
    Notice,
    PriceRevision,
    RenewalLetter,
)
from clausier.customers.selectors import document_language
from clausier.documents.email import send_email
from clausier.rules.money import format_eur

logger = logging.getLogger(__name__)
# A renewal information whose sending failed is tried once more, by the next daily run.
RENEWAL_LETTER_ATTEMPTS = 2


def recipients(client) -> list[str]:
    """The client's billing contacts, or the client's own address when it has none."""
    emails = [c.email for c in client.contacts.filter(is_billing=True).order_by("id") if c.email]
    return emails or [client.email]


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def _link(contract: Contract) -> str:
    return settings.BASE_URL + reverse("portal:contract", kwargs={"contract_id": contract.pk})


def acknowledge_after_commit(*, notice: Notice) -> None:
    """Queue the acknowledgement of ``notice`` once the current transaction commits."""
    transaction.on_commit(lambda: acknowledge.enqueue(notice_id=notice.pk))


def acknowledgement_body(notice: Notice) -> str:
    contract = notice.contract
    return "\n\n".join(
        [
            _("Bonjour,"),
            _(
                "Nous avons bien reçu le %(received)s votre demande de résiliation du contrat "
                "%(contract)s."
            )
            % {"received": _day(notice.received_on), "contract": contract.reference},
            _(
                "Le contrat prend fin le %(effective)s : les services sont assurés jusqu'à "
                "cette date, puis s'arrêtent. Les prestations réalisées et non encore payées "
                "seront facturées, et les périodes payées d'avance au-delà de cette date "
                "remboursées au prorata."
            )
            % {"effective": _day(notice.effective_on)},
            _("Votre contrat dans votre espace client : %(link)s") % {"link": _link(contract)},
            str(contract.seller),
        ]
    )


@task
def acknowledge(notice_id: int) -> str:
    """E-mail the acknowledgement of a notice and keep its Message-ID; once only."""
    notice = Notice.objects.select_related("contract__client", "contract__seller").get(pk=notice_id)
    if notice.acknowledged_at is not None:
        return notice.acknowledgement_message_id
    contract = notice.contract
    to = recipients(contract.client)
    with translation.override(document_language(client=contract.client)):
        subject = _("Résiliation du contrat %(contract)s : accusé de réception") % {
            "contract": contract.reference
        }
        body = acknowledgement_body(notice)
    message_id = send_email(to=to, subject=subject, body=body)
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        notice.acknowledged_at, notice.acknowledgement_message_id = timezone.now(), message_id
        notice.save(update_fields=["acknowledged_at", "acknowledgement_message_id"])
        record_on(
            obj=contract,
            actor=None,
            verb="contract.notice_acknowledged",
            after={"to": ", ".join(to)},
        )
    return message_id


def renewal_letter_body(letter: RenewalLetter) -> str:
    contract = letter.contract
    return "\n\n".join(
        [
            _("Bonjour,"),
            _(
                "Votre contrat %(contract)s arrive à échéance le %(term_end)s. Sans résiliation "
                "de votre part, il sera reconduit tacitement pour une nouvelle période de "
                "%(months)s mois."
            )
            % {
                "contract": contract.reference,
                "term_end": _day(letter.term_end),
                "months": contract.period_months,
            },
            _(
                "Si vous ne souhaitez pas le reconduire, votre demande doit nous parvenir au "
                "plus tard le %(deadline)s (C. conso. L215-1). Vous pouvez résilier en ligne, "
                "en trois clics, depuis votre espace client : %(link)s"
            )
            % {"deadline": _day(letter.notice_deadline), "link": _link(contract)},
            str(contract.seller),
        ]
    )


def send_renewal_letter_after_commit(*, letter: RenewalLetter, on: date) -> None:
    """Queue the sending of ``letter`` on the day ``on`` once the current transaction
    commits."""
    day = on.isoformat()
    transaction.on_commit(lambda: send_renewal_letter.enqueue(letter_id=letter.pk, on=day))


def _claim(letter_id: int) -> RenewalLetter | None:
    """The letter, its attempt counted under its lock; None when sent or tried twice."""
    with transaction.atomic():
        letter = (
            RenewalLetter.objects.select_for_update()
            .select_related("contract__client", "contract__seller")
            .get(pk=letter_id)
        )
        if letter.message_id or letter.send_attempts >= RENEWAL_LETTER_ATTEMPTS:
            return None
        letter.send_attempts += 1
        letter.save(update_fields=["send_attempts"])
    return letter


@task
def send_renewal_letter(letter_id: int, on: str) -> str:
    """E-mail a written renewal information and stamp its Message-ID (and the day it left,
    judged again against the Chatel window); a failed send is logged and recorded, the row
    left unsent for the next daily run to retry once."""
    letter = _claim(letter_id)
    if letter is None:
        return ""
    contract = letter.contract
    to = recipients(contract.client)
    with translation.override(document_language(client=contract.client)):
        subject = _("Reconduction de votre contrat %(contract)s") % {"contract": contract.reference}
        body = renewal_letter_body(letter)
    try:
        message_id = send_email(to=to, subject=subject, body=body)
    except (OSError, SMTPException) as exc:
        logger.warning("renewal letter %s not sent: %s", letter.pk, exc)
        record_on(
            obj=contract,
            actor=None,
            verb="contract.renewal_letter_failed",
            after={"attempt": letter.send_attempts, "error": type(exc).__name__},
        )
        return ""
    sent_on = date.fromisoformat(on)
    judged = letter_in_time(notice_deadline_on=letter.notice_deadline, sent_on=sent_on)
    with transaction.atomic():
        letter = RenewalLetter.objects.select_for_update().get(pk=letter.pk)
        letter.message_id, letter.sent_to = message_id, ", ".join(to)[:500]
        letter.sent_on, letter.in_time = sent_on, judged.value
        letter.explanation = judged.as_dict()
        letter.save(update_fields=["message_id", "sent_to", "sent_on", "in_time", "explanation"])
        record_on(
            obj=contract,
            actor=None,
            verb="contract.renewal_letter_sent",
            after={
                "to": ", ".join(to),
                "sent_on": sent_on.isoformat(),
                "notice_deadline": letter.notice_deadline.isoformat(),
                "in_time": judged.value,
            },
        )
    return message_id


def _money(value) -> str:
    return format_eur(Decimal(str(value)), locale=translation.get_language() or "fr")


def revision_body(revision: PriceRevision) -> str:
    contract = revision.contract
    rows = [
        _("- %(line)s : %(current)s HT -> %(new)s HT par période")
        % {"line": row["description"], "current": _money(row["current"]), "new": _money(row["new"])}
        for row in revision.lines
    ]
    return "\n\n".join(
        [
            _("Bonjour,"),
            _(
                "L'infrastructure technique de votre site doit évoluer (%(reason)s). Comme le "
                "prévoient nos conditions générales (art. 12b), nous vous proposons un nouveau "
                "tarif pour votre contrat %(contract)s à compter de son échéance du %(term_end)s :"
            )
            % {
                "reason": revision.get_reason_display(),
                "contract": contract.reference,
                "term_end": _day(revision.term_end),
            },
            "\n".join(rows),
            _("Total par période : %(current)s HT aujourd'hui, %(new)s HT au nouveau tarif.")
            % {
                "current": _money(revision.current_total_ht),
                "new": _money(revision.new_total_ht),
            },
            _(
                "Le contrat ne sera pas reconduit tacitement à cette échéance. Si vous acceptez, "
                "il continue au nouveau tarif ; si vous refusez ou ne répondez pas d'ici le "
                "%(term_end)s, il prend fin à cette date, les prestations payées d'avance et non "
                "réalisées étant remboursées au prorata."
            )
            % {"term_end": _day(revision.term_end)},
            _("Pour répondre, depuis votre espace client : %(link)s") % {"link": _link(contract)},
            str(contract.seller),
        ]
    )


def revision_answer_body(revision: PriceRevision) -> str:
    contract = revision.contract
    if revision.status == "accepted":
        said = _(
            "Vous avez accepté le %(day)s le nouveau tarif de votre contrat %(contract)s : il "
            "est reconduit à son échéance du %(term_end)s à %(new)s HT par période."
        )
    else:
        said = _(
            "Vous avez refusé le %(day)s le nouveau tarif de votre contrat %(contract)s : il "
            "prend fin à son échéance du %(term_end)s, les services étant assurés jusqu'à cette "
            "date ; les prestations payées d'avance et non réalisées seront remboursées au "
            "prorata."
        )
    return "\n\n".join(
        [
            _("Bonjour,"),
            said
            % {
                "day": _day(revision.decided_on),
                "contract": contract.reference,
                "term_end": _day(revision.term_end),
                "new": _money(revision.new_total_ht),
            },
            _("Votre contrat dans votre espace client : %(link)s") % {"link": _link(contract)},
            str(contract.seller),
        ]
    )


def send_revision_after_commit(*, revision: PriceRevision) -> None:
    """Queue the proposal's e-mail once the current transaction commits."""
    transaction.on_commit(lambda: send_revision.enqueue(revision_id=revision.pk))


def acknowledge_revision_after_commit(*, revision: PriceRevision) -> None:
    """Queue the acknowledgement of the client's answer once the transaction commits."""
    transaction.on_commit(lambda: acknowledge_revision.enqueue(revision_id=revision.pk))


def _revision(revision_id: int) -> PriceRevision:
    return PriceRevision.objects.select_related("contract__client", "contract__seller").get(
        pk=revision_id
    )


@task
def send_revision(revision_id: int) -> str:
    """E-mail a revised price to the client's contacts; its Message-ID kept, once only."""
    revision = _revision(revision_id)
    if revision.message_id:
        return revision.message_id
    contract = revision.contract
    with translation.override(document_language(client=contract.client)):
        subject = _("Votre contrat %(contract)s : proposition de nouveau tarif") % {
            "contract": contract.reference
        }
        body = revision_body(revision)
    message_id = send_email(to=recipients(contract.client), subject=subject, body=body)
    with transaction.atomic():
        revision = PriceRevision.objects.select_for_update().get(pk=revision.pk)
        revision.message_id = message_id
        revision.save(update_fields=["message_id"])
    return message_id


@task
def acknowledge_revision(revision_id: int) -> str:
    """E-mail the acknowledgement of the client's answer to a revised price."""
    revision = _revision(revision_id)
    contract = revision.contract
    with translation.override(document_language(client=contract.client)):
        subject = _("Votre contrat %(contract)s : votre réponse au nouveau tarif") % {
            "contract": contract.reference
        }
        body = revision_answer_body(revision)
    return send_email(to=recipients(contract.client), subject=subject, body=body)


def acknowledge_archive_after_commit(*, request: ArchiveRequest) -> None:
    """Queue the acknowledgement of an archive request once the transaction commits."""
    transaction.on_commit(lambda: acknowledge_archive.enqueue(request_id=request.pk))


def archive_acknowledgement_body(request: ArchiveRequest) -> str:
    contract = request.contract
    return "\n\n".join(
        [
            _("Bonjour,"),
            _(
                "Nous avons bien reçu le %(received)s votre demande écrite de restitution de "
                "votre site (contrat %(contract)s) : une archive de ses fichiers et une "
                "extraction de sa base de données (CGV art. 7)."
            )
            % {"received": _day(request.received_on), "contract": contract.reference},
            _("Nous nous engageons à vous la livrer au plus tard le %(deadline)s.")
            % {"deadline": _day(request.deadline)},
            _("Votre contrat dans votre espace client : %(link)s") % {"link": _link(contract)},
            str(contract.seller),
        ]
    )


@task
def acknowledge_archive(request_id: int) -> str:
    """E-mail the acknowledgement of an archive request made from the portal; once only."""
    request = ArchiveRequest.objects.select_related("contract__client", "contract__seller").get(
        pk=request_id
    )
    if request.acknowledged_at is not None:
        return ""
    contract = request.contract
    to = recipients(contract.client)
    with translation.override(document_language(client=contract.client)):
        subject = _("Archive de votre site (contrat %(contract)s) : accusé de réception") % {
            "contract": contract.reference
        }
        body = archive_acknowledgement_body(request)
    message_id = send_email(to=to, subject=subject, body=body)
    with transaction.atomic():
        request = ArchiveRequest.objects.select_for_update().get(pk=request.pk)
        request.acknowledged_at = timezone.now()
        request.save(update_fields=["acknowledged_at"])
        record_on(
            obj=contract,
            actor=None,
            verb="contract.archive_acknowledged",
            after={"to": ", ".join(to)},
        )
    return message_id
