"""The words of the clause forms: what each kind of clause is called, each parameter's label,
each coded value in words, and the help that quotes the law. The fields themselves, their
types, choices and rules come from the schemas (``terms.schemas``); this module only says
them in the reader's language (gettext)."""

from __future__ import annotations

from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from clausier.kernel.periods import period_words, unit_words
from clausier.rules.interest import B2B_PENALTY_FLOOR_MULTIPLIER, RECOVERY_INDEMNITY
from clausier.rules.money import FRANCHISE_MENTION
from clausier.terms.domain import facts
from clausier.terms.schemas import ClauseKind


def _with_law(message: str, **values: Any) -> str:
    """``message`` (marked with ``gettext_noop``) translated when shown, ``values`` put in:
    a help that quotes a legal figure and its source from the data, never retyped."""

    def shown() -> str:
        words = {k: v() if callable(v) else v for k, v in values.items()}
        return gettext(message) % words

    return lazy(shown, str)()


KIND_WORDS: dict[str, Any] = {
    ClauseKind.TEXT: _("Texte seul, sans paramètre"),
    ClauseKind.CLIENTS_KINDS: _("Clients visés"),
    ClauseKind.PRICING: _("Prix"),
    ClauseKind.ORDER_FLOW: _("Déroulement de la commande"),
    ClauseKind.QUOTE_RULES: _("Devis"),
    ClauseKind.VAT_REGIME: _("Régime de TVA"),
    ClauseKind.PAYMENT_METHODS: _("Moyens de paiement"),
    ClauseKind.PAYMENT_DUE: _("Délai de paiement"),
    ClauseKind.PAYMENT_EARLY_DISCOUNT: _("Escompte pour paiement anticipé"),
    ClauseKind.PAYMENT_DEPOSIT: _("Acompte"),
    ClauseKind.PAYMENT_ACCEPTANCE: _("Paiement valant acceptation"),
    ClauseKind.LATE_PENALTY: _("Pénalités de retard"),
    ClauseKind.LATE_INDEMNITY: _("Indemnité forfaitaire de recouvrement"),
    ClauseKind.LATE_CONSEQUENCES: _("Conséquences d'un retard de paiement"),
    ClauseKind.WITHDRAWAL_PERIOD: _("Délai de rétractation"),
    ClauseKind.WITHDRAWAL_REFUND: _("Remboursement après rétractation"),
    ClauseKind.EXECUTION_DEADLINE: _("Délai d'exécution"),
    ClauseKind.CONSUMER_MEDIATOR: _("Médiateur de la consommation"),
    ClauseKind.CONTRACT_RENEWAL: _("Renouvellement du contrat"),
    ClauseKind.CONTRACT_TERMINATION_BREACH: _("Résiliation pour manquement"),
    ClauseKind.CONTRACT_TERMINATION_INSOLVENCY: _("Résiliation pour insolvabilité"),
    ClauseKind.CONTRACT_END: _("Fin du contrat"),
    ClauseKind.FORCE_MAJEURE: _("Force majeure"),
    ClauseKind.CONFIDENTIALITY: _("Confidentialité"),
    ClauseKind.LIABILITY_CAP: _("Plafond de responsabilité"),
    ClauseKind.FEE_FLAT: _("Frais forfaitaires"),
    ClauseKind.DOMAINS_REGISTRATION: _("Noms de domaine"),
    ClauseKind.GUARANTEES: _("Garanties"),
    ClauseKind.MAINTENANCE_SCOPE: _("Périmètre de la maintenance"),
    ClauseKind.SLA_BUSINESS_HOURS: _("Heures ouvrées du support"),
    ClauseKind.SLA_LEVEL: _("Niveau de service (GTI et GTR)"),
    ClauseKind.SUPPORT_CONTACTS: _("Contacts du support"),
    ClauseKind.MAINTENANCE_VERSIONS: _("Versions maintenues"),
    ClauseKind.MAINTENANCE_PRICE_REVISION: _("Révision du prix de la maintenance"),
    ClauseKind.LAW_JURISDICTION: _("Droit applicable et tribunal compétent"),
}

