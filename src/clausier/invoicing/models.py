"""Invoices and credit notes: drafts that may change, issued documents that never do.

One model for every kind (standard, deposit, final, credit note): a credit note is an
``Invoice`` of kind ``credit_note`` that ``corrects`` the invoice it cancels in full or in
part. A draft has no number; issuing (``invoicing.services.issue_invoice``) takes the next
number of the seller's series, freezes the whole document into ``snapshot`` (an
``InvoiceDocument`` as JSON), and chains its SHA-256 to the previous document of the series.

Issued rows are immutable: :class:`Invoice` and :class:`InvoiceLine` refuse, on save, delete
and queryset updates, any change of an issued document but its payment and delivery status
fields (:data:`MUTABLE_AFTER_ISSUE`). This guard is a constraint, the one check these models
run on write: the services refuse first, with a clearer message; the guard stops any other
path (the admin, a shell, a future service) from editing what was issued.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clausier.catalog.units import Unit
from clausier.documents.glyphs import validate_printable, validate_single_line
from clausier.invoicing import domain
from clausier.invoicing.document import InvoiceDocument
from clausier.kernel.errors import Conflict
from clausier.kernel.fields import Timestamped, optional_link, user_link


class InvoiceKind(models.TextChoices):
    STANDARD = "standard", _("Facture")
    DEPOSIT = "deposit", _("Facture d'acompte")
    FINAL = "final", _("Facture de solde")
    CREDIT_NOTE = "credit_note", _("Avoir")
    PENALTY = "penalty", _("Facture de pénalités de retard")


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    ISSUED = "issued", _("Émise")


class PaymentStatus(models.TextChoices):
    """Derived from the due date and the payments (:meth:`Invoice.payment_status`)."""

    TO_PAY = domain.TO_PAY, _("À payer")
    PAID = domain.PAID, _("Payée")
    LATE = domain.LATE, _("En retard")
    CREDITED = domain.CREDITED, _("Annulée par avoir")


class DeliveryStatus(models.TextChoices):
    NOT_SENT = "not_sent", _("Non envoyée")
    QUEUED = "queued", _("Envoi en attente")
    SENT = "sent", _("Envoyée")
    FAILED = "failed", _("Échec de l'envoi")


class Series(models.TextChoices):
    """Numbering series (``numbering.Counter.series``): one per seller and year for invoices
    of every kind but credit notes (prefix ``Seller.invoice_prefix``), one for credit notes
    (``Seller.credit_note_prefix``)."""

    INVOICE = "invoice", _("Factures")
    CREDIT_NOTE = "credit_note", _("Avoirs")


# An invoice line takes every unit of the one ``catalog.units.Unit``; ``LineUnit`` stays
# importable from here for the modules that imported it before ``catalog.units``.
LineUnit = Unit


# What may still change on an issued document: how it is paid and how it was delivered. The
# rest is the document itself, frozen in ``snapshot`` and hashed.
MUTABLE_AFTER_ISSUE = frozenset(
    {
        "amount_paid",
        "paid_on",
        "credited_amount",
        "pdf",
        "pdf_sha256",
        "xml",
        "xml_sha256",
        "email_status",
        "email_to",
        "email_sent_at",
        "email_message_id",
        "email_attempts",
        "email_error",
        "email_next_attempt_at",
        "updated_at",
    }
)


class IssuedDocumentFrozen(Conflict):
    """An issued invoice or credit note never changes: corrections are credit notes."""

    def __init__(self, what: str = "") -> None:
        super().__init__(
            _(
                "Une facture ou un avoir émis ne se modifie ni ne se supprime : corrigez-le par "
                "un avoir%(what)s."
            )
            % {"what": f" ({what})" if what else ""}
        )


def _frozen_fields(fields: Iterable[str]) -> list[str]:
    return sorted(set(fields) - MUTABLE_AFTER_ISSUE)


class InvoiceQuerySet(models.QuerySet):
    def update(self, **kwargs):
        frozen = _frozen_fields(kwargs)
        if frozen and self.filter(status=InvoiceStatus.ISSUED).exists():
            raise IssuedDocumentFrozen(", ".join(frozen))
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=InvoiceStatus.ISSUED).exists():
            raise IssuedDocumentFrozen()
        return super().delete()


class Invoice(Timestamped):
    """An invoice (standard, deposit, final) or a credit note of a seller to a client."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="invoices")
    client = models.ForeignKey(
        "customers.Client", on_delete=models.PROTECT, related_name="invoices"
    )
    kind = models.CharField(
        _("type"), max_length=20, choices=InvoiceKind.choices, default=InvoiceKind.STANDARD
    )
    status = models.CharField(
        _("état"), max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    order = optional_link("orders.Order", _("commande"), related_name="invoices")
    quote = optional_link("quotes.Quote", _("devis"), related_name="invoices")
    deposit_request = optional_link(
        "orders.DepositRequest", _("demande d'acompte"), related_name="invoices"
    )
    corrects = optional_link("self", _("facture corrigée"), related_name="credit_notes")
    terms_version = optional_link("terms.TermsVersion", _("CGV"))
    terms_label = models.CharField(_("version des CGV"), max_length=30, blank=True)
    notes = models.TextField(
        _("mentions particulières"), blank=True, validators=[validate_printable]
    )
    # When the service was done (BT-72); empty, the invoice's date. Printed when it differs
    # (CGI ann. II art. 242 nonies A, I-7°).
    service_date = models.DateField(_("date de la prestation"), null=True, blank=True)
    reason = models.TextField(_("motif de l'avoir"), blank=True, validators=[validate_printable])
    # A payment received before the invoice (online orders, seed 000 art. 4): paid_on,
    # amount, means; the invoice is then issued paid.
    prepayment = models.JSONField(_("paiement reçu avant facture"), default=dict, blank=True)

    # Set at issue, never changed after.
    vat_regime = models.CharField(_("régime de TVA"), max_length=20, blank=True)
    series = models.CharField(_("série"), max_length=20, choices=Series.choices, blank=True)
    year = models.PositiveIntegerField(_("année de la série"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("rang dans la série"), null=True, blank=True)
    # Null, not "", on drafts: the unique constraint then ignores them on every database.
    number = models.CharField(_("numéro"), max_length=40, null=True, blank=True)  # noqa: DJ001
    issue_date = models.DateField(_("date de facture"), null=True, blank=True)
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    total_ht = models.DecimalField(_("total HT"), max_digits=14, decimal_places=2, default=0)
    total_vat = models.DecimalField(_("total TVA"), max_digits=14, decimal_places=2, default=0)
    total_ttc = models.DecimalField(_("total TTC"), max_digits=14, decimal_places=2, default=0)
    prepaid_amount = models.DecimalField(
        _("acomptes et paiements déduits"), max_digits=14, decimal_places=2, default=0
    )
    amount_due = models.DecimalField(_("net à payer"), max_digits=14, decimal_places=2, default=0)
    snapshot = models.JSONField(_("document émis"), null=True, blank=True)
    explanations = models.JSONField(_("calculs"), default=dict, blank=True)
    content_hash = models.CharField(_("empreinte SHA-256 du document"), max_length=64, blank=True)
    previous_hash = models.CharField(
        _("empreinte du document précédent de la série"), max_length=64, blank=True
    )
    chain_hash = models.CharField(_("empreinte chaînée"), max_length=64, blank=True)
    issued_at = models.DateTimeField(_("émise le"), null=True, blank=True)
    issued_by = user_link(_("émise par"))
    # Why an automatic issue left this draft waiting (a mention missing, a legal rate not yet
    # published); cleared when it is issued.
    issue_blocked_reason = models.TextField(_("émission en attente"), blank=True)

    # Payment status: may change after issue.
    amount_paid = models.DecimalField(_("montant payé"), max_digits=14, decimal_places=2, default=0)
    paid_on = models.DateField(_("payée le"), null=True, blank=True)
    credited_amount = models.DecimalField(
        _("montant crédité par avoir"), max_digits=14, decimal_places=2, default=0
    )
    # Outputs, filled by ``invoicing.printing`` once, at issue.
    pdf = models.FileField(_("PDF"), upload_to="invoices/", blank=True)
    pdf_sha256 = models.CharField(_("empreinte du PDF"), max_length=64, blank=True)
    xml = models.FileField(_("XML Factur-X"), upload_to="invoices/", blank=True)
    xml_sha256 = models.CharField(_("empreinte du XML"), max_length=64, blank=True)
    # Delivery by email.
    email_status = models.CharField(
        _("envoi par e-mail"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.NOT_SENT,
    )
    email_to = models.JSONField(_("destinataires"), default=list, blank=True)
    email_sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    email_message_id = models.CharField(_("Message-ID"), max_length=300, blank=True)
    email_attempts = models.PositiveIntegerField(_("tentatives d'envoi"), default=0)
    # When the queued email may be tried next: after a failure, the end of its wait; during
    # an attempt, the end of its lease; empty when it is due now.
    email_next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    email_error = models.TextField(_("dernière erreur d'envoi"), blank=True)

    created_by = user_link(_("créée par"))

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-issue_date", "-sequence", "-id"]
        verbose_name = _("facture")
        verbose_name_plural = _("factures")
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "series", "year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="invoicing_one_document_per_number",
            ),
            models.UniqueConstraint(
                fields=["seller", "number"],
                condition=Q(number__isnull=False),
                name="invoicing_number_unique_per_seller",
            ),
            models.UniqueConstraint(
                fields=["deposit_request"],
                condition=Q(kind=InvoiceKind.DEPOSIT),
                name="invoicing_one_deposit_invoice_per_request",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=InvoiceStatus.DRAFT, number__isnull=True, sequence__isnull=True)
                    | Q(
                        status=InvoiceStatus.ISSUED,
                        number__isnull=False,
                        sequence__isnull=False,
                        issue_date__isnull=False,
                        due_date__isnull=False,
                        snapshot__isnull=False,
                    )
                    & ~Q(content_hash="")
                    & ~Q(chain_hash="")
                ),
                name="invoicing_numbered_iff_issued",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=InvoiceKind.CREDIT_NOTE, corrects__isnull=False)
                    | (~Q(kind=InvoiceKind.CREDIT_NOTE) & Q(corrects__isnull=True))
                ),
                name="invoicing_credit_note_corrects_an_invoice",
            ),
        ]
        indexes = [
            models.Index(fields=["seller", "status", "due_date"]),
            models.Index(fields=["client", "-issue_date"]),
            models.Index(fields=["seller", "series", "year", "sequence"]),
        ]

    def __str__(self) -> str:
        label = InvoiceKind(self.kind).label
        return f"{label} {self.number}" if self.number else f"{label} brouillon n° {self.pk}"

    def save(self, *args, locked_draft: bool = False, **kwargs):
        """``locked_draft=True``: the caller read this row ``select_for_update`` as a draft
        in the current transaction (the issuing service), so the row cannot have been issued
        since and the guard need not read it again. Every other save is checked."""
        fields = kwargs.get("update_fields")
        frozen = _frozen_fields(fields) if fields is not None else ["*"]
        if frozen and not locked_draft and self._issued_in_database():
            raise IssuedDocumentFrozen(", ".join(frozen))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._issued_in_database():
            raise IssuedDocumentFrozen()
        return super().delete(*args, **kwargs)

    @property
    def is_issued(self) -> bool:
        return self.status == InvoiceStatus.ISSUED

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE

    @property
    def document(self) -> InvoiceDocument | None:
        """The issued document, read back from its snapshot (None for a draft)."""
        return InvoiceDocument.from_dict(self.snapshot) if self.snapshot else None

    @property
    def unpaid(self) -> Decimal:
        """What payments and credit notes have not yet covered of the amount due (negative
        when they cover more)."""
        return self.amount_due - self.amount_paid - self.credited_amount

    def payment_status(self, *, today: date) -> str:
        """``to_pay``, ``paid``, ``late`` or ``credited`` (:class:`PaymentStatus`) on
        ``today``; "" for a draft and for a credit note (money owed to the client: it is never
        to pay nor late)."""
        if not self.is_issued or self.is_credit_note:
            return ""
        return domain.payment_status(
            amount_due=self.amount_due,
            amount_paid=self.amount_paid,
            credited=self.credited_amount,
            total_ttc=self.total_ttc,
            due_date=self.due_date,
            today=today,
        )

    def _issued_in_database(self) -> bool:
        return (
            self.pk is not None
            and not self._state.adding
            and type(self)._base_manager.filter(pk=self.pk, status=InvoiceStatus.ISSUED).exists()
        )


class InvoiceLineQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if self.filter(invoice__status=InvoiceStatus.ISSUED).exists():
            raise IssuedDocumentFrozen()
        return super().update(**kwargs)

    def delete(self):
        if self.filter(invoice__status=InvoiceStatus.ISSUED).exists():
            raise IssuedDocumentFrozen()
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        invoice_ids = {obj.invoice_id for obj in objs}
        if Invoice._base_manager.filter(pk__in=invoice_ids, status=InvoiceStatus.ISSUED).exists():
            raise IssuedDocumentFrozen()
        return super().bulk_create(objs, *args, **kwargs)


class InvoiceLine(models.Model):
    """A line of a draft: from the catalog (``product_code``, ``price_version``) or free."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    product_code = models.CharField(
        _("code produit"), max_length=60, blank=True, validators=[validate_single_line]
    )
    description = models.TextField(_("désignation"), validators=[validate_printable])
    quantity = models.DecimalField(_("quantité"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unité"), max_length=10, choices=Unit.choices)
    unit_label = models.CharField(
        _("unité (libellé)"), max_length=60, blank=True, validators=[validate_single_line]
    )
    unit_price = models.DecimalField(_("prix unitaire HT"), max_digits=14, decimal_places=4)
    vat_rate = models.DecimalField(_("taux de TVA"), max_digits=5, decimal_places=4, default=0)
    discount = models.DecimalField(_("remise"), max_digits=5, decimal_places=4, default=0)
    is_goods = models.BooleanField(_("livraison de biens"), default=False)
    # The rounded HT amount (rules.money), kept current on drafts and frozen at issue.
    amount_ht = models.DecimalField(
        _("montant HT"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    price_version = optional_link("catalog.PriceVersion", _("version de prix"))

    objects = InvoiceLineQuerySet.as_manager()

    class Meta:
        ordering = ["invoice", "position", "id"]
        verbose_name = _("ligne de facture")
        verbose_name_plural = _("lignes de facture")

    def __str__(self) -> str:
        return f"{self.description[:60]} × {self.quantity}"

    def save(self, *args, **kwargs):
        if self._invoice_issued():
            raise IssuedDocumentFrozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._invoice_issued():
            raise IssuedDocumentFrozen()
        return super().delete(*args, **kwargs)

    def _invoice_issued(self) -> bool:
        return Invoice._base_manager.filter(
            pk=self.invoice_id, status=InvoiceStatus.ISSUED
        ).exists()

    def facts(self) -> domain.LineFacts:
        return domain.LineFacts(
            description=self.description,
            quantity=Decimal(self.quantity),
            unit=self.unit,
            unit_label=self.unit_label,
            unit_price=Decimal(self.unit_price),
            vat_rate=Decimal(self.vat_rate),
            discount=Decimal(self.discount),
            goods=self.is_goods,
        )


# --- usage billing (issue 18): a month of metered consumption invoiced once ---------------


class UsageBilling(models.Model):
    """A subscription's month of consumption billed: at most one per subscription and month
    (the database's unique constraint: a rerun, a concurrent run or a run resumed after a crash
    never bills it twice). ``invoice`` is empty when there was nothing to bill. ``billed`` is
    what the month has cost so far per meter (``{meter id: {"quantity", "amount"}}``), kept
    current when late events are billed as an adjustment on a later invoice; ``rated_at``:
    the events received up to then are in ``billed``."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="+")
    subscription = models.ForeignKey(
        "metering.Subscription", on_delete=models.PROTECT, related_name="billings"
    )
    period_start = models.DateField(_("mois facturé"))
    invoice = models.OneToOneField(
        Invoice,
        on_delete=models.PROTECT,
        related_name="usage_billing",
        null=True,
        blank=True,
    )
    billed = models.JSONField(default=dict, blank=True)
    rated_at = models.DateTimeField()
    # The Explained of each meter's quantity and amount, and of each adjustment, as computed.
    explanation = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("facturation de consommation")
        verbose_name_plural = _("facturations de consommation")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period_start"], name="invoicing_usage_billed_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} {self.period_start:%Y-%m}"


