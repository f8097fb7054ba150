"""Support's data: tickets and their messages, attachments, clock pauses, SLA warnings, the
phone call log, time entries on excluded tickets and the seller's hourly rates. Data and
constraints only."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clausier.documents.glyphs import validate_single_line
from clausier.kernel.fields import Timestamped, user_link
from clausier.support import transitions as t


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    PHONE = "phone", _("téléphone")
    PORTAL = "portal", _("portail")
    API = "api", _("API")
    PROBE = "probe", _("sonde")


class Severity(models.TextChoices):
    STANDARD = "standard", _("standard")
    CRITICAL = "critical", _("critique")


class Kind(models.TextChoices):
    CORRECTIVE = "corrective", _("corrective")
    EVOLUTIVE = "evolutive", _("évolutive")


class TicketStatus(models.TextChoices):
    NEW = t.NEW, _("Nouveau")
    ACKNOWLEDGED = t.ACKNOWLEDGED, _("Pris en charge")
    IN_PROGRESS = t.IN_PROGRESS, _("En cours")
    WAITING_CLIENT = t.WAITING_CLIENT, _("En attente du client")
    RESOLVED = t.RESOLVED, _("Résolu")
    CLOSED = t.CLOSED, _("Clos")


class Ticket(Timestamped):
    """A client's request to support (seed 000 art. 9-10). ``reference`` (``T-2026-000123``)
    is its public name, the token an e-mail's subject quotes. The service levels it runs
    under are frozen at opening (``sla``: the policy of :mod:`clausier.rules.sla`, the business
    hours and their source clauses); the deadlines are computed from them on read."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="tickets")
    client = models.ForeignKey("customers.Client", on_delete=models.PROTECT, related_name="tickets")
    subscription = models.ForeignKey(
        "metering.Subscription",
        on_delete=models.PROTECT,
        related_name="tickets",
        null=True,
        blank=True,
        verbose_name=_("application"),
    )
    reference = models.CharField(_("référence"), max_length=30)
    subject = models.CharField(_("objet"), max_length=200, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    severity = models.CharField(
        _("gravité"), max_length=10, choices=Severity.choices, default=Severity.STANDARD
    )
    suggested_severity = models.CharField(
        _("gravité suggérée par le client"), max_length=10, choices=Severity.choices, blank=True
    )
    kind = models.CharField(
        _("nature"), max_length=12, choices=Kind.choices, default=Kind.CORRECTIVE
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=TicketStatus.choices, default=TicketStatus.NEW
    )
    opened_at = models.DateTimeField(_("ouvert le"))
    acknowledged_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("résolu le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)
    sla = models.JSONField(_("niveaux de service"), default=dict, blank=True)
    terms_label = models.CharField(_("version des CGV"), max_length=30, blank=True)
    email_confirmation_expected = models.BooleanField(
        _("confirmation par e-mail attendue"), default=False
    )
    confirmation_message = models.ForeignKey(
        "support.TicketMessage",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("e-mail de confirmation"),
    )
    # An exclusion of art. 9: its position in the clause's list (from 1), its words as the
    # clause stated them and the clause's article; no service level then.
    exclusion = models.PositiveSmallIntegerField(_("exclusion"), null=True, blank=True)
    exclusion_reason = models.TextField(_("motif d'exclusion"), blank=True)
    exclusion_source = models.CharField(_("source de l'exclusion"), max_length=60, blank=True)
    assigned_to = user_link(_("assigné à"))
    opened_by = user_link(_("ouvert par"))

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "reference"], name="support_ticket_reference"
            ),
        ]
        indexes = [
            models.Index(fields=["seller", "status"]),
            models.Index(fields=["client", "-opened_at"]),
        ]

    def __str__(self) -> str:
        return f"Ticket {self.reference}"

    @property
    def excluded(self) -> bool:
        return self.exclusion is not None

    @property
    def awaiting_email_confirmation(self) -> bool:
        return self.email_confirmation_expected and self.confirmation_message_id is None


class Author(models.TextChoices):
    CLIENT = "client", _("client")
    AGENT = "agent", _("support")