# A parameter's label, by its key in the schema; (kind, key) when a kind says it otherwise.
LABELS: dict[Any, Any] = {
    "n": _("Durée"),
    "unit": _("Unité"),
    "from": _("À compter de"),
    "kinds": _("Clients visés"),
    "shown": _("Prix affichés"),
    "revisable": _("Prix révisables"),
    "billing": _("Facturation"),
    "units": _("Unités de prix"),
    "fees_mentioned": _("Frais mentionnés"),
    "recap": _("Récapitulatif de commande"),
    "client_can_edit": _("Le client peut modifier sa commande"),
    "auto_validate": _("Validation automatique"),
    "invoice_after_payment": _("Facture émise après le paiement"),
    "invoice_channels": _("Facture mise à disposition"),
    "free": _("Devis gratuit"),
    "specification_for_complex": _("Cahier des charges pour les projets complexes"),
    "mockups_contractual": _("Maquettes contractuelles"),
    "copies": _("Exemplaires du devis"),
    "contents": _("Contenu du devis, une mention par ligne"),
    "acceptance_methods": _("Modes d'acceptation"),
    "postal_mentions": _("Mentions du « Bon pour accord », une par ligne"),
    "validity_days": _("Validité du devis (jours)"),
    "unaccepted_or_expired": _("Devis non accepté ou expiré"),
    "regime": _("Régime"),
    "mention": _("Mention sur les factures"),
    "methods": _("Moyens acceptés"),
    "on_failure": _("En cas d'échec du paiement"),
    "rate": _("Taux (%)"),
    (ClauseKind.PAYMENT_DEPOSIT, "rate"): _("Acompte (% du devis HT)"),
    (ClauseKind.PAYMENT_EARLY_DISCOUNT, "rate"): _("Escompte (%)"),
    "base": _("Assiette"),
    "required_when": _("Acompte exigé"),
    "work_starts_after": _("Les travaux commencent après"),
    "balance": _("Solde"),
    "full_payment_is_acceptance": _("Le paiement complet vaut acceptation"),
    "multiplier": _("Multiplicateur du taux"),
    "of": _("Taux de référence"),
    "rate_date": _("Taux retenu à la date"),
    "start": _("Point de départ"),
    "prorata_temporis": _("Au prorata temporis"),
    "plus_points": _("Points ajoutés au taux"),
    "amount": _("Montant (€)"),
    "all_sums_due": _("Toutes les sommes deviennent exigibles"),
    "suspend_work": _("Les travaux sont suspendus"),
    "refuse_new_orders": _("Les nouvelles commandes sont refusées"),
    "channel": _("Moyen de rétractation"),
    "address": _("Adresse de rétractation"),
    "refused_if_service_used": _("Refusé si le service a été utilisé"),
    "name": _("Nom du médiateur"),
    "url": _("Site internet"),
    "tacit": _("Reconduction tacite"),
    "notice": _("Préavis"),
    "notice_form": _("Forme de la notification"),
    "chatel_information": _("Le consommateur est informé avant l'échéance"),
    "cure": _("Délai pour remédier au manquement"),
    "immediate_if_cannot_cure": _("Immédiate s'il ne peut y être remédié"),
    "immediate": _("Résiliation immédiate"),
    "formal_notice_unanswered": _("Mise en demeure restée sans effet"),
    "sums_for_work_done_due": _("Les travaux réalisés restent dus"),
    "site_archive_on_written_request": _("Archive du site remise sur demande écrite"),
    "notify": _("Délai pour notifier l'événement"),
    "termination_after": _("Résiliation possible au-delà de"),
    "nda_on_request": _("Accord de confidentialité sur demande"),
    "quotes_confidential": _("Devis et cahiers des charges confidentiels"),
    "ratio": _("Plafond (% du montant HT payé)"),
    "at": _("Apprécié à la date"),
    "label": _("Libellé sur la facture"),
    "registrant": _("Titulaire du nom de domaine"),
    "term": _("Durée d'enregistrement"),
    "sums_due_after_termination": _("Les sommes restent dues après la résiliation"),
    "items": _("Garanties, une par ligne"),
    "severity_qualified_by": _("Gravité qualifiée par"),
    "email_confirmation_required": _("Confirmation par e-mail exigée"),
    "exclusions": _("Exclusions, une par ligne"),
    "excluded_handling": _("Demandes exclues"),
    "schedule": _("Horaires"),
    "tz": _("Fuseau horaire"),
    "gti_business": _("Intervention (GTI) en heures ouvrées"),
    "gti_outside": _("Intervention (GTI) hors heures ouvrées"),
    "gtr": _("Rétablissement (GTR)"),
    "penalty_rate": _("Pénalité (% de la consommation moyenne)"),
    "penalty_base": _("Assiette de la pénalité"),
    "penalty_months": _("Mois de consommation dans la moyenne"),
    "penalty_cap": _("Plafond de la pénalité (HT)"),
    "phone": _("Téléphone"),
    "email": _("Adresse e-mail"),
    "email_to_ticket": _("Un e-mail ouvre un ticket"),
    "outside_hours": _("Hors heures ouvrées"),
    "build_on": _("Site construit sur"),
    "keep_branch_updated": _("Branche tenue à jour"),
    "may_test_first": _("Mises à jour testées d'abord"),
    "report_new_majors": _("Nouvelles versions majeures signalées"),
    "majors_quoted_separately": _("Versions majeures chiffrées à part"),
    "unsupported_branch": _("Branche plus maintenue"),
    "voids_tacit_renewal": _("La révision met fin à la reconduction tacite"),
    "refusal_ends_contract": _("Le refus met fin au contrat"),
    "refund": _("Remboursement"),
    "law": _("Droit applicable"),
    "court": _("Tribunal compétent"),
}