class UsageRunStatus(models.TextChoices):
    RUNNING = "running", _("en cours")
    FINISHED = "finished", _("terminée")
    FAILED = "failed", _("échouée")


class UsageBillingRun(models.Model):
    """The billing run of a month, for one seller or all (``seller`` empty): one row per
    seller (or all) and month, taken up again by a rerun, its counters moving as it goes."""

    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    period_start = models.DateField(_("mois facturé"))
    status = models.CharField(
        _("statut"), max_length=20, choices=UsageRunStatus.choices, default=UsageRunStatus.RUNNING
    )
    started_at = models.DateTimeField(_("commencée le"))
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    done = models.PositiveIntegerField(_("traités"), default=0)
    total = models.PositiveIntegerField(_("abonnements"), default=0)
    error = models.TextField(_("erreur"), blank=True)

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = _("facturation mensuelle de consommation")
        verbose_name_plural = _("facturations mensuelles de consommation")
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "period_start"],
                condition=Q(seller__isnull=False),
                name="invoicing_usage_run_per_seller",
            ),
            models.UniqueConstraint(
                fields=["period_start"],
                condition=Q(seller__isnull=True),
                name="invoicing_usage_run_all",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_start:%Y-%m}"


class UsageOutcomeKind(models.TextChoices):
    INVOICED = "invoiced", _("facturé")
    NOTHING = "nothing", _("rien à facturer")
    ERROR = "error", _("erreur")


class UsageBillingOutcome(models.Model):
    """What the run did for one subscription: invoiced (the invoice), nothing to bill, or an
    error (its message); one row per run and subscription, rewritten by a rerun."""

    run = models.ForeignKey(UsageBillingRun, on_delete=models.CASCADE, related_name="outcomes")
    subscription = models.ForeignKey(
        "metering.Subscription", on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("résultat"), max_length=20, choices=UsageOutcomeKind.choices)
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    message = models.TextField(_("message"), blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["run", "subscription"]
        verbose_name = _("résultat par abonnement")
        verbose_name_plural = _("résultats par abonnement")
        constraints = [
            models.UniqueConstraint(fields=["run", "subscription"], name="invoicing_usage_outcome"),
        ]

    def __str__(self) -> str:
        return f"{self.run} {self.subscription_id} {self.outcome}"
