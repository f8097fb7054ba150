from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clausier.catalog.units import Unit
from clausier.documents.glyphs import validate_single_line
from clausier.kernel.fields import optional_link, user_link
from clausier.orders import domain
from clausier.orders import transitions as t


class OrderStatus(models.TextChoices):
    # Agency flow (an accepted quote).
    AWAITING_DEPOSIT = t.AWAITING_DEPOSIT, _("En attente d'acompte")
    READY = t.READY, _("Prête à démarrer")
    IN_PROGRESS = t.IN_PROGRESS, _("Travaux en cours")
    # Online flow (PaaS host).
    DRAFT = t.DRAFT, _("Récapitulatif à confirmer")
    CONFIRMED = t.CONFIRMED, _("Confirmée")
    AWAITING_PAYMENT = t.AWAITING_PAYMENT, _("En attente de paiement")
    PAID = t.PAID, _("Payée")
    ACTIVE = t.ACTIVE, _("Service actif")
    # Both.
    COMPLETED = t.COMPLETED, _("Terminée")
    CANCELLED = t.CANCELLED, _("Annulée")
    WITHDRAWN = t.WITHDRAWN, _("Rétractée")


class Order(models.Model):
    """A firm order: an accepted quote (``quote`` set, its number as ``reference``) or an
    online order of the PaaS host (seed 000, art. 4), born as an editable recap (``draft``)
    and frozen at confirmation. Lines, totals and terms are copied from what the client
    accepted and never change once it is confirmed."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="orders")
    client = models.ForeignKey("customers.Client", on_delete=models.PROTECT, related_name="orders")
    quote = optional_link(
        "quotes.Quote", _("devis"), related_name="order", field=models.OneToOneField
    )
    reference = models.CharField(_("référence"), max_length=40)
    status = models.CharField(_("statut"), max_length=20, choices=OrderStatus.choices)
    nature = models.TextField(_("nature des prestations"), blank=True)
    terms_version = models.ForeignKey(
        "terms.TermsVersion", on_delete=models.PROTECT, related_name="orders"
    )
    terms_label = models.CharField(_("version des CGV"), max_length=30)
    payment_terms = models.JSONField(_("modalités de paiement"), default=dict, blank=True)
    vat_regime = models.CharField(_("régime de TVA"), max_length=20)
    vat_mention = models.CharField(_("mention TVA"), max_length=200, blank=True)
    total_ht = models.DecimalField(_("total HT"), max_digits=14, decimal_places=2)
    total_vat = models.DecimalField(_("total TVA"), max_digits=14, decimal_places=2)
    total_ttc = models.DecimalField(_("total TTC"), max_digits=14, decimal_places=2)
    totals_explanation = models.JSONField(_("détail des totaux"), default=dict, blank=True)
    ordered_at = models.DateTimeField(_("commandée le"))
    started_at = models.DateTimeField(_("travaux commencés le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    cancellation_reason = models.TextField(_("motif d'annulation"), blank=True)
    # The day the seller received the consumer's withdrawal (C. conso. L221-18), once accepted.
    withdrawn_on = models.DateField(_("rétractée le"), null=True, blank=True)
    # Online orders (seed 000, art. 4-8). What the client declared in the recap: billing
    # identity, address, VAT number; copied from the client record, corrected in the recap.
    declared = models.JSONField(_("données déclarées"), default=dict, blank=True)
    terms_sha256 = models.CharField(_("empreinte des CGV"), max_length=64, blank=True)
    # The clauses the order runs by (flow, payment, execution, withdrawal), by clause id,
    # copied from ``terms_version`` at confirmation.
    clauses = models.JSONField(_("clauses figées"), default=dict, blank=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    # The contract is concluded when the seller validates the confirmed order (automatically
    # for the PaaS host): the consumer's withdrawal period runs from here (C. conso. L221-18).
    concluded_at = models.DateTimeField(_("contrat conclu le"), null=True, blank=True)
    express_start = models.BooleanField(
        _("exécution avant la fin du délai de rétractation demandée"), default=False
    )
    express_start_text = models.TextField(_("texte accepté (exécution anticipée)"), blank=True)
    express_start_at = models.DateTimeField(
        _("exécution anticipée demandée le"), null=True, blank=True
    )
    paid_at = models.DateTimeField(_("paiement reçu le"), null=True, blank=True)
    payment_provider = models.CharField(_("prestataire de paiement"), max_length=30, blank=True)
    payment_reference = models.CharField(
        _("référence du paiement"), max_length=200, blank=True, validators=[validate_single_line]
    )
    payment_amount = models.DecimalField(
        _("montant reçu"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    payment_failed_at = models.DateTimeField(_("paiement refusé le"), null=True, blank=True)
    execution_deadline = models.DateField(_("exécution au plus tard le"), null=True, blank=True)
    # Seed 002 art. 4: paying the whole of the fees is the final acceptance of the services.
    accepted_on = models.DateField(_("réception définitive le"), null=True, blank=True)
    execution_deadline_explanation = models.JSONField(
        _("calcul du délai d'exécution"), default=dict, blank=True
    )
    created_by = user_link(_("créée par"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-ordered_at", "-id"]
        verbose_name = _("commande")
        verbose_name_plural = _("commandes")
        indexes = [
            models.Index(fields=["seller", "status"]),
            models.Index(fields=["client", "-ordered_at"]),
            models.Index(fields=["seller", "status", "execution_deadline"]),
        ]
        constraints = [
            # A provider's payment settles one order only.
            models.UniqueConstraint(
                fields=["seller", "payment_provider", "payment_reference"],
                condition=~models.Q(payment_reference=""),
                name="orders_one_order_per_payment",
            ),
        ]

    def __str__(self) -> str:
        return f"Commande {self.reference}"

    @property
    def execution_facts(self) -> domain.ExecutionFacts | None:
        """The execution deadline of a paid online order and where it comes from."""
        explanation = self.execution_deadline_explanation or {}
        if self.execution_deadline is None or not explanation:
            return None
        return domain.ExecutionFacts(
            deadline=self.execution_deadline,
            paid_on=date.fromisoformat(explanation["inputs"]["start"]),
            why=domain.stored_why(explanation),
            clause_id=explanation.get("clause", ""),
            article=explanation.get("article", ""),
            terms_label=explanation.get("terms", self.terms_label),
        )

    @property
    def waiting_reason(self):
        """Where the order stands and why (:class:`clausier.orders.domain.WaitingReason`)."""
        deposit = getattr(self, "deposit", None)
        return domain.waiting_reason(
            status=self.status,
            terms_label=self.terms_label,
            started_at=timezone.localtime(self.started_at) if self.started_at else None,
            execution=self.execution_facts,
            deposit=None if deposit is None else deposit.facts,
        )


class OrderLine(models.Model):
    """A line of an order: copied from the accepted quote, or priced from the catalog for an
    online order (product code, label, unit, prices and the price version they come from)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    product_code = models.CharField(
        _("code produit"), max_length=60, blank=True, validators=[validate_single_line]
    )
    description = models.TextField(_("désignation"))
    quantity = models.DecimalField(_("quantité"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unité"), max_length=10, choices=Unit.choices)
    unit_price = models.DecimalField(_("prix unitaire HT"), max_digits=14, decimal_places=4)
    vat_rate = models.DecimalField(_("taux de TVA"), max_digits=5, decimal_places=4)
    discount = models.DecimalField(_("remise"), max_digits=5, decimal_places=4, default=0)
    amount_ht = models.DecimalField(_("montant HT"), max_digits=14, decimal_places=2)
    unit_label = models.CharField(
        _("unité (libellé)"), max_length=60, blank=True, validators=[validate_single_line]
    )
    unit_price_ttc = models.DecimalField(
        _("prix unitaire TTC"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    price_version = optional_link("catalog.PriceVersion", _("version de prix"))

    class Meta:
        ordering = ["order", "position", "id"]
        verbose_name = _("ligne de commande")
        verbose_name_plural = _("lignes de commande")

    def __str__(self) -> str:
        return f"{self.description[:60]} × {self.quantity}"


class DepositStatus(models.TextChoices):
    REQUESTED = t.REQUESTED, _("Demandé")
    INVOICED = t.INVOICED, _("Facturé")
    CASHED = t.CASHED, _("Encaissé")
    CANCELLED = t.DEPOSIT_CANCELLED, _("Annulé")


class DepositRequest(models.Model):
    """The deposit an order waits for before work starts (art. 5 of the agency's terms):
    amount, rate and the clause it comes from, with the arithmetic, frozen at acceptance.
    The invoicing app issues the deposit invoice; cashing it lets work start."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="deposit")
    status = models.CharField(
        _("statut"), max_length=20, choices=DepositStatus.choices, default=DepositStatus.REQUESTED
    )
    rate = models.DecimalField(_("taux"), max_digits=5, decimal_places=4)
    base_ht = models.DecimalField(_("base HT"), max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("montant"), max_digits=14, decimal_places=2)
    clause_id = models.CharField(_("clause"), max_length=60)
    article = models.CharField(_("article"), max_length=30, blank=True)
    terms_label = models.CharField(_("version des CGV"), max_length=30)
    work_starts_after = models.CharField(
        _("travaux après"), max_length=20, default="deposit_cashed"
    )
    explanation = models.JSONField(_("calcul"), default=dict)
    cashed_on = models.DateField(_("encaissé le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("demande d'acompte")
        verbose_name_plural = _("demandes d'acompte")

    def __str__(self) -> str:
        return f"Acompte {self.amount} € ({self.order.reference})"

    @property
    def facts(self) -> domain.DepositFacts:
        """What the order's decisions read of the deposit (:mod:`clausier.orders.domain`)."""
        return domain.DepositFacts(
            status=self.status,
            rate=self.rate,
            base_ht=self.base_ht,
            amount=self.amount,
            clause_id=self.clause_id,
            article=self.article,
            terms_label=self.terms_label,
            work_starts_after=self.work_starts_after,
            cashed_on=self.cashed_on,
        )
