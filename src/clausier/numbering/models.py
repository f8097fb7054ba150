from django.db import models
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """The last number given in one series (``quote``, ``invoice``...) of a seller for a
    year. Locked with ``select_for_update`` while a number is taken, so that concurrent
    issuers never share or skip one; a rolled-back transaction gives its number back."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="+")
    series = models.CharField(_("série"), max_length=30)
    year = models.PositiveIntegerField(_("année"))
    last_number = models.PositiveIntegerField(_("dernier numéro"), default=0)

    class Meta:
        verbose_name = _("compteur")
        verbose_name_plural = _("compteurs")
        constraints = [
            models.UniqueConstraint(fields=["seller", "series", "year"], name="one_counter"),
        ]

    def __str__(self) -> str:
        return f"{self.seller_id}/{self.series}/{self.year}: {self.last_number}"
