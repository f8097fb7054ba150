"""Collections' data: what each late invoice has accrued (interest and indemnity to date,
with the explanation frozen as computed), the waivers staff granted on it, and the penalty
invoices that billed it (each for the days since the previous one, never twice)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0.00")


class LateStatus(models.TextChoices):
    ACCRUING = "accruing", _("En cours")
    BILLED = "billed", _("Pénalités facturées")
    WAIVED = "waived", _("Pénalités abandonnées")


class WaivedItem(models.TextChoices):
    INTEREST = "interest", _("Intérêts de retard")
    INDEMNITY = "indemnity", _("Indemnité forfaitaire")


class LateInvoice(models.Model):
    """An issued invoice paid (or still unpaid) after its due date, and what its lateness
    costs to date: kept by :func:`clausier.collections.services.update_accrual`."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="+")
    invoice = models.OneToOneField(
        "invoicing.Invoice", on_delete=models.PROTECT, related_name="late_record"
    )
    status = models.CharField(
        _("état"), max_length=12, choices=LateStatus.choices, default=LateStatus.ACCRUING
    )
    due_date = models.DateField(_("échéance en vigueur"))
    accrued_on = models.DateField(_("calculé au"))
    days_late = models.PositiveIntegerField(_("jours de retard"), default=0)
    base_ht = models.DecimalField(_("base HT"), max_digits=14, decimal_places=2, default=ZERO)
    # The base the interest ran on from the due date, as computed, and its kind (HT or TTC).
    base = models.DecimalField(
        _("base des intérêts"), max_digits=14, decimal_places=2, default=ZERO
    )
    base_kind = models.CharField(_("nature de la base"), max_length=3, blank=True)
    annual_rate = models.DecimalField(
        _("taux annuel"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    interest = models.DecimalField(
        _("intérêts de retard"), max_digits=14, decimal_places=2, default=ZERO
    )
    indemnity = models.DecimalField(
        _("indemnité forfaitaire"), max_digits=14, decimal_places=2, default=ZERO
    )
    paid_in_full = models.BooleanField(_("payée en totalité"), default=False)
    # The Explained of the penalties (``PenaltiesOwed.explanation.as_dict()``), as computed.
    explanation = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["seller", "due_date", "id"]
        verbose_name = _("facture en retard")
        verbose_name_plural = _("factures en retard")
        indexes = [models.Index(fields=["seller", "status"])]

    def __str__(self) -> str:
        return f"{self.invoice} ({self.days_late} j)"


class Waiver(models.Model):
    """Staff gave up all or part of the interest or the indemnity of a late invoice, with a
    reason. Recorded once, never changed."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="+")
    late_invoice = models.ForeignKey(LateInvoice, on_delete=models.PROTECT, related_name="waivers")
    item = models.CharField(_("sur"), max_length=10, choices=WaivedItem.choices)
    full = models.BooleanField(_("renonciation totale"), default=False)
    # The amount given up; for a full waiver, what was accrued when it was granted (the item
    # is then never billed, whatever it grows to).
    amount = models.DecimalField(_("montant"), max_digits=14, decimal_places=2)
    reason = models.TextField(_("motif"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("le"))

    class Meta:
        ordering = ["late_invoice", "created_at", "id"]
        verbose_name = _("renonciation")
        verbose_name_plural = _("renonciations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="collections_waiver_amount_non_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()} : {self.amount}"


class PenaltyBilling(models.Model):
    """The penalties of a late invoice billed for a period: the interest run from
    ``period_from`` to ``period_to`` (the days after the previous billing), the indemnity with
    the first billing only, the lines asked (frozen), and the penalty invoice invoicing
    issued for them. Billed on demand before payment as often as staff ask, never twice the
    same day; ``final`` when the invoice was paid in full (then nothing more runs)."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="+")
    late_invoice = models.ForeignKey(LateInvoice, on_delete=models.PROTECT, related_name="billings")
    period_from = models.DateField(_("du"))
    period_to = models.DateField(_("au"))
    final = models.BooleanField(_("facturation finale"), default=False)
    interest = models.DecimalField(max_digits=14, decimal_places=2)
    indemnity = models.DecimalField(max_digits=14, decimal_places=2)
    lines = models.JSONField(default=list)
    penalty_invoice = models.OneToOneField(
        "invoicing.Invoice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="penalty_of",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["late_invoice", "period_to", "id"]
        verbose_name = _("facturation de pénalités")
        verbose_name_plural = _("facturations de pénalités")
        constraints = [
            # Never the same day twice: each billing ends on a day of its own.
            models.UniqueConstraint(
                fields=["late_invoice", "period_to"], name="collections_billing_once_a_day"
            ),
            models.UniqueConstraint(
                fields=["late_invoice"],
                condition=models.Q(final=True),
                name="collections_one_final_billing",
            ),
            models.CheckConstraint(
                condition=models.Q(period_to__gte=models.F("period_from")),
                name="collections_billing_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.late_invoice.invoice} → {self.penalty_invoice}"


class PenaltyInvoicing(models.TextChoices):
    AUTOMATIC = "automatic", _("Automatique : dès que la facture en retard est payée")
    ON_DEMAND = "on_demand", _("À la demande : le personnel facture les pénalités")


class PenaltySettings(models.Model):
    """How a seller bills its late invoices' penalties: a penalty invoice issued by itself
    when a late invoice is paid in full (the default), or only when staff ask."""

    seller = models.OneToOneField(
        "sellers.Seller", on_delete=models.CASCADE, related_name="penalty_settings"
    )
    invoicing = models.CharField(
        _("facture de pénalités"),
        max_length=12,
        choices=PenaltyInvoicing.choices,
        default=PenaltyInvoicing.AUTOMATIC,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("réglage des pénalités")
        verbose_name_plural = _("réglages des pénalités")

    def __str__(self) -> str:
        return f"{self.seller} : {self.get_invoicing_display()}"


# The models of each topic, in modules of their own, registered with the app here.
from clausier.collections.dunning_models import (  # noqa: E402, F401
    DunningNotice,
    DunningPlan,
    DunningStep,
    FormalNotice,
    NoticeStatus,
    StepKind,
)
from clausier.collections.standing_models import Acceleration, Suspension  # noqa: E402, F401
