"""Bank statements imported (CAMT.053 or CSV), their lines and what became of each, and the
CSV column mapping saved for each bank. Declared with the payments' models
(:mod:`clausier.payments.models` imports them)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clausier.kernel.fields import Timestamped, optional_link, user_link
from clausier.payments import statement_transitions as st


class StatementFormat(models.TextChoices):
    CAMT053 = "camt053", _("CAMT.053 (ISO 20022)")
    CSV = "csv", _("CSV")


class StatementStatus(models.TextChoices):
    QUEUED = st.QUEUED, _("En file d'attente")
    IMPORTING = st.IMPORTING, _("Import en cours")
    IMPORTED = st.IMPORTED, _("Importé")


class LineState(models.TextChoices):
    MATCHED = st.MATCHED, _("Rapprochée")
    TO_REVIEW = st.TO_REVIEW, _("À rapprocher")
    CREDITED = st.CREDITED, _("Crédit du client")
    IGNORED = st.IGNORED, _("Ignorée")
    DUPLICATE = st.DUPLICATE, _("Déjà importée")


class BankCsvMapping(Timestamped):
    """How one bank writes its CSV statements (:class:`~clausier.payments.bank.csv_statement.
    CsvMapping`, kept as its JSON), saved once per bank and seller."""

    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.PROTECT, related_name="bank_csv_mappings"
    )
    bank = models.CharField(_("banque"), max_length=100)
    mapping = models.JSONField(_("correspondance des colonnes"))

    class Meta:
        ordering = ["bank", "id"]
        verbose_name = _("correspondance CSV d'une banque")
        verbose_name_plural = _("correspondances CSV des banques")
        constraints = [
            models.UniqueConstraint(fields=["seller", "bank"], name="payments_one_mapping_per_bank")
        ]

    def __str__(self) -> str:
        return self.bank


class BankStatement(Timestamped):
    """A statement file imported: its account and period, where the import is
    (``progress_done`` of ``progress_total`` lines) and what became of its lines. ``content``
    is the file as received, read again by the import (and kept for the record)."""

    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.PROTECT, related_name="bank_statements"
    )
    filename = models.CharField(_("fichier"), max_length=255)
    format = models.CharField(_("format"), max_length=10, choices=StatementFormat.choices)
    csv_mapping = models.JSONField(_("correspondance des colonnes"), null=True, blank=True)
    content = models.BinaryField(_("contenu"))
    statement_ref = models.CharField(_("référence du relevé"), max_length=140, blank=True)
    account_iban = models.CharField(_("compte"), max_length=34, blank=True)
    period_start = models.DateField(_("du"), null=True, blank=True)
    period_end = models.DateField(_("au"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=StatementStatus.choices, default=StatementStatus.QUEUED
    )
    matched_count = models.PositiveIntegerField(_("rapprochées"), default=0)
    to_review_count = models.PositiveIntegerField(_("à rapprocher"), default=0)
    duplicate_count = models.PositiveIntegerField(_("doublons écartés"), default=0)
    ignored_count = models.PositiveIntegerField(_("ignorées"), default=0)
    progress_done = models.PositiveIntegerField(_("lignes traitées"), default=0)
    progress_total = models.PositiveIntegerField(_("lignes"), default=0)
    imported_by = user_link(_("importé par"))
    imported_at = models.DateTimeField(_("importé le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("relevé bancaire")
        verbose_name_plural = _("relevés bancaires")
        indexes = [models.Index(fields=["seller", "-created_at"])]

    def __str__(self) -> str:
        return f"Relevé n° {self.pk} ({self.filename})"

    @property
    def is_done(self) -> bool:
        return self.status == StatementStatus.IMPORTED

    @property
    def percent(self) -> int:
        return 100 * self.progress_done // self.progress_total if self.progress_total else 100


class BankStatementLine(models.Model):
    """One movement of a statement (its ``position`` in the file, from 0) as the bank gave
    it, and what became of it (``state``): the ``payment`` recorded for it, the reasons of the
    matching (``explanation``), the reason it was ignored. Its ``fingerprint`` is stored once
    per seller: the same movement in a later statement is a ``duplicate``, never paid twice."""

    statement = models.ForeignKey(BankStatement, on_delete=models.CASCADE, related_name="lines")
    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("rang"))
    fingerprint = models.CharField(_("empreinte"), max_length=64)
    booking_date = models.DateField(_("date d'opération"), null=True, blank=True)
    value_date = models.DateField(_("date de valeur"), null=True, blank=True)
    amount = models.DecimalField(_("montant"), max_digits=14, decimal_places=2)
    direction = models.CharField(_("sens"), max_length=6)
    currency = models.CharField(_("devise"), max_length=3)
    counterparty_name = models.CharField(_("contrepartie"), max_length=140, blank=True)
    counterparty_iban = models.CharField(_("compte de la contrepartie"), max_length=34, blank=True)
    remittance = models.TextField(_("libellé"), blank=True)
    creditor_reference = models.CharField(_("référence structurée"), max_length=35, blank=True)
    end_to_end_id = models.CharField(_("référence de bout en bout"), max_length=35, blank=True)
    bank_reference = models.CharField(_("référence de la banque"), max_length=35, blank=True)
    reversal = models.BooleanField(_("contre-passation"), default=False)
    state = models.CharField(_("état"), max_length=20, choices=LineState.choices)
    method = models.CharField(_("rapprochée par"), max_length=20, blank=True)
    payment = optional_link("payments.Payment", _("paiement"), related_name="statement_lines")
    explanation = models.JSONField(_("explication"), default=dict, blank=True)
    ignored_reason = models.TextField(_("motif"), blank=True)
    reviewed_by = user_link(_("rapprochée par"))
    reviewed_at = models.DateTimeField(_("rapprochée le"), null=True, blank=True)

    class Meta:
        ordering = ["statement", "position"]
        verbose_name = _("ligne de relevé")
        verbose_name_plural = _("lignes de relevé")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "position"], name="payments_one_line_per_position"
            ),
            # A movement is imported once per seller; its repeats are kept as duplicates.
            models.UniqueConstraint(
                fields=["seller", "fingerprint"],
                condition=~Q(state=st.DUPLICATE),
                name="payments_one_line_per_fingerprint",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_line_positive"),
        ]
        indexes = [models.Index(fields=["seller", "state"])]

    def __str__(self) -> str:
        return f"Ligne {self.position + 1} du relevé n° {self.statement_id}"
