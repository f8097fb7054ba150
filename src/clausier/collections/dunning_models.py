"""Dunning: each seller's plan of reminders, the notices sent (one per invoice and step) and
the formal notices (mises en demeure) sent by registered letter."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clausier.kernel.fields import Timestamped


class StepKind(models.TextChoices):
    FRIENDLY = "friendly", _("Rappel amical")
    PENALTIES = "penalties", _("Relance (pénalités)")
    SECOND = "second", _("Deuxième relance")
    FORMAL_NOTICE = "formal_notice", _("Mise en demeure")


class NoticeStatus(models.TextChoices):
    QUEUED = "queued", _("À envoyer")
    SENT = "sent", _("Envoyée")
    SKIPPED = "skipped", _("Ignorée")


class DunningPlan(Timestamped):
    """A seller's dunning plan: its steps, by days from the due date."""

    seller = models.OneToOneField(
        "sellers.Seller", on_delete=models.CASCADE, related_name="dunning_plan"
    )
    # The seller's choice: reminders sent without staff, from the queue, when due.
    auto_send_reminders = models.BooleanField(_("envoi automatique des rappels"), default=False)

    class Meta:
        verbose_name = _("plan de relance")
        verbose_name_plural = _("plans de relance")

    def __str__(self) -> str:
        return str(_("Plan de relance de %(seller)s") % {"seller": self.seller})


class DunningStep(models.Model):
    plan = models.ForeignKey(DunningPlan, on_delete=models.CASCADE, related_name="steps")
    # Days from the due date: -3 is three days before it, 15 is fifteen days after.
    offset_days = models.IntegerField(_("jours après l'échéance"))
    kind = models.CharField(_("étape"), max_length=20, choices=StepKind.choices)
    # A step the seller turned off is never queued (its place in the plan is kept).
    enabled = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["plan", "offset_days"]
        verbose_name = _("étape de relance")
        verbose_name_plural = _("étapes de relance")
        constraints = [
            models.UniqueConstraint(fields=["plan", "offset_days"], name="dunning_step_offset"),
            models.UniqueConstraint(fields=["plan", "kind"], name="dunning_step_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (J{self.offset_days:+d})"


class DunningNotice(Timestamped):
    """One step of the plan for one invoice: queued on its day, then sent or skipped, never
    twice (unique per invoice and step). What it said is frozen at sending."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.CASCADE, related_name="+")
    invoice = models.ForeignKey(
        "invoicing.Invoice", on_delete=models.PROTECT, related_name="dunning_notices"
    )
    step = models.ForeignKey(DunningStep, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("étape"), max_length=20, choices=StepKind.choices)
    due_on = models.DateField(_("prévue le"))
    status = models.CharField(
        _("statut"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.QUEUED
    )
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    email_to = models.EmailField(_("destinataire"), blank=True)
    language = models.CharField(_("langue"), max_length=2, blank=True)
    message_id = models.CharField(max_length=250, blank=True)
    subject = models.CharField(_("objet"), max_length=250, blank=True)
    body = models.TextField(_("texte"), blank=True)
    amount_due = models.DecimalField(_("restant dû"), max_digits=14, decimal_places=2, null=True)
    interest = models.DecimalField(_("intérêts"), max_digits=14, decimal_places=2, null=True)
    indemnity = models.DecimalField(_("indemnité"), max_digits=14, decimal_places=2, null=True)
    explanation = models.JSONField(_("explication"), default=dict, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("relance")
        verbose_name_plural = _("relances")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "step"], name="dunning_notice_once"),
        ]
        indexes = [models.Index(fields=["seller", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.invoice.number}"


class FormalNotice(Timestamped):
    """A mise en demeure: the sums a client owes on the day, the deadline to pay, the clauses
    and articles invoked, printed and sent by registered letter. The sent and received dates
    staff record start later clocks (termination)."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(
        "customers.Client", on_delete=models.PROTECT, related_name="formal_notices"
    )
    invoices = models.ManyToManyField("invoicing.Invoice", related_name="formal_notices")
    number = models.CharField(_("numéro"), max_length=30)
    issued_on = models.DateField(_("établie le"))
    principal = models.DecimalField(_("principal"), max_digits=14, decimal_places=2)
    interest = models.DecimalField(_("intérêts"), max_digits=14, decimal_places=2)
    indemnity = models.DecimalField(_("indemnité"), max_digits=14, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    pay_within_days = models.PositiveSmallIntegerField(_("délai de paiement (jours)"))
    # The deadline counted from an assumed receipt (the issue day + the postal delay) until
    # the letter's receipt is recorded, then from that day.
    pay_by = models.DateField(_("à payer avant le"))
    explanation = models.JSONField(_("explication"), default=dict, blank=True)
    articles = models.JSONField(_("articles invoqués"), default=list, blank=True)
    pdf = models.FileField(upload_to="collections/formal_notices/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    tracking_number = models.CharField(_("numéro de suivi"), max_length=40, blank=True)
    sent_on = models.DateField(_("envoyée le"), null=True, blank=True)
    received_on = models.DateField(_("reçue le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("mise en demeure")
        verbose_name_plural = _("mises en demeure")
        constraints = [
            models.UniqueConstraint(fields=["seller", "number"], name="formal_notice_number"),
        ]

    def __str__(self) -> str:
        return str(_("Mise en demeure %(number)s") % {"number": self.number})


__all__ = ["DunningNotice", "DunningPlan", "DunningStep", "FormalNotice"]
