"""The contracts' e-mails, in the client's language: the acknowledgement of a notice given
by the client (for a consumer's online termination, C. conso. L215-1-1: it states the
termination and its effective date), sent from a task once the notice's transaction has
committed; and the consumer's renewal information (C. conso. L215-1), sent by the daily job
with the notice deadline and how to terminate."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clausier.audit.services import record_on
from clausier.contracts.models import Contract, Notice
from clausier.customers.selectors import document_language
from clausier.documents.email import send_email


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


def renewal_letter_body(contract: Contract, *, deadline: date) -> str:
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
                "term_end": _day(contract.term_end),
                "months": contract.period_months,
            },
            _(
                "Si vous ne souhaitez pas le reconduire, votre demande doit nous parvenir au "
                "plus tard le %(deadline)s (C. conso. L215-1). Vous pouvez résilier en ligne, "
                "en trois clics, depuis votre espace client : %(link)s"
            )
            % {"deadline": _day(deadline), "link": _link(contract)},
            str(contract.seller),
        ]
    )


def send_renewal_letter(contract: Contract, *, deadline: date) -> tuple[list[str], str]:
    """E-mail ``contract``'s renewal information; the recipients and the Message-ID."""
    to = recipients(contract.client)
    with translation.override(document_language(client=contract.client)):
        subject = _("Reconduction de votre contrat %(contract)s") % {"contract": contract.reference}
        body = renewal_letter_body(contract, deadline=deadline)
    return to, send_email(to=to, subject=subject, body=body)