DAYS: dict[str, Any] = {
    "0": _("Lundi"),
    "1": _("Mardi"),
    "2": _("Mercredi"),
    "3": _("Jeudi"),
    "4": _("Vendredi"),
    "5": _("Samedi"),
    "6": _("Dimanche"),
}

# A coded value in words, by the value; (key, value) when a key says it otherwise.
CHOICES: dict[Any, Any] = {
    "HT": _("hors taxes (HT)"),
    "TTC": _("toutes taxes comprises (TTC)"),
    "consumption": _("à la consommation"),
    "quote": _("sur devis"),
    "catalog": _("au catalogue"),
    "flat": _("au forfait"),
    "hour": _("à l'heure"),
    "day": _("à la journée"),
    "month": _("au mois"),
    "metered": _("à l'usage mesuré"),
    "client_space": _("dans l'espace client"),
    "email": _("par e-mail"),
    "postal_signed": _("« Bon pour accord » signé par courrier"),
    "email_consent": _("accord par e-mail"),
    "online": _("en ligne"),
    "void": _("caduc"),
    "normal": _("TVA facturée"),
    "franchise_293b": _("franchise en base (art. 293 B du CGI)"),
    "card": _("carte bancaire"),
    "paypal": _("PayPal"),
    "cheque": _("chèque"),
    "transfer": _("virement"),
    "direct_debit": _("prélèvement"),
    "cancel_order": _("la commande est annulée"),
    "none": _("rien de particulier"),
    "invoice_date": _("la date de facture"),
    "invoice_issue": _("l'émission de la facture"),
    "invoice_receipt": _("la réception de la facture"),
    "service_date": _("la date de la prestation"),
    "execution": _("l'exécution de la prestation"),
    "quote_total_ht": _("le total HT du devis"),
    "quote_says": _("quand le devis le prévoit"),
    "always": _("toujours"),
    "deposit_cashed": _("l'encaissement de l'acompte"),
    "deposit_invoiced": _("la facturation de l'acompte"),
    "end_of_service": _("à la fin de la prestation"),
    "legal_rate": _("le taux d'intérêt légal"),
    "ecb_rate": _("le taux de refinancement de la BCE"),
    ("rate_date", "invoice_date"): _("de la facture"),
    ("rate_date", "due_date"): _("de l'échéance"),
    "ht_remaining": _("le reste dû HT"),
    "ttc_remaining": _("le reste dû TTC"),
    "day_after_due": _("le lendemain de l'échéance"),
    "form": _("par formulaire"),
    "letter": _("par courrier"),
    "any": _("par tout moyen"),
    "registered_letter": _("lettre recommandée"),
    "any_written": _("tout écrit"),
    "ht_paid_for_service": _("le montant HT payé pour la prestation"),
    "claim_date": _("de la réclamation"),
    "seller": _("le vendeur"),
    "client": _("le client"),
    "provider": _("le prestataire"),
    "billable_at_current_rate": _("facturées au tarif en vigueur"),
    "refused": _("refusées"),
    "average_consumption": _("la consommation moyenne"),
    "on_call": _("astreinte"),
    ("outside_hours", "none"): _("pas de support"),
    ("unsupported_branch", "none"): _("aucune mise à jour"),
    ("refund", "none"): _("aucun remboursement"),
    ("on_failure", "none"): _("la commande est maintenue"),
    "latest_stable": _("la dernière version stable"),
    "security_fixes_only": _("correctifs de sécurité seulement"),
    "term": _("l'échéance"),
    "prorata_temporis": _("au prorata temporis"),
    "FR": _("droit français"),
    "company": _("entreprises"),
    "association": _("associations"),
    "independent": _("indépendants"),
    "consumer": _("consommateurs"),
}

