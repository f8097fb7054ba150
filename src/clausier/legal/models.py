"""Legal rates entered by staff, laid over the table shipped with clausier
(``legal.selectors.legal_rate_table``)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clausier.documents.glyphs import validate_single_line
from clausier.kernel.fields import user_link
from clausier.legal.domain import Period

# A legal rate beyond this is taken for a typing error (a misplaced comma), not a rate: the
# services refuse it, naming the field.
MAX_PLAUSIBLE_PERCENT = 20


def _rate(verbose_name, help_text) -> models.DecimalField:
    """A rate in percent as the Journal officiel publishes it: 0 to 20, two decimals."""
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_PLAUSIBLE_PERCENT)],
        help_text=help_text,
    )


class LegalRate(models.Model):
    """The legal interest rate of one period, as the Journal officiel published it: a year
    (``semester`` empty, until 2014) or a semester (since 2015); rates in percent. Written
    by ``legal.services.record_legal_rate`` only (the admin goes through it)."""

    year = models.PositiveSmallIntegerField(_("année"))
    semester = models.PositiveSmallIntegerField(
        _("semestre"),
        null=True,
        blank=True,
        choices=[(1, _("1er semestre")), (2, _("2d semestre"))],
        help_text=_("vide pour un taux annuel (jusqu'en 2014)"),
    )
    professional = _rate(
        _("taux, créancier professionnel (%)"),
        _("« tous les autres cas » : le taux des pénalités de retard en découle"),
    )
    consumer = _rate(
        _("taux, créancier personne physique (%)"),
        _("créancier personne physique n'agissant pas pour des besoins professionnels"),
    )
    source = models.TextField(
        _("source"), help_text=_("« Arrêté du … relatif à la fixation du taux … (JO du …) »")
    )
    decree_date = models.DateField(
        _("date de l'arrêté"),
        null=True,
        blank=True,
        help_text=_("la date de l'arrêté qui fixe le taux (vide pour les taux saisis avant)"),
    )
    journal_reference = models.CharField(
        _("référence au Journal officiel"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("« JORF n° 0148 du 27 juin 2026, texte n° 36 »"),
    )
    recorded_by = user_link(_("saisi par"))
    recorded_by_label = models.CharField(_("saisi par (libellé)"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("saisi le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        ordering = ["year", "semester"]
        verbose_name = _("taux de l'intérêt légal")
        verbose_name_plural = _("taux de l'intérêt légal")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "semester"],
                condition=Q(semester__isnull=False),
                name="legal_one_rate_per_semester",
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(semester__isnull=True),
                name="legal_one_rate_per_year",
            ),
        ]

    def __str__(self) -> str:
        return self.period.label

    @property
    def period(self) -> Period:
        return Period(self.year, self.semester)


class EcbRate(models.Model):
    """The ECB main refinancing rate of one semester (the rate in force on 1 January or
    1 July, C. com. L441-10 II), for a semester after the table shipped with clausier
    (``rules/data/ecb_rates.csv``, the seed data); in percent, with the decision that set
    it. Written by ``legal.services.record_ecb_rate`` only (the admin goes through it)."""

    year = models.PositiveSmallIntegerField(_("année"))
    semester = models.PositiveSmallIntegerField(
        _("semestre"), choices=[(1, _("1er semestre")), (2, _("2d semestre"))]
    )
    rate = models.DecimalField(
        _("taux de refinancement BCE (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_PLAUSIBLE_PERCENT)],
        help_text=_("le taux des opérations principales de refinancement au premier jour"),
    )
    source = models.TextField(
        _("source"),
        help_text=_("« BCE, taux … au 1er juillet 2026 (décision du …, en vigueur le …) »"),
    )
    recorded_by = user_link(_("saisi par"))
    recorded_by_label = models.CharField(_("saisi par (libellé)"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("saisi le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        ordering = ["year", "semester"]
        verbose_name = _("taux de refinancement BCE")
        verbose_name_plural = _("taux de refinancement BCE")
        constraints = [
            models.UniqueConstraint(fields=["year", "semester"], name="legal_one_ecb_rate"),
        ]

    def __str__(self) -> str:
        return f"{self.year} S{self.semester}"
