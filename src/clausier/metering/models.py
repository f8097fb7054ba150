"""Metering's data: subscriptions, meters, usage events (a narrow table written in bulk) and
the dated prices of each meter. Data and constraints only."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from clausier.metering.checks import validate_filters, validate_price, validate_tiers


class SubscriptionStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    SUSPENDED = "suspended", _("suspendue")
    TERMINATED = "terminated", _("résiliée")


class BillingPeriod(models.TextChoices):
    # Seed 000 art. 3: consumption is billed per calendar month, Europe/Paris.
    CALENDAR_MONTH = "calendar_month", _("mois civil (Europe/Paris)")


class Subscription(models.Model):
    """A client's running service, born from a paid online order when its service starts
    (seed 000 art. 8). ``external_id`` is the name the PaaS runtime knows it by (the order's
    reference, as the ``service.activate`` webhook gives it); usage events name it."""

    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.PROTECT, related_name="subscriptions"
    )
    client = models.ForeignKey(
        "customers.Client", on_delete=models.PROTECT, related_name="subscriptions"
    )
    order = models.OneToOneField(
        "orders.Order", on_delete=models.PROTECT, related_name="subscription"
    )
    order_line = models.ForeignKey(
        "orders.OrderLine",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("ligne de commande"),
    )
    offer = models.ForeignKey(
        "catalog.Product",
        on_delete=models.PROTECT,
        related_name="subscriptions",
        null=True,
        blank=True,
        verbose_name=_("offre"),
    )
    external_id = models.CharField(_("identifiant chez le client"), max_length=100)
    started_at = models.DateTimeField(_("début"))
    billing_period = models.CharField(
        _("période de facturation"),
        max_length=20,
        choices=BillingPeriod.choices,
        default=BillingPeriod.CALENDAR_MONTH,
    )
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=SubscriptionStatus.choices,
        default=SubscriptionStatus.ACTIVE,
    )
    terms_version = models.ForeignKey(
        "terms.TermsVersion", on_delete=models.PROTECT, related_name="subscriptions"
    )
    terms_label = models.CharField(_("version des CGV"), max_length=30)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnements")
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "external_id"], name="metering_subscription_external_id"
            ),
        ]
        indexes = [
            models.Index(fields=["seller", "status"]),
            models.Index(fields=["client", "status"]),
        ]

    def __str__(self) -> str:
        return f"Abonnement {self.external_id}"


class Aggregation(models.TextChoices):
    SUM = "sum", _("somme")
    MAX = "max", _("maximum")
    COUNT = "count", _("nombre d'événements")
    UNIQUE_COUNT = "unique_count", _("nombre de valeurs distinctes")
    TIME_WEIGHTED = "time_weighted", _("pondérée par le temps")


class Meter(models.Model):
    """What a seller measures (requests, GB·months, instance-hours), how a period's events
    add up (``aggregation``) and which events count (``filters``: property -> value)."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="meters")
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("désignation"), max_length=200)
    unit = models.CharField(_("unité"), max_length=60)
    aggregation = models.CharField(_("agrégation"), max_length=20, choices=Aggregation.choices)
    unique_property = models.CharField(
        _("propriété comptée"),
        max_length=100,
        blank=True,
        help_text=_(
            "Pour « nombre de valeurs distinctes » : la propriété dont on compte les valeurs."
        ),
    )
    filters = models.JSONField(
        _("filtres"),
        default=dict,
        blank=True,
        validators=[validate_filters],
        help_text=_('Seuls les événements dont les propriétés valent ceci : {"region": "par"}.'),
    )
    allow_negative = models.BooleanField(_("valeurs négatives admises"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "id"]
        verbose_name = _("compteur")
        verbose_name_plural = _("compteurs")
        constraints = [
            models.UniqueConstraint(fields=["seller", "code"], name="metering_meter_code"),
            models.CheckConstraint(
                condition=~models.Q(aggregation=Aggregation.UNIQUE_COUNT)
                | ~models.Q(unique_property=""),
                name="metering_unique_count_has_property",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class UsageEvent(models.Model):
    """One measurement sent by the seller's runtime: a narrow row, written in bulk by
    ``metering.services.ingest`` (never one ``save()`` per event), once per (seller, id).
    The foreign keys carry no index of their own: dedup reads the unique (seller, event_id)
    and billing scans (subscription, meter, timestamp)."""

    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    event_id = models.CharField(max_length=200)
    subscription = models.ForeignKey(
        Subscription, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    meter = models.ForeignKey(Meter, on_delete=models.PROTECT, related_name="+", db_index=False)
    timestamp = models.DateTimeField()
    value = models.DecimalField(max_digits=24, decimal_places=6)
    properties = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField()

    class Meta:
        verbose_name = _("événement de consommation")
        verbose_name_plural = _("événements de consommation")
        constraints = [
            models.UniqueConstraint(fields=["seller", "event_id"], name="metering_event_once"),
        ]
        indexes = [
            models.Index(fields=["subscription", "meter", "timestamp"], name="metering_event_scan"),
        ]

    def __str__(self) -> str:
        return f"Événement {self.event_id}"


class PriceScheme(models.TextChoices):
    PER_UNIT = "per_unit", _("prix unitaire")
    GRADUATED = "graduated", _("paliers progressifs")
    VOLUME = "volume", _("paliers sur le volume")
    PACKAGE = "package", _("par lot")


class MeterPrice(models.Model):
    """The price of a meter from ``effective_from`` on (for one offer, or any offer when
    ``offer`` is empty), until the next version: a revision adds a version (seed 000
    art. 3: it applies from its effective date). ``tiers`` is a list of ``[up_to,
    unit_price]`` (``up_to`` null for the last, open tier); the arithmetic is
    ``metering.domain.price``."""

    meter = models.ForeignKey(Meter, on_delete=models.PROTECT, related_name="prices")
    offer = models.ForeignKey(
        "catalog.Product",
        on_delete=models.PROTECT,
        related_name="meter_prices",
        null=True,
        blank=True,
        verbose_name=_("offre"),
    )
    effective_from = models.DateField(_("en vigueur à partir du"))
    scheme = models.CharField(_("tarification"), max_length=20, choices=PriceScheme.choices)
    tiers = models.JSONField(_("paliers"), default=list, validators=[validate_tiers])
    package_size = models.PositiveIntegerField(_("taille du lot"), null=True, blank=True)
    free_allowance = models.DecimalField(_("franchise"), max_digits=24, decimal_places=6, default=0)
    minimum = models.DecimalField(
        _("minimum par période HT (€)"), max_digits=14, decimal_places=2, default=0
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meter", "effective_from", "id"]
        verbose_name = _("prix d'un compteur")
        verbose_name_plural = _("prix des compteurs")
        constraints = [
            models.UniqueConstraint(
                fields=["meter", "offer", "effective_from"],
                condition=models.Q(offer__isnull=False),
                name="metering_price_per_offer_day",
            ),
            models.UniqueConstraint(
                fields=["meter", "effective_from"],
                condition=models.Q(offer__isnull=True),
                name="metering_price_per_day",
            ),
            models.CheckConstraint(
                condition=models.Q(free_allowance__gte=0, minimum__gte=0),
                name="metering_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meter.code} : {self.scheme} au {self.effective_from}"

    def clean(self) -> None:
        validate_price(
            scheme=self.scheme,
            tiers=self.tiers,
            package_size=self.package_size,
        )


class CreditAccount(models.Model):
    """A client's prepaid credits (optional: a client without an account has none): the
    threshold under which the client is warned, and when the warning of the current crossing
    left (cleared once the balance is back above the threshold, so that each crossing warns
    once)."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="+")
    client = models.OneToOneField(
        "customers.Client", on_delete=models.PROTECT, related_name="credit_account"
    )
    low_balance_threshold = models.DecimalField(
        _("seuil d'alerte HT (€)"), max_digits=14, decimal_places=2, default=0
    )
    low_balance_warned_at = models.DateTimeField(_("alerte envoyée le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("compte de crédits prépayés")
        verbose_name_plural = _("comptes de crédits prépayés")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(low_balance_threshold__gte=0),
                name="metering_credit_threshold_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Crédits de {self.client_id}"


class CreditKind(models.TextChoices):
    PURCHASE = "purchase", _("achat")
    GRANT = "grant", _("geste commercial")
    DRAWDOWN = "drawdown", _("consommation")


class CreditEntry(models.Model):
    """A movement of a client's credits, amounts HT in euros: bought or granted (positive),
    drawn by a period's consumption (negative, once per ``reference``: the subscription and
    period the billing run draws for). The balance is their sum; entries are never edited."""

    account = models.ForeignKey(CreditAccount, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("nature"), max_length=20, choices=CreditKind.choices)
    amount = models.DecimalField(_("montant HT (€)"), max_digits=14, decimal_places=2)
    reason = models.CharField(_("motif"), max_length=300)
    reference = models.CharField(_("référence"), max_length=100, blank=True)
    at = models.DateTimeField(_("date"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("mouvement de crédits")
        verbose_name_plural = _("mouvements de crédits")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind=CreditKind.DRAWDOWN, amount__lt=0)
                    | (~models.Q(kind=CreditKind.DRAWDOWN) & models.Q(amount__gt=0))
                ),
                name="metering_credit_entry_sign",
            ),
            models.UniqueConstraint(
                fields=["account", "reference"],
                condition=models.Q(kind=CreditKind.DRAWDOWN),
                name="metering_credit_drawn_once",
            ),
        ]
        indexes = [models.Index(fields=["account", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"