# What a period may run from: the events engines and the legal lint know, in words. A clause
# whose event is not among them keeps it (shown as typed).
EVENTS: dict[str, Any] = {
    "contract_conclusion": _("la conclusion du contrat"),
    "offer_acceptance": _("l'acceptation de l'offre"),
    "quote_acceptance": _("l'acceptation du devis"),
    "acceptance": _("l'acceptation"),
    "order_confirmation": _("la confirmation de la commande"),
    "order_validation": _("la validation de la commande"),
    "payment_receipt": _("la réception du paiement"),
    "service_start": _("le début de la prestation"),
    "delivery": _("la livraison"),
    "goods_receipt": _("la réception des marchandises"),
    "invoice_date": _("la date de facture"),
    "invoice_issue": _("l'émission de la facture"),
    "invoice_receipt": _("la réception de la facture"),
    "withdrawal_notice": _("la notification de la rétractation"),
    "withdrawal_received": _("la réception de la rétractation"),
    "withdrawal_decision": _("la décision de rétractation"),
    "withdrawal_exercise": _("l'exercice du droit de rétractation"),
    "refund_request_acceptance": _("l'acceptation de la demande de remboursement"),
    "term": _("l'échéance du contrat"),
    "registered_letter_sent": _("l'envoi de la lettre recommandée"),
    "formal_notice_sent": _("l'envoi de la mise en demeure"),
    "event": _("l'événement"),
    "notification_receipt": _("la réception de la notification"),
}

DURATION_UNITS: dict[str, Any] = {
    "minutes": _("minutes"),
    "hours": _("heures"),
    "days": _("jours"),
}


def _period(fact) -> str:
    return period_words(fact.value.n, fact.value.unit)