class TicketMessage(models.Model):
    """A message of a ticket, from the client or an agent. An e-mail keeps its
    ``Message-ID`` (``message_id_header``, once per seller) and the inbound message it was
    read from (``source_message_id``), for threading."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(_("auteur"), max_length=10, choices=Author.choices)
    written_by = user_link(_("écrit par"))
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("écrit le"))
    # NULL, not "": many messages have none, and the uniqueness holds only among those that do.
    message_id_header = models.CharField(  # noqa: DJ001
        _("Message-ID"), max_length=300, null=True, blank=True
    )
    source_message_id = models.BigIntegerField(_("e-mail reçu"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message de ticket")
        verbose_name_plural = _("messages de ticket")
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "message_id_header"],
                condition=Q(message_id_header__isnull=False),
                name="support_message_id_per_seller",
            ),
        ]

    def __str__(self) -> str:
        return f"Message {self.pk} ({self.ticket_id})"


class Attachment(models.Model):
    message = models.ForeignKey(TicketMessage, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("fichier"), upload_to="support/attachments/%Y/")
    name = models.CharField(_("nom"), max_length=200)
    size = models.PositiveIntegerField(_("taille"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self) -> str:
        return self.name


class PauseReason(models.TextChoices):
    WAITING_CLIENT = "waiting_client", _("en attente du client")
    FORCE_MAJEURE = "force_majeure", _("force majeure")


class ClockPause(models.Model):
    """A span during which the ticket's clocks stop; ``end`` empty while it runs."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="pauses")
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"), null=True, blank=True)
    reason = models.CharField(_("motif"), max_length=20, choices=PauseReason.choices)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("pause de l'horloge")
        verbose_name_plural = _("pauses de l'horloge")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"], condition=Q(end__isnull=True), name="support_one_open_pause"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="support_pause_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Pause {self.pk} ({self.ticket_id})"


class Target(models.TextChoices):
    INTERVENTION = "intervention", _("intervention (GTI)")
    REPAIR = "repair", _("réparation (GTR)")


class SlaWarning(models.Model):
    """A ticket's clock reached 50, 80 or 100 % of a target: recorded (and mailed) once."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="warnings")
    target = models.CharField(_("garantie"), max_length=12, choices=Target.choices)
    level = models.PositiveSmallIntegerField(_("seuil (%)"))
    at = models.DateTimeField(_("constaté le"))
    sent_to = models.JSONField(_("envoyé à"), default=list, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("alerte de niveau de service")
        verbose_name_plural = _("alertes de niveau de service")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "target", "level"], name="support_warning_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.level} % ({self.ticket_id})"


class PhoneCall(models.Model):
    """A call to the support line: who, when, which agent took it, what was said."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey(
        Ticket, on_delete=models.PROTECT, related_name="calls", null=True, blank=True
    )
    number = models.CharField(_("numéro"), max_length=40, validators=[validate_single_line])
    called_at = models.DateTimeField(_("appel le"))
    agent = user_link(_("agent"))
    summary = models.TextField(_("résumé"))

    class Meta:
        ordering = ["-called_at", "-id"]
        verbose_name = _("appel")
        verbose_name_plural = _("appels")

    def __str__(self) -> str:
        return f"Appel {self.number}"


