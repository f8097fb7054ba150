"""Contracts' data: a recurring service contract, its lines, the notices not to renew and
the consumer's renewal information (C. conso. L215-1). Data and constraints only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clausier.contracts import transitions as t
from clausier.kernel.fields import Timestamped, optional_link, user_link


class ContractStatus(models.TextChoices):
    ACTIVE = t.ACTIVE, _("en cours")
    NOTICE_GIVEN = t.NOTICE_GIVEN, _("préavis reçu")
    TERMINATED = t.TERMINATED, _("résilié")
    EXPIRED = t.EXPIRED, _("arrivé à terme")
    SUSPENDED = t.SUSPENDED, _("suspendu")


class EndReason(models.TextChoices):
    NOTICE_AT_TERM = t.NOTICE_AT_TERM, _("préavis reçu avant l'échéance")
    CHATEL_ANY_TIME = (
        t.CHATEL_ANY_TIME,
        _("résiliation à tout moment (information de reconduction non envoyée à temps)"),
    )
    NOT_RENEWED = t.NOT_RENEWED, _("terme atteint sans tacite reconduction")
    WITHDRAWAL = t.WITHDRAWAL, _("rétractation du consommateur")
    BREACH = t.BREACH, _("manquement non réparé (art. 7)")
    FORCE_MAJEURE = t.FORCE_MAJEURE, _("force majeure prolongée (art. 8)")
    PRICE_REFUSED = t.PRICE_REFUSED, _("nouveau tarif refusé (art. 12b)")
    PRICE_NOT_ACCEPTED = (
        t.PRICE_NOT_ACCEPTED,
        _("nouveau tarif non accepté à l'échéance (art. 12b)"),
    )
    INSOLVENCY = t.INSOLVENCY, _("procédure collective : mise en demeure sans réponse (art. 7)")


class RevisionStatus(models.TextChoices):
    PROPOSED = t.REVISION_PROPOSED, _("proposé")
    ACCEPTED = t.REVISION_ACCEPTED, _("accepté")
    REFUSED = t.REVISION_REFUSED, _("refusé")
    LAPSED = t.REVISION_LAPSED, _("sans réponse à l'échéance")


class RevisionReason(models.TextChoices):
    TRAFFIC = "traffic", _("hausse importante de fréquentation du site")
    SIZE = "size", _("hausse importante de la taille du site")
    OTHER = "other", _("autre évolution de l'infrastructure technique")


class AnswerChannel(models.TextChoices):
    PORTAL = "portal", _("en ligne, depuis le portail")
    WRITTEN = "written", _("réponse écrite enregistrée par le prestataire")


class Procedure(models.TextChoices):
    CESSATION_ACTIVITY = "cessation_activity", _("cessation d'activité")
    CESSATION_PAYMENTS = "cessation_payments", _("cessation des paiements")
    SAFEGUARD = "safeguard", _("procédure de sauvegarde")
    REORGANISATION = "reorganisation", _("redressement judiciaire")
    LIQUIDATION = "liquidation", _("liquidation judiciaire")
    OTHER = "other", _("autre situation produisant les mêmes effets")


class LineKind(models.TextChoices):
    HOSTING = "hosting", _("hébergement")
    MAINTENANCE = "maintenance", _("maintenance (MCO)")
    CONTENT = "content", _("mise à jour de contenu")
    REPORTS = "reports", _("envoi de rapports")
    DOMAIN = "domain", _("nom de domaine")
    BACKUP = "backup", _("option de sauvegarde")
    OTHER = "other", _("autre prestation récurrente")


class Party(models.TextChoices):
    CLIENT = "client", _("le client")
    SELLER = "seller", _("le prestataire")


class NoticeChannel(models.TextChoices):
    REGISTERED_LETTER = "registered_letter", _("lettre recommandée avec accusé de réception")
    PORTAL = "portal", _("en ligne, depuis le portail")
    EMAIL = "email", _("e-mail")


class Contract(Timestamped):
    """A client's recurring services (seed 002 art. 7) for periods of ``period_months``,
    from ``start_on``; the current term runs from ``term_start`` to ``term_end`` (both
    included) and is renewed by tacit renewal unless a notice is received no later than
    the notice deadline (``notice_months`` before ``term_end``, :mod:`clausier.rules.contracts`).
    Born from an accepted quote's recurring lines or from an activated online order."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="contracts")
    client = models.ForeignKey(
        "customers.Client", on_delete=models.PROTECT, related_name="contracts"
    )
    order = optional_link(
        "orders.Order", _("commande"), related_name="contract", field=models.OneToOneField
    )
    reference = models.CharField(_("référence"), max_length=40)
    # Frozen at conclusion: the consumer's protections (L215-1, L215-1-1) follow the client's
    # kind when the contract was made.
    consumer = models.BooleanField(_("client consommateur"), default=False)
    status = models.CharField(
        _("statut"), max_length=20, choices=ContractStatus.choices, default=t.ACTIVE
    )
    start_on = models.DateField(_("début"))
    period_months = models.PositiveSmallIntegerField(_("durée d'une période (mois)"))
    term_start = models.DateField(_("début de la période en cours"))
    term_end = models.DateField(_("échéance de la période en cours"))
    tacit_renewal = models.BooleanField(_("tacite reconduction"), default=True)
    notice_months = models.PositiveSmallIntegerField(_("préavis (mois avant l'échéance)"))
    notice_source = models.CharField(_("source du préavis"), max_length=60)
    terms_version = models.ForeignKey(
        "terms.TermsVersion", on_delete=models.PROTECT, related_name="contracts"
    )
    terms_label = models.CharField(_("version des CGV"), max_length=30)
    # C. conso. L215-1 al. 2: the renewal information not sent in time, the consumer may end
    # the contract at any time from the renewal date.
    free_termination_from = models.DateField(
        _("résiliable à tout moment à partir du"), null=True, blank=True
    )
    end_reason = models.CharField(
        _("motif de fin"), max_length=30, choices=EndReason.choices, blank=True
    )
    ended_on = models.DateField(_("fin effective le"), null=True, blank=True)
    final_amount_ht = models.DecimalField(
        _("reste dû HT (prestations réalisées)"), max_digits=14, decimal_places=2, default=0
    )
    refund_amount_ht = models.DecimalField(
        _("remboursement HT (périodes prépayées)"), max_digits=14, decimal_places=2, default=0
    )
    # The final sums line by line, with their explanations (``Explained.as_dict()``).
    end_explanation = models.JSONField(_("calcul des sommes de fin"), default=dict, blank=True)
    # A revised price accepted at term (seed 002 art. 12b) makes a new version of the
    # contract; the amounts of the former one stay on its PriceRevision.
    version = models.PositiveSmallIntegerField(_("version du contrat"), default=1)
    created_by = user_link(_("créé par"))
    # Seed 002 art. 9: a confidential contract is read only by the staff named here and by
    # the owner (sellers.confidentiality).
    confidential = models.BooleanField(_("confidentiel"), default=False)
    confidential_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="confidential_contracts",
        verbose_name=_("personnes autorisées"),
    )

    class Meta:
        ordering = ["term_end", "id"]
        verbose_name = _("contrat")
        verbose_name_plural = _("contrats")
        indexes = [
            models.Index(fields=["seller", "status", "term_end"]),
            models.Index(fields=["client", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["seller", "reference"], name="contracts_reference"),
            models.CheckConstraint(
                condition=Q(term_end__gte=models.F("term_start")),
                name="contracts_term_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(final_amount_ht__gte=0, refund_amount_ht__gte=0),
                name="contracts_end_sums_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Contrat {self.reference}"


class ContractLine(models.Model):
    """One recurring service of a contract, priced per period (HT). ``paid_through``: the
    last day the client has paid for (a period invoiced in advance and paid sets it to the
    period's end); the final sums compare it with the termination's effective date."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("nature"), max_length=20, choices=LineKind.choices)
    description = models.TextField(_("désignation"))
    amount_ht = models.DecimalField(_("montant HT par période"), max_digits=14, decimal_places=2)
    vat_rate = models.DecimalField(_("taux de TVA"), max_digits=5, decimal_places=4, default=0)
    paid_through = models.DateField(_("payé jusqu'au"), null=True, blank=True)
    order_line = optional_link("orders.OrderLine", _("ligne de commande"))

    class Meta:
        ordering = ["contract", "position", "id"]
        verbose_name = _("ligne de contrat")
        verbose_name_plural = _("lignes de contrat")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_ht__gte=0), name="contracts_line_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]


class Notice(models.Model):
    """A notice not to renew (or, for a consumer not told in time, to end at once) received
    for the term ending ``term_end``: by registered letter (tracking number, sent and received
    dates as evidence), or online from the portal (received the day it is given). Decided
    when recorded: ``in_time`` against ``deadline`` and ``effective_on`` frozen with their
    explanation."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="notices")
    given_by = models.CharField(_("donné par"), max_length=10, choices=Party.choices)
    channel = models.CharField(_("reçu par"), max_length=20, choices=NoticeChannel.choices)
    term_end = models.DateField(_("échéance visée"))
    deadline = models.DateField(_("dernier jour de réception"))
    sent_on = models.DateField(_("envoyé le"), null=True, blank=True)
    received_on = models.DateField(_("reçu le"))
    tracking_number = models.CharField(_("numéro de suivi"), max_length=60, blank=True)
    # Received by the current term's deadline; a late notice ends the next term instead.
    in_time = models.BooleanField(_("reçu avant l'échéance visée"))
    effective_on = models.DateField(_("fin du contrat le"))
    explanation = models.JSONField(_("calcul"), default=dict)
    acknowledged_at = models.DateTimeField(
        _("accusé de réception envoyé le"), null=True, blank=True
    )
    acknowledgement_message_id = models.CharField(
        _("Message-ID de l'accusé de réception"), max_length=300, blank=True
    )
    created_by = user_link(_("enregistré par"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("préavis")
        verbose_name_plural = _("préavis")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "term_end"], name="contracts_one_notice_per_term"
            ),
        ]

    def __str__(self) -> str:
        return f"Préavis n° {self.pk}"


class RenewalLetter(models.Model):
    """The consumer's information of a coming tacit renewal (C. conso. L215-1), once per
    term: sent on ``sent_on`` for the notice deadline ``notice_deadline``, in time or not."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="renewal_letters")
    term_end = models.DateField(_("échéance"))
    notice_deadline = models.DateField(_("dernier jour pour refuser la reconduction"))
    sent_on = models.DateField(_("envoyée le"))
    in_time = models.BooleanField(_("dans la fenêtre légale"))
    sent_to = models.CharField(_("destinataires"), max_length=500, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=300, blank=True)
    # Written before it is sent: no Message-ID yet means not sent (a failed send is retried
    # once by the next daily run).
    send_attempts = models.PositiveSmallIntegerField(_("envois tentés"), default=0)
    explanation = models.JSONField(_("calcul"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-term_end", "-id"]
        verbose_name = _("information de reconduction")
        verbose_name_plural = _("informations de reconduction")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "term_end"], name="contracts_one_letter_per_term"
            ),
        ]

    def __str__(self) -> str:
        return f"Information de reconduction n° {self.pk}"

    @property
    def sent(self) -> bool:
        """Whether the letter left (its Message-ID kept)."""
        return bool(self.message_id)


class Breach(models.Model):
    """A breach named in a registered letter sent on ``sent_on`` (seed 002 art. 7): the
    contract ends on ``ends_on`` (10 jours ouvrés later, its last day served) unless staff
    record the remedy on that day or before; at once when a remedy is impossible. The
    deadline is frozen with its explanation when recorded."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="breaches")
    given_by = models.CharField(_("notifié par"), max_length=10, choices=Party.choices)
    description = models.TextField(_("manquement"))
    sent_on = models.DateField(_("lettre recommandée envoyée le"))
    tracking_number = models.CharField(_("numéro de suivi"), max_length=60)
    remedy_possible = models.BooleanField(_("remède possible"), default=True)
    ends_on = models.DateField(_("fin du contrat sans remède le"))
    explanation = models.JSONField(_("calcul"), default=dict)
    remedied_on = models.DateField(_("réparé le"), null=True, blank=True)
    remedy_note = models.TextField(_("remède"), blank=True)
    created_by = user_link(_("enregistré par"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("manquement")
        verbose_name_plural = _("manquements")
        constraints = [
            models.CheckConstraint(
                condition=Q(remedied_on__isnull=True) | Q(remedied_on__gte=models.F("sent_on")),
                name="contracts_breach_remedied_after_letter",
            ),
        ]

    def __str__(self) -> str:
        return f"Manquement n° {self.pk}"


class ForceMajeure(models.Model):
    """A force majeure event (seed 002 art. 8) from ``started_on`` to ``ended_on`` (open
    while it lasts), notified on ``notice_received_on`` (within 5 jours ouvrés:
    ``notified_in_time``). Lasting beyond 15 jours ouvrés from the notification's receipt,
    either party may end the contract from ``termination_from``, without damages, on receipt
    of its registered letter. Obligations and SLA clocks are paused meanwhile."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="force_majeure_events"
    )
    declared_by = models.CharField(_("invoquée par"), max_length=10, choices=Party.choices)
    description = models.TextField(_("événement"))
    started_on = models.DateField(_("survenu le"))
    ended_on = models.DateField(_("terminé le"), null=True, blank=True)
    notice_received_on = models.DateField(_("notification reçue le"))
    notice_deadline = models.DateField(_("dernier jour pour notifier"))
    notified_in_time = models.BooleanField(_("notifiée dans le délai"))
    termination_from = models.DateField(_("résiliation possible à partir du"))
    explanation = models.JSONField(_("calcul"), default=dict)
    created_by = user_link(_("enregistré par"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("force majeure")
        verbose_name_plural = _("cas de force majeure")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="contracts_force_majeure_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(notice_received_on__gte=models.F("started_on")),
                name="contracts_force_majeure_notified_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Force majeure n° {self.pk}"


class PriceRevision(models.Model):
    """A revised price proposed for the term ending ``term_end`` (seed 002 art. 12b: the
    maintenance package "revu à la hausse à échéance" when the infrastructure must grow):
    ``lines`` holds each contract line's current and new amounts HT (increases only). The
    tacit renewal of that term is void; accepted, the contract renews at term with the new
    amounts (version ``version_after``); refused or unanswered, it ends at term."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="price_revisions")
    term_end = models.DateField(_("échéance visée"))
    reason = models.CharField(_("motif"), max_length=20, choices=RevisionReason.choices)
    reason_note = models.TextField(_("précisions"), blank=True)
    # [{"line": pk, "description": ..., "current": "100.00", "new": "120.00"}]
    lines = models.JSONField(_("lignes (montants actuels et nouveaux HT)"), default=list)
    current_total_ht = models.DecimalField(
        _("total actuel HT par période"), max_digits=14, decimal_places=2
    )
    new_total_ht = models.DecimalField(
        _("nouveau total HT par période"), max_digits=14, decimal_places=2
    )
    proposed_on = models.DateField(_("proposé le"))
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=RevisionStatus.choices,
        default=t.REVISION_PROPOSED,
    )
    decided_on = models.DateField(_("réponse le"), null=True, blank=True)
    decided_via = models.CharField(
        _("réponse reçue"), max_length=20, choices=AnswerChannel.choices, blank=True
    )
    decided_by = user_link(_("réponse enregistrée par"))
    version_before = models.PositiveSmallIntegerField(_("version du contrat avant"))
    message_id = models.CharField(_("Message-ID de la proposition"), max_length=300, blank=True)
    explanation = models.JSONField(_("calcul"), default=dict)
    created_by = user_link(_("proposé par"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-term_end", "-id"]
        verbose_name = _("révision du tarif")
        verbose_name_plural = _("révisions du tarif")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "term_end"], name="contracts_one_revision_per_term"
            ),
            models.CheckConstraint(
                condition=Q(new_total_ht__gte=models.F("current_total_ht")),
                name="contracts_revision_only_upwards",
            ),
        ]

    def __str__(self) -> str:
        return f"Révision du tarif n° {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == t.REVISION_PROPOSED


class InsolvencyNotice(models.Model):
    """A formal notice (mise en demeure) sent on ``sent_on`` to the administrator (or
    liquidator) of an insolvent party (seed 002 art. 7 al. 3; C. com. L622-13 III 1°): left
    unanswered more than a month, the contract may be ended from ``termination_from``. An
    answer recorded on ``answered_on`` stops it (the administrator chose to continue)."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="insolvency_notices"
    )
    insolvent_party = models.CharField(
        _("partie en procédure"), max_length=10, choices=Party.choices
    )
    procedure = models.CharField(_("procédure"), max_length=30, choices=Procedure.choices)
    administrator = models.CharField(_("administrateur ou liquidateur"), max_length=200)
    sent_on = models.DateField(_("mise en demeure envoyée le"))
    tracking_number = models.CharField(_("numéro de suivi"), max_length=60)
    termination_from = models.DateField(_("résiliation possible à partir du"))
    explanation = models.JSONField(_("calcul"), default=dict)
    answered_on = models.DateField(_("réponse reçue le"), null=True, blank=True)
    answer_note = models.TextField(_("réponse"), blank=True)
    created_by = user_link(_("enregistré par"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("mise en demeure (procédure collective)")
        verbose_name_plural = _("mises en demeure (procédure collective)")
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=models.F("sent_on")),
                name="contracts_insolvency_answered_after_notice",
            ),
        ]

    def __str__(self) -> str:
        return f"Mise en demeure n° {self.pk}"


class ClaimStatus(models.TextChoices):
    RECEIVED = t.RECEIVED, _("reçue")
    UNDER_REVIEW = t.UNDER_REVIEW, _("en cours d'examen")
    ACCEPTED = t.ACCEPTED, _("acceptée")
    REJECTED = t.REJECTED, _("rejetée")
    SETTLED = t.SETTLED, _("réglée")


class ClaimExclusion(models.TextChoices):
    """The cases in which the seller's liability is excluded (seed 002 art. 10, clause
    ``liability.exclusions``), ticked by staff on a claim."""

    CLIENT_INFORMATION = (
        "client_information",
        _("erreur due à un manque d'information ou à des informations erronées du client"),
    )
    CLIENT_DELAY = "client_delay", _("retard occasionné par le client")
    CLIENT_DECISION = (
        "client_decision",
        _("décision explicite ou intervention du client, ou cause hors du domaine du prestataire"),
    )


class LiabilityClaim(models.Model):
    """A claim against the seller received by registered letter on ``received_on`` (the
    claim date, seed 002 art. 10). Its cap (``cap_ht``) is the clause's ratio of the HT
    total the client actually paid for the service by that date (``paid_ht``), measured by
    payments (a later stage) through facts; None until measured. ``explanation``: the cap's
    :class:`~clausier.rules.explain.Explained` and the payments counted."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="claims")
    received_on = models.DateField(_("lettre recommandée reçue le"))
    sent_on = models.DateField(_("envoyée le"), null=True, blank=True)
    tracking_number = models.CharField(_("numéro de suivi"), max_length=60)
    description = models.TextField(_("réclamation"))
    amount_claimed = models.DecimalField(
        _("montant réclamé"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=ClaimStatus.choices, default=t.RECEIVED
    )
    decided_amount = models.DecimalField(
        _("montant retenu"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    exclusions = models.JSONField(_("exclusions de responsabilité"), default=list, blank=True)
    paid_ht = models.DecimalField(
        _("HT payé pour le service"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    cap_ht = models.DecimalField(
        _("plafond HT"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    explanation = models.JSONField(_("calcul du plafond"), default=dict, blank=True)
    measured_at = models.DateTimeField(_("plafond calculé le"), null=True, blank=True)
    created_by = user_link(_("enregistrée par"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("réclamation")
        verbose_name_plural = _("réclamations")
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_on__isnull=True) | Q(received_on__gte=models.F("sent_on")),
                name="contracts_claim_received_after_sent",
            ),
            models.CheckConstraint(
                condition=Q(amount_claimed__isnull=True) | Q(amount_claimed__gte=0),
                name="contracts_claim_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Réclamation n° {self.pk}"

    def exclusion_labels(self) -> list[str]:
        labels = dict(ClaimExclusion.choices)
        return [str(labels[x]) for x in self.exclusions if x in labels]


class ArchiveChannel(models.TextChoices):
    LETTER = "letter", _("courrier")
    EMAIL = "email", _("e-mail")
    PORTAL = "portal", _("portail client")


class ArchiveStatus(models.TextChoices):
    REQUESTED = t.REQUESTED, _("demandée")
    DELIVERED = t.DELIVERED, _("livrée")


class ArchiveRequest(models.Model):
    """The client's written request for its site's archive (files and database extract,
    seed 002 art. 7), received on ``received_on``. The clause sets no delay: ``deadline`` is
    the seller's commitment, set by staff (prefilled by the seller's practice). Delivered on
    ``delivered_on`` with its evidence (method, reference, an optional receipt and its
    SHA-256)."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="archive_requests"
    )
    received_on = models.DateField(_("demande reçue le"))
    channel = models.CharField(_("reçue par"), max_length=10, choices=ArchiveChannel.choices)
    deadline = models.DateField(_("à livrer au plus tard le"))
    explanation = models.JSONField(_("calcul"), default=dict, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=ArchiveStatus.choices, default=t.REQUESTED
    )
    delivered_on = models.DateField(_("livrée le"), null=True, blank=True)
    delivery_method = models.CharField(_("moyen de livraison"), max_length=60, blank=True)
    delivery_reference = models.CharField(_("référence de livraison"), max_length=300, blank=True)
    receipt = models.FileField(_("preuve de livraison"), upload_to="archives/", blank=True)
    receipt_sha256 = models.CharField(
        _("empreinte SHA-256 de la preuve"), max_length=64, blank=True
    )
    acknowledged_at = models.DateTimeField(
        _("accusé de réception envoyé le"), null=True, blank=True
    )
    created_by = user_link(_("enregistrée par"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("demande d'archive")
        verbose_name_plural = _("demandes d'archive")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("received_on")),
                name="contracts_archive_deadline_after_request",
            ),
            models.CheckConstraint(
                condition=Q(delivered_on__isnull=True)
                | Q(delivered_on__gte=models.F("received_on")),
                name="contracts_archive_delivered_after_request",
            ),
        ]

    def __str__(self) -> str:
        return f"Demande d'archive n° {self.pk}"

    def overdue_on(self, today) -> bool:
        """Not delivered and past its deadline on ``today``."""
        return self.status == t.REQUESTED and today > self.deadline


class NdaStatus(models.TextChoices):
    REQUESTED = t.NDA_REQUESTED, _("demandé")
    SIGNED = t.NDA_SIGNED, _("signé")
    DECLINED = t.NDA_DECLINED, _("refusé")


class Nda(models.Model):
    """A confidentiality agreement (accord de confidentialité) with a client, seed 002 art. 9:
    the seller signs one when the client asks (clause ``confidentiality.nda_on_request``).
    Requested (by the client from the portal, or noted by staff) -> signed (the signed PDF
    stored with its SHA-256, its effective period) or declined. Optionally about one quote
    or one contract."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="ndas")
    client = models.ForeignKey("customers.Client", on_delete=models.PROTECT, related_name="ndas")
    quote = optional_link("quotes.Quote", _("devis"), related_name="ndas")
    contract = optional_link(Contract, _("contrat"), related_name="ndas")
    title = models.CharField(_("objet"), max_length=200)
    scope = models.TextField(_("périmètre"), blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=NdaStatus.choices, default=t.NDA_REQUESTED
    )
    requested_on = models.DateField(_("demandé le"), null=True, blank=True)
    requested_by_client = models.BooleanField(_("demandé par le client"), default=False)
    signed_on = models.DateField(_("signé le"), null=True, blank=True)
    effective_from = models.DateField(_("en vigueur du"), null=True, blank=True)
    # None: without end (indefinite).
    effective_until = models.DateField(_("en vigueur jusqu'au"), null=True, blank=True)
    file = models.FileField(_("accord signé (PDF)"), upload_to="contracts/ndas/%Y/", blank=True)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)
    decline_reason = models.TextField(_("motif du refus"), blank=True)
    recorded_by = user_link(_("enregistré par"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("accord de confidentialité")
        verbose_name_plural = _("accords de confidentialité")
        indexes = [models.Index(fields=["seller", "status"]), models.Index(fields=["client"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=t.NDA_SIGNED)
                | (Q(signed_on__isnull=False, effective_from__isnull=False) & ~Q(sha256="")),
                name="contracts_nda_signed_has_file",
            ),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gte=models.F("effective_from")),
                name="contracts_nda_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"Accord de confidentialité n° {self.pk}"


class DomainStatus(models.TextChoices):
    ACTIVE = t.DOMAIN_ACTIVE, _("actif")
    RENEWAL_DUE = t.RENEWAL_DUE, _("renouvellement en cours")
    RELEASED = t.RELEASED, _("libéré à l'échéance")
    TRANSFERRED = t.TRANSFERRED, _("transféré")


class Domain(models.Model):
    """A domain name the seller registers in its own name for a client's site (seed 002
    art. 11, clause ``domains.registration``), for the clause's term from ``registered_on``
    to ``expires_on`` (moved one term on at each renewal), while its contract runs. The
    registration stays payable to the end of its year, whatever the contract's end."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="domains")
    client = models.ForeignKey("customers.Client", on_delete=models.PROTECT, related_name="domains")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="domains")
    line = optional_link(ContractLine, _("ligne du contrat"))
    name = models.CharField(_("nom de domaine"), max_length=253)
    registrar = models.CharField(_("bureau d'enregistrement"), max_length=120)
    registrant = models.CharField(_("titulaire"), max_length=200)
    status = models.CharField(
        _("statut"), max_length=20, choices=DomainStatus.choices, default=t.DOMAIN_ACTIVE
    )
    registered_on = models.DateField(_("enregistré le"))
    expires_on = models.DateField(_("échéance"))
    term = models.CharField(_("durée d'un enregistrement"), max_length=20)
    clause_id = models.CharField(_("clause"), max_length=80)
    terms_label = models.CharField(_("version des CGV"), max_length=30)
    explanation = models.JSONField(_("calcul"), default=dict)
    ended_on = models.DateField(_("fin le"), null=True, blank=True)
    created_by = user_link(_("enregistré par"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["expires_on", "id"]
        verbose_name = _("nom de domaine")
        verbose_name_plural = _("noms de domaine")
        indexes = [models.Index(fields=["seller", "status", "expires_on"])]
        constraints = [
            models.UniqueConstraint(fields=["seller", "name"], name="contracts_domain_name"),
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("registered_on")),
                name="contracts_domain_expires_after_registration",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DomainRenewal(models.Model):
    """A registration renewed ahead of its expiry ``expires_on`` (once per domain and
    expiry), up to ``renewed_to``: billed the contract's domain line for a term, the invoice
    recorded once invoicing issued it."""

    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="renewals")
    expires_on = models.DateField(_("échéance renouvelée"))
    renewed_to = models.DateField(_("nouvelle échéance"))
    due_on = models.DateField(_("renouvelé le"))
    amount_ht = models.DecimalField(_("montant HT"), max_digits=14, decimal_places=2)
    vat_rate = models.DecimalField(_("taux de TVA"), max_digits=5, decimal_places=4, default=0)
    explanation = models.JSONField(_("calcul"), default=dict)
    invoice_id = models.PositiveBigIntegerField(_("facture"), null=True, blank=True)
    invoice_number = models.CharField(_("numéro de facture"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-expires_on", "-id"]
        verbose_name = _("renouvellement de nom de domaine")
        verbose_name_plural = _("renouvellements de noms de domaine")
        constraints = [
            models.UniqueConstraint(
                fields=["domain", "expires_on"], name="contracts_one_renewal_per_expiry"
            ),
        ]

    def __str__(self) -> str:
        return f"Renouvellement n° {self.pk}"


class RestoreStatus(models.TextChoices):
    REQUESTED = t.REQUESTED, _("demandée")
    DONE = t.DONE, _("effectuée")
    REFUSED = t.REFUSED, _("refusée")


class RestoreRequest(models.Model):
    """A restore of the client's site from a backup (seed 002 art. 11, clause
    ``hosting.restore_fee``), open only to a contract with a running backup option: asked
    from the portal by the client or recorded by staff from a written request; done, it is
    billed the clause's flat fee, frozen here with its clause and terms version."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="restores")
    status = models.CharField(
        _("statut"), max_length=20, choices=RestoreStatus.choices, default=t.REQUESTED
    )
    requested_at = models.DateTimeField(_("demandée le"))
    from_portal = models.BooleanField(_("demandée depuis le portail"), default=False)
    backup_on = models.DateField(_("sauvegarde du"))
    note = models.TextField(_("précisions"), blank=True)
    amount_ht = models.DecimalField(_("forfait HT"), max_digits=14, decimal_places=2)
    fee_label = models.CharField(_("libellé"), max_length=200)
    clause_id = models.CharField(_("clause"), max_length=80)
    terms_label = models.CharField(_("version des CGV"), max_length=30)
    done_at = models.DateTimeField(_("effectuée le"), null=True, blank=True)
    refusal = models.TextField(_("motif du refus"), blank=True)
    invoice_id = models.PositiveBigIntegerField(_("facture"), null=True, blank=True)
    invoice_number = models.CharField(_("numéro de facture"), max_length=40, blank=True)
    requested_by = user_link(_("demandée par"))
    closed_by = user_link(_("traitée par"))

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("demande de restauration")
        verbose_name_plural = _("demandes de restauration")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_ht__gte=0), name="contracts_restore_fee_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"Restauration n° {self.pk}"
