"""The client's standing when it pays late (seed 002 art. 6): the due dates brought forward
(« exigibilité immédiate de toute somme restant due ») and the suspensions for non-payment.

An issued invoice's document is frozen: an accelerated due date lives here, never in it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Acceleration(models.Model):
    """An open invoice not yet due made due at once because another invoice of the same client
    became late, under the terms' ``late.consequences`` clause (``all_sums_due``). Reverted
    (never deleted) when staff waive it."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey("customers.Client", on_delete=models.PROTECT, related_name="+")
    invoice = models.ForeignKey(
        "invoicing.Invoice", on_delete=models.PROTECT, related_name="accelerations"
    )
    caused_by = models.ForeignKey(
        "invoicing.Invoice", on_delete=models.PROTECT, related_name="accelerations_caused"
    )
    original_due_date = models.DateField(_("échéance d'origine"))
    new_due_date = models.DateField(_("échéance anticipée"))
    clause_cited = models.CharField(_("clause"), max_length=300, blank=True)
    explanation = models.JSONField(_("explication"), default=dict)
    created_at = models.DateTimeField(_("enregistrée le"))
    reverted = models.BooleanField(_("annulée"), default=False)
    reverted_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revert_reason = models.TextField(_("motif de l'annulation"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("exigibilité anticipée")
        verbose_name_plural = _("exigibilités anticipées")
        constraints = [
            # One standing acceleration per invoice: a second late invoice changes nothing.
            models.UniqueConstraint(
                fields=["invoice"],
                condition=models.Q(reverted=False),
                name="collections_one_standing_acceleration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} → {self.new_due_date:%d/%m/%Y}"


class Suspension(models.Model):
    """A client suspended for non-payment (seed 002 art. 6: work suspended, new orders
    deferred), from ``started_at`` until ``ended_at``; the client's record carries the state
    (``customers.Client.suspended_for_non_payment_since``) for the earlier stages."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(
        "customers.Client", on_delete=models.PROTECT, related_name="suspensions"
    )
    clause_cited = models.CharField(_("clause"), max_length=300)
    started_at = models.DateTimeField(_("suspendu le"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(_("levée le"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_reason = models.TextField(_("motif de la levée"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("suspension pour impayé")
        verbose_name_plural = _("suspensions pour impayé")
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=models.Q(ended_at__isnull=True),
                name="collections_one_open_suspension",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} ({self.started_at:%d/%m/%Y})"
