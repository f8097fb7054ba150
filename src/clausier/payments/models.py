"""Payments received from clients, what they pay (allocations to invoices), and refunds.

What a payment leaves after its allocations and refunds is the client's credit
(:func:`clausier.payments.selectors.unallocated`): usable on a later invoice or refunded.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clausier.documents.glyphs import validate_single_line
from clausier.kernel.fields import Timestamped, optional_link, user_link
from clausier.payments import transitions as t
from clausier.payments.saved_models import SavedPaymentMethod  # noqa: F401 (the app's models)
from clausier.payments.statement_models import (  # noqa: F401 (the app's models)
    BankCsvMapping,
    BankStatement,
    BankStatementLine,
)


class Method(models.TextChoices):
    CARD = "card", _("Carte bancaire")
    PAYPAL = "paypal", _("PayPal")
    TRANSFER = "transfer", _("Virement")
    CHEQUE = "cheque", _("Chèque")


class PaymentStatus(models.TextChoices):
    PENDING = t.PENDING, _("En attente")
    SUCCEEDED = t.SUCCEEDED, _("Reçu")
    FAILED = t.FAILED, _("Échoué")
    CANCELLED = t.CANCELLED, _("Annulé")
    PARTIALLY_REFUNDED = t.PARTIALLY_REFUNDED, _("Remboursé en partie")
    REFUNDED = t.REFUNDED, _("Remboursé")


class Payment(Timestamped):
    """Money a client paid (or tried to pay) a seller, in euros.

    ``received_on``: the day the seller received it (the cheque in hand, the transfer on
    the statement, the provider's confirmation); ``cashed_on``: the day a cheque was cashed;
    ``value_date``: a transfer's value date. ``settled_on`` is the day the money became the
    seller's (cashed, value date, or received online): what an invoice's "payée le" says.
    ``provider`` and ``provider_reference`` identify an online payment at its provider:
    one payment per reference and provider, whatever the number of times it is reported.
    """

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="payments")
    client = models.ForeignKey(
        "customers.Client", on_delete=models.PROTECT, related_name="payments"
    )
    order = optional_link("orders.Order", _("commande"), related_name="payments")
    # The invoice an online payment was opened for from the portal ("Payer"): one open
    # checkout per invoice, so that a second click never leads to a second charge.
    checkout_invoice = optional_link(
        "invoicing.Invoice", _("facture payée en ligne"), related_name="checkouts"
    )
    method = models.CharField(_("moyen de paiement"), max_length=20, choices=Method.choices)
    status = models.CharField(
        _("statut"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    amount = models.DecimalField(_("montant"), max_digits=14, decimal_places=2)
    received_on = models.DateField(_("reçu le"), null=True, blank=True)
    received_at = models.DateTimeField(_("reçu à"), null=True, blank=True)
    cashed_on = models.DateField(_("encaissé le"), null=True, blank=True)
    value_date = models.DateField(_("date de valeur"), null=True, blank=True)
    settled_on = models.DateField(_("acquis le"), null=True, blank=True)
    cheque_number = models.CharField(
        _("numéro du chèque"), max_length=40, blank=True, validators=[validate_single_line]
    )
    cheque_bank = models.CharField(
        _("banque du chèque"), max_length=100, blank=True, validators=[validate_single_line]
    )
    transfer_reference = models.CharField(
        _("référence du virement"), max_length=140, blank=True, validators=[validate_single_line]
    )
    provider = models.CharField(_("prestataire"), max_length=30, blank=True)
    provider_reference = models.CharField(
        _("référence chez le prestataire"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
    )
    failure_reason = models.TextField(_("motif de l'échec"), blank=True)
    # The client's saved card an invoice was charged with (a merchant-initiated payment).
    saved_method = optional_link(
        "payments.SavedPaymentMethod", _("carte enregistrée"), related_name="charges"
    )
    # The saved card's charge: how many times it was sent to Stripe, the last time (a charge
    # stuck pending is sent again, with the same idempotency key, a bounded number of times).
    charge_attempts = models.PositiveSmallIntegerField(_("essais de prélèvement"), default=0)
    charge_attempted_at = models.DateTimeField(
        _("dernier essai de prélèvement"), null=True, blank=True
    )
    refunded_amount = models.DecimalField(
        _("montant remboursé"), max_digits=14, decimal_places=2, default=0
    )
    recorded_by = user_link(_("enregistré par"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        constraints = [
            # The same provider's payment is one payment, however often it is reported.
            models.UniqueConstraint(
                fields=["seller", "provider", "provider_reference"],
                condition=~Q(provider_reference=""),
                name="payments_one_payment_per_provider_reference",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["seller", "status", "-created_at"]),
            models.Index(fields=["client", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"Paiement n° {self.pk} ({self.amount} €)"

    @property
    def is_settled(self) -> bool:
        return self.status in t.SETTLED


class Allocation(models.Model):
    """``amount`` of a payment paying an invoice: a payment may pay several invoices, an
    invoice be paid by several payments."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    invoice = models.ForeignKey(
        "invoicing.Invoice", on_delete=models.PROTECT, related_name="allocations"
    )
    amount = models.DecimalField(_("montant"), max_digits=14, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = user_link(_("affecté par"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("affectation")
        verbose_name_plural = _("affectations")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_allocation_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} € du paiement n° {self.payment_id}"


class RefundStatus(models.TextChoices):
    OWED = t.OWED, _("À rembourser")
    SENT = t.SENT, _("Envoyé")
    SETTLED = t.REFUND_SETTLED, _("Remboursé")
    FAILED = t.REFUND_FAILED, _("Refusé par le prestataire")


class Refund(Timestamped):
    """Money owed back to a client: what a credit note cancelled of a paid invoice
    (``credit_note``, ``invoice``), client credit given back, or a payment an order could not
    take. ``payment``: the payment it gives back, when there is one.

    A card or PayPal refund goes through the provider: ``provider_reference`` is the
    provider's refund (Stripe's ``re_...``, PayPal's refund id), ``failure_reason`` what the
    provider answered when it refused, ``attempts`` the refusals so far (the idempotency key
    of the next call, :func:`clausier.payments.services.refunds.idempotency_key`). A refund by
    transfer is paid to ``creditor_iban`` (the client's account, typed by staff: clients keep
    no bank details) in a SEPA credit transfer file (``transfer_batch``)."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="refunds")
    client = models.ForeignKey("customers.Client", on_delete=models.PROTECT, related_name="refunds")
    payment = optional_link(Payment, _("paiement"), related_name="refunds")
    invoice = optional_link("invoicing.Invoice", _("facture"), related_name="refunds")
    credit_note = optional_link("invoicing.Invoice", _("avoir"), related_name="credit_refunds")
    amount = models.DecimalField(_("montant"), max_digits=14, decimal_places=2)
    method = models.CharField(_("moyen"), max_length=20, choices=Method.choices)
    status = models.CharField(
        _("statut"), max_length=20, choices=RefundStatus.choices, default=RefundStatus.OWED
    )
    reason = models.TextField(_("motif"))
    reference = models.CharField(
        _("référence"), max_length=140, blank=True, validators=[validate_single_line]
    )
    sent_on = models.DateField(_("envoyé le"), null=True, blank=True)
    settled_on = models.DateField(_("remboursé le"), null=True, blank=True)
    provider_reference = models.CharField(
        _("référence du remboursement chez le prestataire"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
    )
    failure_reason = models.TextField(_("motif du refus"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("refus du prestataire"), default=0)
    creditor_name = models.CharField(
        _("titulaire du compte"), max_length=70, blank=True, validators=[validate_single_line]
    )
    creditor_iban = models.CharField(
        _("IBAN du client"), max_length=34, blank=True, validators=[validate_single_line]
    )
    creditor_bic = models.CharField(
        _("BIC du client"), max_length=11, blank=True, validators=[validate_single_line]
    )
    transfer_batch = optional_link(
        "payments.TransferBatch", _("ordre de virement"), related_name="refunds"
    )
    created_by = user_link(_("créé par"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("remboursement")
        verbose_name_plural = _("remboursements")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_refund_positive"),
            # A credit note gives one refund.
            models.UniqueConstraint(
                fields=["credit_note", "payment"],
                condition=Q(credit_note__isnull=False),
                name="payments_one_refund_per_credit_note_and_payment",
            ),
            # A provider's refund is recorded once.
            models.UniqueConstraint(
                fields=["seller", "provider_reference"],
                condition=~Q(provider_reference=""),
                name="payments_one_refund_per_provider_reference",
            ),
        ]
        indexes = [models.Index(fields=["seller", "status"])]

    def __str__(self) -> str:
        return f"Remboursement n° {self.pk} ({self.amount} €)"


class ProviderEvent(models.Model):
    """A webhook event a provider delivered, kept so that each is processed exactly once.

    ``(provider, event_id)`` is unique: a delivery of an event already stored (a retry, a
    replay, the same event sent twice at once) finds its row and changes nothing. Stored and
    processed in one transaction: an event whose processing failed for a passing reason (the
    database, the provider unreachable) is not kept, and the provider's retry processes it.
    ``outcome`` says what the processing did (``applied``, ``ignored: ...``,
    ``refused: ...``); ``payment`` is the payment it concerned, when known."""

    provider = models.CharField(_("prestataire"), max_length=30)
    event_id = models.CharField(_("identifiant de l'événement"), max_length=255)
    event_type = models.CharField(_("type"), max_length=100)
    kind = models.CharField(_("nature"), max_length=30)
    payload_digest = models.CharField(_("empreinte SHA-256 du contenu"), max_length=64)
    checkout_reference = models.CharField(_("session ou commande"), max_length=200, blank=True)
    payment_reference = models.CharField(_("référence du paiement"), max_length=200, blank=True)
    payment = optional_link(Payment, _("paiement"), related_name="provider_events")
    received_at = models.DateTimeField(_("reçu à"))
    processed_at = models.DateTimeField(_("traité à"), null=True, blank=True)
    outcome = models.TextField(_("résultat"), blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("événement de prestataire")
        verbose_name_plural = _("événements de prestataire")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"], name="payments_one_provider_event"
            ),
        ]
        indexes = [models.Index(fields=["provider", "payment_reference"])]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id} ({self.event_type})"


class TransferBatch(Timestamped):
    """A SEPA credit transfer file (pain.001) paying refunds from the seller's account,
    handed to the bank: ``message_id`` is its ``MsgId`` (unique per seller), ``file`` the
    bytes handed over (downloadable again, ``sha256``)."""

    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.PROTECT, related_name="transfer_batches"
    )
    message_id = models.CharField(_("identifiant du message"), max_length=35)
    execution_date = models.DateField(_("date d'exécution"))
    debtor_iban = models.CharField(_("IBAN débité"), max_length=34)
    count = models.PositiveIntegerField(_("nombre de virements"))
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    file = models.FileField(_("fichier"), upload_to="payments/transfers/")
    sha256 = models.CharField(max_length=64)
    created_by = user_link(_("créé par"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ordre de virement")
        verbose_name_plural = _("ordres de virement")
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "message_id"], name="payments_one_batch_per_message_id"
            ),
        ]

    def __str__(self) -> str:
        return f"Ordre de virement {self.message_id}"


class ChequeRemittance(Timestamped):
    """A cheque remittance slip (bordereau de remise de chèques): the cheques received that
    the seller hands to its bank together, under ``number``, to be credited on the account
    ``account_iban``. ``pdf`` is the slip printed (``sha256``)."""

    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.PROTECT, related_name="cheque_remittances"
    )
    number = models.CharField(_("numéro"), max_length=30)
    remitted_on = models.DateField(_("remis le"))
    account_iban = models.CharField(_("IBAN crédité"), max_length=34)
    count = models.PositiveIntegerField(_("nombre de chèques"))
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    pdf = models.FileField(_("PDF"), upload_to="payments/remittances/")
    sha256 = models.CharField(max_length=64)
    created_by = user_link(_("créé par"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("remise de chèques")
        verbose_name_plural = _("remises de chèques")
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "number"], name="payments_one_remittance_per_number"
            ),
        ]

    def __str__(self) -> str:
        return f"Remise de chèques {self.number}"


class RemittedCheque(models.Model):
    """A cheque (a payment by cheque) in a remittance: each cheque is remitted once."""

    remittance = models.ForeignKey(
        ChequeRemittance, on_delete=models.PROTECT, related_name="cheques"
    )
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="remitted")

    class Meta:
        ordering = ["id"]
        verbose_name = _("chèque remis")
        verbose_name_plural = _("chèques remis")

    def __str__(self) -> str:
        return f"Chèque du paiement n° {self.payment_id}"
