"""A client's card kept at the provider for merchant-initiated payments of its next invoices
(a Stripe customer and its PaymentMethod), saved with the client's consent on the portal's
pay page. Declared with the payments' models (:mod:`clausier.payments.models` imports it).

No card data is stored: the provider's references, the label the client recognises
("Visa •••• 4242") and the expiry. One active method per client and provider; a newer one
replaces the older (``revoked_at`` set, audited)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clausier.kernel.fields import Timestamped


class SavedPaymentMethod(Timestamped):
    """``consented_at`` / ``consent_version``: when the client ticked the box, and which text
    it read (``services.saved_cards.CONSENT_VERSION``). ``needs_client_at``: the issuer asked
    for the client's authentication on a charge: no charge until the client pays (and saves
    the card) again. ``revoked_at``: removed by the client or replaced by a newer card."""

    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.PROTECT, related_name="saved_payment_methods"
    )
    client = models.ForeignKey(
        "customers.Client", on_delete=models.PROTECT, related_name="saved_payment_methods"
    )
    provider = models.CharField(_("prestataire"), max_length=30)
    customer_reference = models.CharField(_("client chez le prestataire"), max_length=200)
    method_reference = models.CharField(_("moyen de paiement chez le prestataire"), max_length=200)
    label = models.CharField(_("carte"), max_length=100)
    exp_month = models.PositiveSmallIntegerField(_("mois d'expiration"), null=True, blank=True)
    exp_year = models.PositiveSmallIntegerField(_("année d'expiration"), null=True, blank=True)
    consented_at = models.DateTimeField(_("consentement donné le"))
    consent_version = models.CharField(_("version du texte de consentement"), max_length=20)
    needs_client_at = models.DateTimeField(_("authentification demandée le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("retiré le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("moyen de paiement enregistré")
        verbose_name_plural = _("moyens de paiement enregistrés")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "provider"],
                condition=Q(revoked_at__isnull=True),
                name="payments_one_active_saved_method",
            ),
        ]

    def __str__(self) -> str:
        return f"Carte {self.label}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def expiry(self) -> str:
        if not (self.exp_month and self.exp_year):
            return ""
        return f"{self.exp_month:02d}/{self.exp_year}"
