from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clausier.documents.glyphs import validate_single_line
from clausier.kernel.fields import Timestamped, user_link
from clausier.withdrawal import transitions as t


class Channel(models.TextChoices):
    PORTAL = "portal", _("formulaire du portail")
    EMAIL = "email", _("e-mail")
    POST = "post", _("courrier")


class WithdrawalStatus(models.TextChoices):
    RECEIVED = t.RECEIVED, _("Reçue")
    ACCEPTED = t.ACCEPTED, _("Acceptée")
    REFUSED = t.REFUSED, _("Refusée")


class Reason(models.TextChoices):
    IN_TIME = t.IN_TIME, _("dans le délai")
    EARLY_START = t.EARLY_START, _("dans le délai, service commencé à la demande du client")
    LATE = t.LATE, _("hors délai")
    FULLY_PERFORMED = t.FULLY_PERFORMED, _("service pleinement exécuté (L221-28 1°)")


class RefundStatus(models.TextChoices):
    NONE = t.NONE, _("Aucun")
    OWED = t.OWED, _("À rembourser")
    SENT = t.SENT, _("Envoyé")
    SETTLED = t.SETTLED, _("Remboursé")


class WithdrawalRequest(Timestamped):
    """A consumer's withdrawal from an online order (C. conso. L221-18 to L221-28), decided
        when received and frozen with its reasons: the period's end and its explanation (the
        terms' period replaced by the law's when shorter), the amount owed for a service started
        at the consumer's express request (L221-25), the refund of the rest of the sums received
        and its deadline (L221-24), whose progress is payments' refunds of the order (read by the
    selectors, never kept here). ``received_on``: the day the seller received it (the portal's
        day, or the date of the e-mail or letter staff register)."""

    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.PROTECT, related_name="withdrawals"
    )
    client = models.ForeignKey(
        "customers.Client", on_delete=models.PROTECT, related_name="withdrawals"
    )
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="withdrawals")
    order_reference = models.CharField(_("commande"), max_length=40)
    channel = models.CharField(_("reçue par"), max_length=10, choices=Channel.choices)
    received_on = models.DateField(_("reçue le"))
    consumer_name = models.CharField(
        _("nom du consommateur"), max_length=200, validators=[validate_single_line]
    )
    consumer_address = models.TextField(_("adresse du consommateur"), blank=True)
    statement = models.TextField(_("déclaration du consommateur"))
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=WithdrawalStatus.choices,
        default=WithdrawalStatus.RECEIVED,
    )
    reason_code = models.CharField(_("motif"), max_length=20, choices=Reason.choices)
    # The decision's sentences (``Words.as_dict()``), worded again in the reader's language.
    reason = models.JSONField(_("motif de la décision"), default=list)
    period_end = models.DateField(_("fin du délai de rétractation"))
    period_explanation = models.JSONField(_("calcul du délai de rétractation"), default=dict)
    amount_owed = models.DecimalField(
        _("montant dû par le consommateur"), max_digits=14, decimal_places=2, default=0
    )
    amount_explanation = models.JSONField(_("calcul du montant dû"), default=dict, blank=True)
    received_total = models.DecimalField(
        _("sommes reçues"), max_digits=14, decimal_places=2, default=0
    )
    refund_amount = models.DecimalField(
        _("remboursement dû"), max_digits=14, decimal_places=2, default=0
    )
    refund_due_on = models.DateField(_("rembourser au plus tard le"), null=True, blank=True)
    refund_explanation = models.JSONField(_("calcul du délai de remboursement"), default=dict)
    language = models.CharField(_("langue de l'accusé de réception"), max_length=5, default="fr")
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(
        _("accusé de réception envoyé le"), null=True, blank=True
    )
    acknowledgement_message_id = models.CharField(
        _("Message-ID de l'accusé de réception"), max_length=300, blank=True
    )
    acknowledgement_sha256 = models.CharField(
        _("empreinte du PDF de l'accusé de réception"), max_length=64, blank=True
    )
    created_by = user_link(_("enregistrée par"))

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("rétractation")
        verbose_name_plural = _("rétractations")
        indexes = [
            models.Index(fields=["seller", "refund_due_on"]),
            models.Index(fields=["client", "-received_on"]),
        ]
        constraints = [
            # A contract is withdrawn from once.
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status=t.ACCEPTED),
                name="withdrawal_one_accepted_per_order",
            ),
            models.CheckConstraint(
                condition=Q(amount_owed__gte=0, refund_amount__gte=0, received_total__gte=0),
                name="withdrawal_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Rétractation n° {self.pk} ({self.order_reference})"

    def get_refund_status_display(self) -> str:
        """The refund's state as :mod:`withdrawal.selectors` read it from payments' refunds
        (``refund_status``, annotated), worded."""
        return str(RefundStatus(getattr(self, "refund_status", t.NONE)).label)