class TimeEntry(models.Model):
    """Time spent on an excluded ticket, billable at the hourly rate in force on the day of
    the intervention (seed 000 art. 9), frozen with its source."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="time_entries")
    agent = user_link(_("agent"))
    started = models.DateTimeField(_("début"))
    minutes = models.PositiveIntegerField(_("minutes"))
    description = models.CharField(
        _("description"), max_length=200, validators=[validate_single_line]
    )
    hourly_rate_ht = models.DecimalField(_("taux horaire HT"), max_digits=12, decimal_places=2)
    rate_source = models.CharField(_("source du taux"), max_length=200)
    amount_ht = models.DecimalField(_("montant HT"), max_digits=14, decimal_places=2)
    billed_at = models.DateTimeField(_("facturé le"), null=True, blank=True)

    class Meta:
        ordering = ["started", "id"]
        verbose_name = _("temps passé")
        verbose_name_plural = _("temps passés")
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="support_time_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} min ({self.ticket_id})"


class HourlyRate(models.Model):
    """The seller's hourly rate for support outside the service levels, from a date: the
    terms say "au tarif en vigueur à la date d'intervention" (seed 000 art. 9) without a
    figure, so the seller states it with its source (its price list)."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="+")
    effective_from = models.DateField(_("en vigueur à partir du"))
    amount_ht = models.DecimalField(_("taux horaire HT"), max_digits=12, decimal_places=2)
    source = models.CharField(_("source"), max_length=200, validators=[validate_single_line])

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("taux horaire du support")
        verbose_name_plural = _("taux horaires du support")
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "effective_from"], name="support_rate_per_day"
            ),
            models.CheckConstraint(condition=Q(amount_ht__gt=0), name="support_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount_ht} € HT/h ({self.effective_from})"


class SlaPenalty(models.Model):
    """The credit a breached service level owes the client (seed 000 art. 10.1.4): the
    severity's rate times the mean of the client's monthly consumption HT over the months
    the clause names, once per ticket, with its explanation (the clocks, the months, the
    mean, the rate). Invoicing issues the credit note (``SlaPenaltyAssessed``)."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey("customers.Client", on_delete=models.PROTECT, related_name="+")
    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, related_name="penalty")
    severity = models.CharField(_("gravité"), max_length=10, choices=Severity.choices)
    targets = models.JSONField(_("garanties dépassées"), default=list)
    rate = models.DecimalField(_("taux"), max_digits=5, decimal_places=4)
    months = models.JSONField(_("mois de consommation"), default=dict)
    mean_ht = models.DecimalField(_("moyenne HT"), max_digits=14, decimal_places=2)
    cap_ht = models.DecimalField(_("plafond HT"), max_digits=14, decimal_places=2, null=True)
    amount_ht = models.DecimalField(_("pénalité HT"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=60, blank=True)
    explanation = models.JSONField(_("calcul"), default=dict)
    assessed_at = models.DateTimeField(_("constatée le"))

    class Meta:
        ordering = ["-assessed_at", "-id"]
        verbose_name = _("pénalité de niveau de service")
        verbose_name_plural = _("pénalités de niveau de service")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_ht__gte=0), name="support_penalty_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount_ht} € HT ({self.ticket_id})"


class OnCallShift(models.Model):
    """The on-call rota's weekly schedule (seed 000 art. 10.3: "l'astreinte durant les heures
    non ouvrées"): who answers on a weekday (Monday 0) outside business hours, and the backup
    a page escalates to when not acknowledged in time."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="+")
    weekday = models.PositiveSmallIntegerField(_("jour de la semaine"))
    engineer = user_link(_("ingénieur d'astreinte"))
    backup = user_link(_("recours"))

    class Meta:
        ordering = ["weekday"]
        verbose_name = _("astreinte hebdomadaire")
        verbose_name_plural = _("astreintes hebdomadaires")
        constraints = [
            models.UniqueConstraint(fields=["seller", "weekday"], name="support_shift_per_day"),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="support_shift_weekday"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.weekday}: {self.engineer_id}"


class OnCallOverride(models.Model):
    """An exception to the weekly schedule: ``engineer`` on call from ``start`` to ``end``."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    engineer = user_link(_("ingénieur d'astreinte"))
    backup = user_link(_("recours"))

    class Meta:
        ordering = ["-start"]
        verbose_name = _("remplacement d'astreinte")
        verbose_name_plural = _("remplacements d'astreinte")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="support_override_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start} → {self.end}"


class OnCallPage(models.Model):
    """A critical ticket outside business hours paged to the on-call engineer (once per
    ticket), escalated to the backup when not acknowledged in time."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="+")
    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="page")
    engineer = user_link(_("ingénieur d'astreinte"))
    paged_at = models.DateTimeField(_("appelé le"))
    acknowledge_by = models.DateTimeField(_("accusé attendu avant"))
    acknowledged_at = models.DateTimeField(_("accusé le"), null=True, blank=True)
    escalated_to = user_link(_("escaladé à"))
    escalated_at = models.DateTimeField(_("escaladé le"), null=True, blank=True)

    class Meta:
        ordering = ["-paged_at"]
        verbose_name = _("appel d'astreinte")
        verbose_name_plural = _("appels d'astreinte")

    def __str__(self) -> str:
        return f"Page {self.ticket_id}"
