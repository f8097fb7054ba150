from django.db import models
from django.utils.translation import gettext_lazy as _

from clausier.documents.glyphs import validate_single_line
from clausier.kernel.fields import user_link
from clausier.terms.schemas import validate_parameters


class TermsStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publiée")
    SUPERSEDED = "superseded", _("Remplacée")


class TermsVersion(models.Model):
    """One version of a seller's terms of sale. Published versions never change: a change
    is a new version (see ``terms.transitions``)."""

    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.PROTECT, related_name="terms_versions"
    )
    label = models.CharField(_("version"), max_length=30, validators=[validate_single_line])
    title = models.CharField(
        _("titre"),
        max_length=200,
        default="Conditions générales de vente",
        validators=[validate_single_line],
    )
    effective_date = models.DateField(_("date d'effet"))
    text = models.TextField(_("texte intégral (Markdown)"))
    text_sha256 = models.CharField(_("empreinte SHA-256 du texte"), max_length=64)
    status = models.CharField(
        _("statut"), max_length=20, choices=TermsStatus.choices, default=TermsStatus.DRAFT
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copiée de"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="copies",
        help_text=_("La version dont ce brouillon a repris les clauses."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seller", "-effective_date", "-id"]
        verbose_name = _("version des CGV")
        verbose_name_plural = _("versions des CGV")
        constraints = [
            models.UniqueConstraint(fields=["seller", "label"], name="terms_label_per_seller"),
        ]

    def __str__(self) -> str:
        return f"{self.seller} CGV {self.label}"

    @property
    def is_editable(self) -> bool:
        return self.status == TermsStatus.DRAFT


class Clause(models.Model):
    """A clause of a terms version: stable id, article, excerpt, typed parameters.

    ``kind`` names the parameter schema (``terms.schemas``); engines read parameters only
    from here, never from constants.
    """

    version = models.ForeignKey(TermsVersion, on_delete=models.CASCADE, related_name="clauses")
    clause_id = models.CharField(_("identifiant"), max_length=60, validators=[validate_single_line])
    kind = models.CharField(_("type"), max_length=60)
    article = models.CharField(_("article"), max_length=30, validators=[validate_single_line])
    title = models.CharField(_("intitulé"), max_length=200, validators=[validate_single_line])
    excerpt = models.TextField(_("extrait"))
    parameters = models.JSONField(_("paramètres"), default=dict, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        constraints = [
            models.UniqueConstraint(fields=["version", "clause_id"], name="clause_id_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.clause_id} ({self.article})"

    @property
    def ordered_parameters(self) -> dict:
        """The parameters in their schema's order (PostgreSQL's jsonb sorts keys its own way)."""
        return validate_parameters(self.kind, self.parameters)


class AcceptanceMethod(models.TextChoices):
    CHECKBOX = "checkbox", _("Case cochée en ligne")
    SIGNED_QUOTE = "signed_quote", _("Devis signé")
    EMAIL_CONSENT = "email_consent", _("Consentement par e-mail")
    POSTAL_SCAN = "postal_scan", _("Courrier « Bon pour accord » numérisé")


class Acceptance(models.Model):
    """Evidence that a client accepted a terms version: the hash of the text accepted, when,
    how, by whom, from where."""

    client = models.ForeignKey(
        "customers.Client", on_delete=models.PROTECT, related_name="acceptances"
    )
    version = models.ForeignKey(TermsVersion, on_delete=models.PROTECT, related_name="acceptances")
    text_sha256 = models.CharField(_("empreinte du texte accepté"), max_length=64)
    accepted_at = models.DateTimeField(_("acceptée le"))
    method = models.CharField(_("mode"), max_length=20, choices=AcceptanceMethod.choices)
    accepted_by = user_link(_("acceptée par (compte)"))
    accepted_by_name = models.CharField(
        _("nom du signataire"), max_length=200, validators=[validate_single_line]
    )
    recorded_by = user_link(_("enregistrée par"))
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    user_agent = models.CharField(
        _("navigateur"), max_length=500, blank=True, validators=[validate_single_line]
    )
    evidence_file = models.FileField(_("pièce justificative"), upload_to="acceptances/", blank=True)
    message_id = models.CharField(
        _("Message-ID de l'e-mail"), max_length=300, blank=True, validators=[validate_single_line]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-accepted_at", "-id"]
        verbose_name = _("acceptation")
        verbose_name_plural = _("acceptations")
        indexes = [models.Index(fields=["client", "-accepted_at"])]

    def __str__(self) -> str:
        return f"{self.client} a accepté {self.version.label} le {self.accepted_at:%d/%m/%Y}"