# Help for a non-lawyer, quoting the law where it bounds the clause: by (kind, key), or by key.
HELP: dict[Any, Any] = {
    (ClauseKind.LATE_PENALTY, "multiplier"): _with_law(
        gettext_noop(
            "Au moins %(n)s fois le taux d'intérêt légal envers un professionnel (%(law)s) ; "
            "sans clause, le taux de la BCE majoré de 10 points."
        ),
        n=B2B_PENALTY_FLOOR_MULTIPLIER.value,
        law=B2B_PENALTY_FLOOR_MULTIPLIER.source,
    ),
    (ClauseKind.LATE_PENALTY, "plus_points"): _(
        "Des points de pourcentage : 10 pour « + 10 points »."
    ),
    (ClauseKind.LATE_INDEMNITY, "amount"): _with_law(
        gettext_noop(
            "%(amount)s € par facture payée en retard par un professionnel (%(law)s). Laissez "
            "vide si les CGV la mentionnent sans montant : clausier applique celui de la loi."
        ),
        amount=RECOVERY_INDEMNITY.value,
        law=RECOVERY_INDEMNITY.source,
    ),
    (ClauseKind.WITHDRAWAL_PERIOD, "n"): _with_law(
        gettext_noop(
            "Au moins %(period)s pour un consommateur (%(law)s), à compter de la conclusion "
            "du contrat pour un service."
        ),
        period=lambda: _period(facts.WITHDRAWAL_PERIOD),
        law=facts.WITHDRAWAL_PERIOD.source,
    ),
    (ClauseKind.WITHDRAWAL_REFUND, "n"): _with_law(
        gettext_noop("Au plus %(period)s après la décision de rétractation (%(law)s)."),
        period=lambda: _period(facts.REFUND_PERIOD),
        law=facts.REFUND_PERIOD.source,
    ),
    (ClauseKind.PAYMENT_DUE, "n"): _with_law(
        gettext_noop(
            "Au plus %(period)s après la facture, ou 45 jours fin de mois si c'est convenu "
            "(%(law)s)."
        ),
        period=lambda: _period(facts.PAYMENT_TERM_CAP),
        law=facts.PAYMENT_TERM_CAP.source,
    ),
    (ClauseKind.PAYMENT_EARLY_DISCOUNT, "rate"): _with_law(
        gettext_noop("0 s'il n'y en a pas : la facture le dit quand même (%(law)s)."),
        law=facts.NO_DISCOUNT_MENTION.source,
    ),
    (ClauseKind.VAT_REGIME, "mention"): _with_law(
        gettext_noop("En franchise en base, la mention exacte : « %(mention)s » (%(law)s)."),
        mention=FRANCHISE_MENTION.value,
        law=FRANCHISE_MENTION.source,
    ),
    (ClauseKind.CONTRACT_RENEWAL, "chatel_information"): _with_law(
        gettext_noop(
            "Envers un consommateur, l'informer entre %(earliest)s et %(latest)s avant "
            "l'échéance, sans quoi il peut résilier à tout moment (%(law)s)."
        ),
        earliest=lambda: _period(facts.CHATEL_NOTICE_EARLIEST),
        latest=lambda: _period(facts.CHATEL_NOTICE_LATEST),
        law=facts.CHATEL_NOTICE_EARLIEST.source,
    ),
    (ClauseKind.CONSUMER_MEDIATOR, "name"): _(
        "Obligatoire envers les consommateurs (C. conso. L612-1)."
    ),
    (ClauseKind.QUOTE_RULES, "validity_days"): _(
        "Laissez vide si chaque devis indique sa propre durée de validité."
    ),
    "notice": _("Laissez vide s'il n'y a pas de préavis."),
    "formal_notice_unanswered": _(
        "Laissez vide si la résiliation n'attend pas de mise en demeure."
    ),
    "gti_outside": _("Laissez vide si c'est la même qu'en heures ouvrées."),
    "penalty_months": _("Les derniers mois facturés avant l'incident (3 par défaut)."),
    "penalty_cap": _("Laissez vide s'il n'y a pas de plafond."),
    "schedule": _("Les plages de la journée, par exemple 09:00-12:00, 14:00-18:00 ; vide : fermé."),
    "tz": _("Par exemple Europe/Paris."),
}


def label(kind: str, key: str) -> Any:
    return LABELS.get((kind, key)) or LABELS.get(key) or key


def help_text(kind: str, key: str) -> Any:
    return HELP.get((kind, key)) or HELP.get(key) or ""


def choice(key: str, value: Any) -> Any:
    """A coded value in words: the unit of a period by the rules core, an event, or
    :data:`CHOICES`; else the value itself."""
    if key == "unit":
        return lazy(unit_words, str)(value)
    if key == "from" and value in EVENTS:
        return EVENTS[value]
    return CHOICES.get((key, value)) or CHOICES.get(value) or str(value)


def group_label(group: Any, part: Any) -> Any:
    """``Préavis : durée``: a part of a group of fields (a period's count, unit, event)."""
    return lazy(lambda: gettext("%(group)s : %(part)s") % {"group": group, "part": part}, str)()
