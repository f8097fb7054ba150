from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clausier.documents.glyphs import validate_single_line
from clausier.kernel.addresses import address_errors, validate_country, validate_phone
from clausier.kernel.fields import Timestamped, user_link
from clausier.sellers import validators
from clausier.sellers.models import EInvoiceAddressed, einvoice_fields


class ClientKind(models.TextChoices):
    COMPANY = "company", _("Entreprise")
    ASSOCIATION = "association", _("Association")
    INDEPENDENT = "independent", _("Indépendant")
    CONSUMER = "consumer", _("Particulier (consommateur)")


class Client(EInvoiceAddressed, Timestamped):
    """A client of one seller. Its kind drives the law: consumers get withdrawal rights and
    Chatel notices; professionals owe the 40 € recovery indemnity."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="clients")
    kind = models.CharField(_("type de client"), max_length=20, choices=ClientKind.choices)
    name = models.CharField(
        _("raison sociale ou nom"), max_length=200, validators=[validate_single_line]
    )
    siren = models.CharField(
        "SIREN", max_length=9, blank=True, validators=[validators.validate_siren]
    )
    vat_number = models.CharField(
        _("numéro de TVA intracommunautaire"),
        max_length=20,
        blank=True,
        validators=[validators.validate_vat_number],
    )
    email = models.EmailField(_("e-mail de facturation"))
    einvoice_scheme, einvoice_address = einvoice_fields()
    phone = models.CharField(
        _("téléphone"), max_length=30, blank=True, validators=[validate_single_line, validate_phone]
    )
    billing_line1 = models.CharField(
        _("adresse de facturation"), max_length=200, validators=[validate_single_line]
    )
    billing_line2 = models.CharField(
        _("complément"), max_length=200, blank=True, validators=[validate_single_line]
    )
    billing_postal_code = models.CharField(
        _("code postal"), max_length=10, validators=[validate_single_line]
    )
    billing_city = models.CharField(_("ville"), max_length=100, validators=[validate_single_line])
    billing_country = models.CharField(
        _("pays"), max_length=2, default="FR", validators=[validate_country]
    )
    delivery_line1 = models.CharField(
        _("adresse de livraison"), max_length=200, blank=True, validators=[validate_single_line]
    )
    delivery_line2 = models.CharField(
        _("complément"), max_length=200, blank=True, validators=[validate_single_line]
    )
    delivery_postal_code = models.CharField(
        _("code postal"), max_length=10, blank=True, validators=[validate_single_line]
    )
    delivery_city = models.CharField(
        _("ville"), max_length=100, blank=True, validators=[validate_single_line]
    )
    delivery_country = models.CharField(
        _("pays"), max_length=2, blank=True, validators=[validate_country]
    )
    # Proposed at creation: the seller's ``default_language``. Blank: no preference, the
    # client's documents are in the seller's default language (``selectors.document_language``).
    preferred_language = models.CharField(
        _("langue"), max_length=2, choices=settings.LANGUAGES, default="fr", blank=True
    )
    # Seed 002 art. 6: the seller may suspend work and defer new orders while the client pays
    # late. Set and lifted by collections (through ``customers.handlers``), never by a form:
    # quotes and orders read it, being earlier stages than collections.
    suspended_for_non_payment_since = models.DateTimeField(
        _("suspendu pour impayé depuis"), null=True, blank=True, editable=False
    )
    suspension_reason = models.CharField(
        _("motif de la suspension"), max_length=500, blank=True, editable=False
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        indexes = [models.Index(fields=["seller", "kind"]), models.Index(fields=["seller", "name"])]

    def __str__(self) -> str:
        return self.name

    def postal_errors(self) -> dict[str, Any]:
        errors: dict[str, Any] = {}
        for prefix in ("billing", "delivery"):
            errors |= address_errors(
                postal_field=f"{prefix}_postal_code",
                country=getattr(self, f"{prefix}_country") or self.billing_country,
                postal=getattr(self, f"{prefix}_postal_code"),
            )
        return errors

    @property
    def is_professional(self) -> bool:
        return self.kind != ClientKind.CONSUMER


class Contact(models.Model):
    """A person at a client. With a ``user``, the contact logs in to the portal, scoped to
    this one client."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("nom"), max_length=200, validators=[validate_single_line])
    role = models.CharField(
        _("fonction"), max_length=100, blank=True, validators=[validate_single_line]
    )
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(
        _("téléphone"), max_length=30, blank=True, validators=[validate_single_line, validate_phone]
    )
    is_billing = models.BooleanField(_("reçoit les factures"), default=False)
    user = user_link(related_name="client_contact", field=models.OneToOneField)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.client})"
