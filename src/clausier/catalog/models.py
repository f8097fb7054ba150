from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from clausier.catalog import validators

# A product's unit is one of ``PriceUnit``, the catalog's subset of the one ``Unit`` (its name
# stays importable from here for the modules that imported it before ``catalog.units``).
from clausier.catalog.units import PriceUnit, Unit
from clausier.documents.glyphs import validate_printable, validate_single_line
from clausier.kernel.fields import Timestamped, user_link


class ProductKind(models.TextChoices):
    # Invoices state the nature of what is sold (CGI ann. II art. 242 nonies A).
    SERVICE = "service", _("Prestation de services")
    GOODS = "goods", _("Livraison de biens")


# Unit prices keep 4 decimals: metered offers are priced below the cent (0,0035 € per request,
# 0,0125 € per Go·mois); an amount a document shows is rounded to the cent per line by
# ``rules.money`` (line_total, document_totals), never the unit price.
PRICE_MAX_DIGITS = 12
PRICE_DECIMAL_PLACES = 4


def _listed(verbose_name, validator, help_text) -> models.JSONField:
    """A list shown with the offer, empty by default, checked by ``validator``."""
    return models.JSONField(
        verbose_name, default=list, blank=True, validators=[validator], help_text=help_text
    )


class Product(Timestamped):
    """A product or service of one seller's catalog. Its price lives in dated
    :class:`PriceVersion` rows, never on the product."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="products")
    code = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_("Identifiant stable du produit chez le vendeur (lettres, chiffres, tirets)."),
    )
    name = models.CharField(_("désignation"), max_length=200, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True, validators=[validate_printable])
    kind = models.CharField(
        _("nature"), max_length=10, choices=ProductKind.choices, default=ProductKind.SERVICE
    )
    unit = models.CharField(_("unité de prix"), max_length=10, choices=PriceUnit.choices)
    metered_unit = models.CharField(
        _("unité de consommation"),
        max_length=60,
        blank=True,
        help_text=_("Pour un prix à la consommation : « Go·mois », « heure d'instance »…"),
    )
    is_fee = models.BooleanField(
        _("ligne de frais"),
        default=False,
        help_text=_("Frais induits par une prestation, mentionnés à part sur les documents."),
    )
    vat_rate = models.DecimalField(
        _("taux de TVA"),
        max_digits=5,
        decimal_places=4,
        validators=[validators.validate_vat_rate],
        help_text=_("Fraction : 0,20 pour 20 %. Toujours 0 en franchise en base (art. 293 B)."),
    )
    active = models.BooleanField(_("au catalogue"), default=True)
    guarantees = _listed(
        _("garanties"),
        validators.validate_guarantees,
        _("Garanties affichées aux clients, une phrase chacune."),
    )
    options = _listed(
        _("options"),
        validators.validate_options,
        _('Options de l\'offre : [{"code": "…", "label": "…"}].'),
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("produit ou service")
        verbose_name_plural = _("produits et services")
        constraints = [
            models.UniqueConstraint(fields=["seller", "code"], name="catalog_code_per_seller"),
            models.CheckConstraint(
                condition=models.Q(vat_rate__gte=0, vat_rate__lt=1),
                name="catalog_vat_rate_fraction",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(unit=Unit.METERED) & ~models.Q(metered_unit="")
                    | ~models.Q(unit=Unit.METERED) & models.Q(metered_unit="")
                ),
                name="catalog_metered_unit_iff_metered",
            ),
        ]
        indexes = [models.Index(fields=["seller", "active", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class PriceVersion(models.Model):
    """The unit price HT of a product from ``effective_from`` on, until the next version.

    Never edited nor deleted: a price change adds a version (``catalog.services``), and the
    documents that used a version keep its id and values.
    """

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="price_versions")
    unit_price_ht = models.DecimalField(
        _("prix unitaire HT (€)"),
        max_digits=PRICE_MAX_DIGITS,
        decimal_places=PRICE_DECIMAL_PLACES,
        validators=[MinValueValidator(0)],
    )
    effective_from = models.DateField(_("en vigueur à partir du"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = user_link(_("créé par"))
    # Who set the price when it was not a user (an API token, a seed): as in audit.Event.
    created_by_label = models.CharField(_("créé par (libellé)"), max_length=200, blank=True)

    class Meta:
        ordering = ["product", "effective_from"]
        get_latest_by = "effective_from"
        verbose_name = _("version de prix")
        verbose_name_plural = _("versions de prix")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "effective_from"], name="catalog_one_price_per_day"
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price_ht__gte=0), name="catalog_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.code} : {self.unit_price_ht} € HT au {self.effective_from}"
