from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from clausier.documents.glyphs import validate_single_line
from clausier.kernel.addresses import address_errors, validate_country, validate_phone
from clausier.kernel.fields import Timestamped
from clausier.sellers import validators


class VatRegime(models.TextChoices):
    NORMAL = "normal", _("Régime normal (TVA facturée)")
    FRANCHISE_293B = "franchise_293b", _("Franchise en base (art. 293 B du CGI)")


class EInvoiceScheme(models.TextChoices):
    """Schemes of an electronic invoicing address (EN 16931 BT-34-1 / BT-49-1, CEF EAS)."""

    DIRECTORY = "0225", _("0225 : annuaire de la facturation électronique (SIREN…)")
    SIRET = "0009", _("0009 : SIRET")
    GLN = "0088", _("0088 : GLN")
    EMAIL = "EM", _("EM : adresse e-mail")


def einvoice_fields() -> tuple[models.CharField, models.CharField]:
    """The electronic invoicing address of a seller or a client: where the reform's
    platforms deliver its invoices. Empty, documents give ``0225`` and the SIREN."""
    return (
        models.CharField(
            _("schéma de l'adresse de facturation électronique"),
            max_length=4,
            choices=EInvoiceScheme.choices,
            blank=True,
        ),
        models.CharField(
            _("adresse de facturation électronique"),
            max_length=125,
            blank=True,
            validators=[validate_single_line],
            help_text=_(
                "Laissée vide, les factures donnent le SIREN dans l'annuaire de la facturation "
                "électronique (schéma 0225)."
            ),
        ),
    )


class EInvoiceAddressed:
    """The ``clean()`` of a seller or a client: its electronic invoicing address checked
    against its scheme and SIREN, together with the errors of its postal addresses
    (``postal_errors()``), all reported at once."""

    einvoice_scheme: str
    einvoice_address: str
    siren: str

    def postal_errors(self) -> dict[str, Any]:
        return {}

    def clean(self) -> None:
        errors = (
            validators.einvoice_address_errors(
                scheme=self.einvoice_scheme, address=self.einvoice_address, siren=self.siren
            )
            | self.postal_errors()
        )
        if errors:
            raise ValidationError(errors)


class Seller(EInvoiceAddressed, Timestamped):
    """A service provider running its terms of sale in clausier."""

    slug = models.SlugField(_("identifiant"), unique=True)
    legal_name = models.CharField(
        _("raison sociale"), max_length=200, validators=[validate_single_line]
    )
    trade_name = models.CharField(
        _("nom commercial"), max_length=200, blank=True, validators=[validate_single_line]
    )
    legal_form = models.CharField(
        _("forme juridique"), max_length=100, blank=True, validators=[validate_single_line]
    )
    share_capital = models.DecimalField(
        _("capital social (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    siren = models.CharField(
        "SIREN", max_length=9, blank=True, validators=[validators.validate_siren]
    )
    siret = models.CharField(
        "SIRET", max_length=14, blank=True, validators=[validators.validate_siret]
    )
    rcs_city = models.CharField(
        _("ville du RCS"), max_length=100, blank=True, validators=[validate_single_line]
    )
    vat_number = models.CharField(
        _("numéro de TVA intracommunautaire"),
        max_length=20,
        blank=True,
        validators=[validators.validate_vat_number],
    )
    vat_regime = models.CharField(
        _("régime de TVA"), max_length=20, choices=VatRegime.choices, default=VatRegime.NORMAL
    )
    einvoice_scheme, einvoice_address = einvoice_fields()
    address_line1 = models.CharField(
        _("adresse"), max_length=200, validators=[validate_single_line]
    )
    address_line2 = models.CharField(
        _("complément d'adresse"), max_length=200, blank=True, validators=[validate_single_line]
    )
    postal_code = models.CharField(
        _("code postal"), max_length=10, validators=[validate_single_line]
    )
    city = models.CharField(_("ville"), max_length=100, validators=[validate_single_line])
    country = models.CharField(_("pays"), max_length=2, default="FR", validators=[validate_country])
    phone = models.CharField(
        _("téléphone"), max_length=30, blank=True, validators=[validate_single_line, validate_phone]
    )
    support_phone = models.CharField(
        _("téléphone du support"),
        max_length=30,
        blank=True,
        validators=[validate_single_line, validate_phone],
    )
    email_sales = models.EmailField(_("e-mail commercial"), blank=True)
    email_support = models.EmailField(_("e-mail du support"), blank=True)
    email_accounting = models.EmailField(_("e-mail de la comptabilité"), blank=True)
    iban = models.CharField(
        "IBAN", max_length=34, blank=True, validators=[validators.validate_iban]
    )
    bic = models.CharField("BIC", max_length=11, blank=True, validators=[validators.validate_bic])
    jurisdiction = models.CharField(
        _("juridiction compétente"), max_length=200, blank=True, validators=[validate_single_line]
    )
    mediator_name = models.CharField(
        _("médiateur de la consommation"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
    )
    mediator_url = models.URLField(_("site du médiateur"), blank=True)
    logo = models.FileField(_("logo"), upload_to="sellers/logos/", blank=True)
    brand_color = models.CharField(
        _("couleur de marque"),
        max_length=7,
        default="#1f4e79",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Une couleur au format #RRVVBB."))],
    )
    invoice_prefix = models.CharField(_("préfixe des factures"), max_length=10, default="F")
    credit_note_prefix = models.CharField(_("préfixe des avoirs"), max_length=10, default="AV")
    quote_prefix = models.CharField(_("préfixe des devis"), max_length=10, default="D")
    default_language = models.CharField(
        _("langue par défaut"), max_length=2, choices=settings.LANGUAGES, default="fr"
    )
    # The identity was made up for the demo (a valid but fictitious SIREN...): the settings
    # screen says so until the owner writes the real one.
    demo_identity = models.BooleanField(_("identité fictive de démonstration"), default=False)

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("vendeur")
        verbose_name_plural = _("vendeurs")

    def __str__(self) -> str:
        return self.trade_name or self.legal_name

    def postal_errors(self) -> dict[str, Any]:
        return address_errors(
            postal_field="postal_code", country=self.country, postal=self.postal_code
        )

    @property
    def display_name(self) -> str:
        return str(self)


class Role(models.TextChoices):
    OWNER = "owner", _("Gérant")
    SALES = "sales", _("Commercial")
    ACCOUNTING = "accounting", _("Comptabilité")
    SUPPORT = "support", _("Support")
    ONCALL = "oncall", _("Ingénieur d'astreinte")
    ACCOUNTANT = "accountant", _("Expert-comptable (lecture seule)")


class StaffMembership(models.Model):
    """A user's role at one seller. One person may work for several sellers."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membre de l'équipe")
        verbose_name_plural = _("membres de l'équipe")
        constraints = [
            models.UniqueConstraint(fields=["user", "seller"], name="one_role_per_seller"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.seller} ({self.get_role_display()})"
