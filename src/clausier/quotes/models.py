from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clausier.catalog.units import QuoteUnit
from clausier.documents.glyphs import validate_single_line
from clausier.kernel.fields import Timestamped, optional_link, user_link
from clausier.quotes import transitions as t
from clausier.quotes.domain import display_number


class QuoteStatus(models.TextChoices):
    DRAFT = t.DRAFT, _("Brouillon")
    SENT = t.SENT, _("Envoyé")
    ACCEPTED = t.ACCEPTED, _("Accepté")
    REFUSED = t.REFUSED, _("Refusé")
    EXPIRED = t.EXPIRED, _("Expiré")
    WITHDRAWN = t.WITHDRAWN, _("Retiré")
    SUPERSEDED = t.SUPERSEDED, _("Remplacé par une révision")


# The units of a quote line: a subset of the one ``catalog.units.Unit``; ``LineUnit`` stays
# importable from here for the modules that imported it before ``catalog.units``.
LineUnit = QuoteUnit


class Quote(Timestamped):
    """A quote (devis) of a seller to a client.

    Editable while ``draft``; everything it shows is copied into it when it is sent (terms
    version, payment and deposit clauses, VAT regime, totals, the parties) and never changes
    again: a change after sending is a new revision (``previous`` points to the quote it
    replaces, same ``number``, ``revision`` + 1). The number is taken from the seller's
    ``quote`` series the first time the quote is sent, so drafts consume no number.
    """

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="quotes")
    client = models.ForeignKey("customers.Client", on_delete=models.PROTECT, related_name="quotes")
    status = models.CharField(
        _("statut"), max_length=20, choices=QuoteStatus.choices, default=QuoteStatus.DRAFT
    )
    number = models.CharField(_("numéro"), max_length=30, blank=True)
    number_year = models.PositiveIntegerField(_("année de la série"), null=True, blank=True)
    number_sequence = models.PositiveIntegerField(_("rang dans la série"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("révision"), default=1)
    previous = optional_link(
        "self", _("révision précédente"), related_name="next_revision", field=models.OneToOneField
    )
    nature = models.TextField(_("nature des prestations"), blank=True)
    notes = models.TextField(_("conditions particulières"), blank=True)
    requires_deposit = models.BooleanField(_("acompte demandé"), default=False)
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)

    # Frozen when sent.
    terms_version = optional_link("terms.TermsVersion", _("CGV"), related_name="quotes")
    terms_label = models.CharField(_("version des CGV"), max_length=30, blank=True)
    terms_sha256 = models.CharField(_("empreinte des CGV"), max_length=64, blank=True)
    payment_terms = models.JSONField(_("modalités de paiement"), default=dict, blank=True)
    deposit_terms = models.JSONField(_("acompte"), default=dict, blank=True)
    validity_terms = models.JSONField(_("validité"), default=dict, blank=True)
    deposit_rate = models.DecimalField(
        _("taux d'acompte"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    deposit_amount = models.DecimalField(
        _("montant de l'acompte"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    vat_regime = models.CharField(_("régime de TVA"), max_length=20, blank=True)
    vat_mention = models.CharField(_("mention TVA"), max_length=200, blank=True)
    total_ht = models.DecimalField(
        _("total HT"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    total_vat = models.DecimalField(
        _("total TVA"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    total_ttc = models.DecimalField(
        _("total TTC"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    totals_explanation = models.JSONField(_("détail des totaux"), default=dict, blank=True)
    parties = models.JSONField(_("vendeur et client à l'envoi"), default=dict, blank=True)

    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    # The PDF the client received, printed once (quotes.delivery.ensure_pdf) and never again.
    pdf = models.FileField(_("PDF"), upload_to="quotes/", blank=True)
    pdf_sha256 = models.CharField(_("empreinte du PDF"), max_length=64, blank=True)
    pdf_language = models.CharField(_("langue du PDF"), max_length=10, blank=True)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)
    refusal_reason = models.TextField(_("motif du refus"), blank=True)
    withdrawal_reason = models.TextField(_("motif du retrait"), blank=True)
    created_by = user_link(_("créé par"))
    # Seed 002 art. 9: a confidential quote (and its specification) is read only by the staff
    # named here and by the owner (sellers.confidentiality).
    confidential = models.BooleanField(_("confidentiel"), default=False)
    confidential_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="confidential_quotes",
        verbose_name=_("personnes autorisées"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("devis")
        verbose_name_plural = _("devis")
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "number", "revision"],
                condition=~Q(number=""),
                name="quote_number_revision_per_seller",
            ),
            models.CheckConstraint(
                condition=Q(status=t.DRAFT) | ~Q(number=""),
                name="quote_numbered_once_sent",
            ),
            models.CheckConstraint(
                condition=Q(revision=1) | Q(previous__isnull=False),
                name="quote_revision_has_previous",
            ),
        ]
        indexes = [
            models.Index(fields=["seller", "status"]),
            models.Index(fields=["status", "valid_until"]),
            models.Index(fields=["client", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"Devis {self.display_number}" if self.number else f"Devis brouillon n° {self.pk}"

    @property
    def display_number(self) -> str:
        """``D2026-000003``, or ``D2026-000003-R2`` for its second revision."""
        return display_number(number=self.number, revision=self.revision)

    @property
    def is_editable(self) -> bool:
        return self.status == QuoteStatus.DRAFT


class QuoteLine(models.Model):
    """A line of a quote: free text, or a catalog product by its code, priced HT."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    product_code = models.CharField(
        _("code produit"), max_length=60, blank=True, validators=[validate_single_line]
    )
    description = models.TextField(_("désignation"))
    quantity = models.DecimalField(_("quantité"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unité"), max_length=10, choices=QuoteUnit.choices)
    unit_price = models.DecimalField(_("prix unitaire HT"), max_digits=14, decimal_places=4)
    vat_rate = models.DecimalField(_("taux de TVA"), max_digits=5, decimal_places=4, default=0)
    discount = models.DecimalField(_("remise"), max_digits=5, decimal_places=4, default=0)
    # The rounded HT amount, frozen when the quote is sent.
    amount_ht = models.DecimalField(
        _("montant HT"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["quote", "position", "id"]
        verbose_name = _("ligne de devis")
        verbose_name_plural = _("lignes de devis")

    # What a line agrees on: copied as is into a revision of the quote or into its order.
    AGREED_FIELDS = (
        "position",
        "product_code",
        "description",
        "quantity",
        "unit",
        "unit_price",
        "vat_rate",
        "discount",
    )

    def __str__(self) -> str:
        return f"{self.description[:60]} × {self.quantity}"

    def agreed_values(self) -> dict:
        return {name: getattr(self, name) for name in self.AGREED_FIELDS}


class AttachmentKind(models.TextChoices):
    SPECIFICATION = "specification", _("Cahier des charges")
    MOCKUP = "mockup", _("Maquette (non contractuelle)")


class QuoteAttachment(models.Model):
    """A document sent with the quote. The specification (cahier des charges) is contractual
    once the quote is accepted (art. 3 of the agency's terms); mockups never are, and are
    marked "non contractuel" wherever they are shown."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("type"), max_length=20, choices=AttachmentKind.choices)
    title = models.CharField(_("intitulé"), max_length=200, validators=[validate_single_line])
    file = models.FileField(_("fichier"), upload_to="quotes/attachments/%Y/")
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["quote", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["quote"],
                condition=Q(kind="specification"),
                name="one_specification_per_quote",
            ),
        ]
        verbose_name = _("pièce jointe du devis")
        verbose_name_plural = _("pièces jointes du devis")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.title}"

    @property
    def is_contractual(self) -> bool:
        return self.kind == AttachmentKind.SPECIFICATION


class QuoteAcceptanceMethod(models.TextChoices):
    """The names of ``quote.rules.acceptance_methods`` in the terms schemas."""

    ONLINE = "online", _("Acceptation en ligne (portail)")
    EMAIL = "email_consent", _("Consentement par e-mail")
    POSTAL = "postal_signed", _("Exemplaire signé « Bon pour accord » (courrier)")


class QuoteAcceptance(models.Model):
    """Evidence that the client accepted a quote as sent, and with it the terms version it
    names (``terms_acceptance``) and the specification attached (its hash)."""

    quote = models.OneToOneField(Quote, on_delete=models.PROTECT, related_name="acceptance")
    terms_acceptance = models.OneToOneField(
        "terms.Acceptance",
        on_delete=models.PROTECT,
        related_name="quote_acceptance",
        verbose_name=_("acceptation des CGV"),
    )
    method = models.CharField(_("mode"), max_length=20, choices=QuoteAcceptanceMethod.choices)
    accepted_at = models.DateTimeField(_("accepté le"))
    contact = models.ForeignKey(
        "customers.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("contact"),
    )
    signatory_name = models.CharField(
        _("nom du signataire"), max_length=200, validators=[validate_single_line]
    )
    signatory_role = models.CharField(
        _("qualité du signataire"), max_length=200, blank=True, validators=[validate_single_line]
    )
    statement = models.TextField(_("déclaration acceptée"), blank=True)
    document_sha256 = models.CharField(_("empreinte du devis présenté"), max_length=64, blank=True)
    specification_sha256 = models.CharField(
        _("empreinte du cahier des charges"), max_length=64, blank=True
    )
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    user_agent = models.CharField(_("navigateur"), max_length=500, blank=True)
    evidence_file = models.FileField(
        _("pièce justificative"), upload_to="quotes/acceptances/%Y/", blank=True
    )
    evidence_sha256 = models.CharField(_("empreinte de la pièce"), max_length=64, blank=True)
    email_from = models.CharField(
        _("expéditeur"), max_length=300, blank=True, validators=[validate_single_line]
    )
    email_date = models.DateTimeField(_("date de l'e-mail"), null=True, blank=True)
    email_message_id = models.CharField(_("Message-ID"), max_length=300, blank=True)
    email_subject = models.CharField(
        _("objet de l'e-mail"), max_length=300, blank=True, validators=[validate_single_line]
    )
    signed_on = models.DateField(_("date portée sur l'exemplaire signé"), null=True, blank=True)
    postal_checks = models.JSONField(_("mentions vérifiées"), default=dict, blank=True)
    recorded_by = user_link(_("enregistrée par"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-accepted_at", "-id"]
        verbose_name = _("acceptation de devis")
        verbose_name_plural = _("acceptations de devis")

    def __str__(self) -> str:
        return f"{self.quote} accepté le {self.accepted_at:%d/%m/%Y}"
