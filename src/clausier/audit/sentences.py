"""How an audit event reads: one sentence per verb (« Devis D2026-000003 envoyé à
compta@boulangerie.fr »), and its changed fields by their label, values by their wording.

Every verb a service records has its sentence in :data:`SENTENCES` (a test reads the sources
for the verbs and fails on one without a sentence). The sentences name the object by its name
as stored when the event was written (``object_repr``), never by its id; the fields by the
``verbose_name`` of the model's field, or by :data:`LABELS` for what is not a field.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from clausier.audit.models import Event
from clausier.audit.names import reworded
from clausier.audit.triggers import Trigger
from clausier.kernel.labels import field_label
from clausier.kernel.wording import worded

# %(object)s: the object's name; %(changes)s: its changed fields, « label (avant → après) »;
# any other key: that value of the event's summary (``after`` first, then ``before``).
SENTENCES: dict[str, Any] = {
    "api_token.created": gettext_lazy("Jeton d'API %(object)s créé"),
    "api_token.revoked": gettext_lazy("Jeton d'API %(object)s révoqué"),
    "client.created": gettext_lazy("Client %(object)s créé"),
    "client.updated": gettext_lazy("Client %(object)s modifié : %(changes)s"),
    "client.deleted": gettext_lazy("Client %(object)s supprimé"),
    "contact.created": gettext_lazy("Contact %(object)s ajouté"),
    "contact.updated": gettext_lazy("Contact %(object)s modifié : %(changes)s"),
    "contact.portal_access_granted": gettext_lazy(
        "Accès au portail client ouvert pour %(object)s (identifiant %(username)s)"
    ),
    "invoice.created": gettext_lazy("%(object)s créée en brouillon"),
    "invoice.updated": gettext_lazy("%(object)s modifiée : %(changes)s"),
    "invoice.created:credit_note": gettext_lazy("%(object)s créé en brouillon"),
    "invoice.updated:credit_note": gettext_lazy("%(object)s modifié : %(changes)s"),
    "invoice.draft_deleted:credit_note": gettext_lazy(
        "%(object)s supprimé (brouillon de %(total_ttc)s)"
    ),
    "invoice.issued:credit_note": gettext_lazy("%(object)s émis par %(actor)s"),
    "invoice.issued:credit_note:automatic": gettext_lazy("%(object)s émis automatiquement"),
    "invoice.issued:credit_note:order_cancelled": gettext_lazy(
        "%(object)s émis automatiquement à l'annulation de la commande (facture %(corrects)s)"
    ),
    "invoice.created:credit_note:order_cancelled": gettext_lazy(
        "%(object)s créé en brouillon à l'annulation de la commande"
    ),
    "invoice.emailed:credit_note": gettext_lazy("%(object)s envoyé à %(to)s"),
    "invoice.draft_deleted": gettext_lazy("%(object)s supprimée (brouillon de %(total_ttc)s)"),
    "invoice.issue_deferred": gettext_lazy("Émission de %(object)s différée : %(reason)s"),
    "invoice.issue_deferred:order_paid": gettext_lazy(
        "Émission automatique de %(object)s après le paiement en ligne différée : %(reason)s"
    ),
    "invoice.issue_deferred:quote_accepted": gettext_lazy(
        "Émission automatique de %(object)s à l'acceptation du devis différée : %(reason)s"
    ),
    "invoice.issue_deferred:waiting_retry": gettext_lazy(
        "Émission de %(object)s toujours différée au nouvel essai : %(reason)s"
    ),
    "invoice.created:order_paid": gettext_lazy(
        "%(object)s créée en brouillon après le paiement en ligne"
    ),
    "invoice.created:quote_accepted": gettext_lazy(
        "%(object)s créée en brouillon à l'acceptation du devis"
    ),
    "invoice.issued": gettext_lazy("%(object)s émise par %(actor)s, échéance le %(due_date)s"),
    "invoice.issued:automatic": gettext_lazy(
        "%(object)s émise automatiquement, échéance le %(due_date)s"
    ),
    "invoice.issued:order_paid": gettext_lazy(
        "%(object)s émise automatiquement après le paiement en ligne"
    ),
    "invoice.issued:quote_accepted": gettext_lazy(
        "%(object)s émise automatiquement à l'acceptation du devis, échéance le %(due_date)s"
    ),
    "late_invoice.accrued": gettext_lazy(
        "Pénalités de retard de %(object)s au %(accrued_on)s : %(days_late)s jour(s), "
        "intérêts %(interest)s, indemnité %(indemnity)s"
    ),
    "late_invoice.waived": gettext_lazy(
        "Renonciation sur %(object)s : %(item)s, %(amount)s (motif : %(reason)s)"
    ),
    "late_invoice.billed": gettext_lazy(
        "Pénalités de retard de %(object)s facturées : intérêts %(interest)s, indemnité "
        "%(indemnity)s"
    ),
    "late_invoice.closed": gettext_lazy(
        "Pénalités de retard de %(object)s closes à son paiement, rien de plus à facturer ; "
        "trop facturé à créditer sur la facture de pénalités : %(overbilled)s"
    ),
    "late_invoice.penalty_invoiced": gettext_lazy(
        "Facture de pénalités %(penalty_invoice)s émise pour %(object)s"
    ),
    # Seed 002 art. 6: a client's standing when it pays late.
    "invoice.accelerated": gettext_lazy(
        "%(object)s exigible par anticipation le %(due_date)s (facture %(caused_by)s en retard)"
    ),
    "invoice.acceleration_reverted": gettext_lazy(
        "Exigibilité anticipée de %(object)s annulée, échéance le %(due_date)s (motif : %(reason)s)"
    ),
    "client.suspension_decided": gettext_lazy(
        "Suspension pour impayé de %(object)s décidée (%(clause)s)"
    ),
    "client.suspension_lifted": gettext_lazy(
        "Suspension pour impayé de %(object)s levée (motif : %(reason)s)"
    ),
    "client.suspended": gettext_lazy("%(object)s suspendu pour impayé (%(reason)s)"),
    "client.resumed": gettext_lazy("%(object)s n'est plus suspendu pour impayé (%(reason)s)"),
    "invoice.issued:waiting_retry": gettext_lazy(
        "%(object)s émise automatiquement au nouvel essai d'émission, échéance le %(due_date)s"
    ),
    "invoice.payment_recorded": gettext_lazy(
        "Paiement de %(received)s enregistré sur %(object)s (reçu le %(paid_on)s)"
    ),
    "invoice.payment_recorded:deposit_cashed": gettext_lazy(
        "Paiement de %(received)s enregistré sur %(object)s à l'encaissement de l'acompte "
        "(reçu le %(paid_on)s)"
    ),
    "invoice.resend_requested": gettext_lazy("Nouvel envoi de %(object)s demandé à %(email_to)s"),
    "invoice.email_attempt": gettext_lazy("Envoi de %(object)s à %(to)s (tentative %(attempt)s)"),
    "invoice.emailed": gettext_lazy("%(object)s envoyée à %(to)s"),
    "invoice.email_failed": gettext_lazy("Échec de l'envoi de %(object)s à %(to)s : %(error)s"),
    "legal_rate.recorded": gettext_lazy("Taux de l'intérêt légal du %(object)s enregistré"),
    "legal_rate.corrected": gettext_lazy(
        "Taux de l'intérêt légal du %(object)s corrigé : %(changes)s"
    ),
    "order.created": gettext_lazy("%(object)s créée"),
    "order.created:quote_accepted": gettext_lazy("%(object)s créée à l'acceptation du devis"),
    "order.recap_updated": gettext_lazy("Récapitulatif de la %(object)s modifié : %(changes)s"),
    "order.confirmed": gettext_lazy("%(object)s confirmée par le client"),
    "order.validated": gettext_lazy("%(object)s validée"),
    "order.validated:automatic": gettext_lazy("%(object)s validée automatiquement"),
    "order.validated:order_confirmed": gettext_lazy(
        "%(object)s validée automatiquement à sa confirmation par le client"
    ),
    "order.paid": gettext_lazy("%(object)s payée en ligne (%(provider)s)"),
    "order.payment_failed": gettext_lazy("Échec du paiement de la %(object)s : %(reason)s"),
    "order.activated": gettext_lazy("Service de la %(object)s activé"),
    "order.completed": gettext_lazy("Service de la %(object)s pleinement exécuté"),
    "order.deposit_invoiced": gettext_lazy(
        "Acompte de la %(object)s facturé (facture %(invoice)s)"
    ),
    "order.deposit_cashed": gettext_lazy("Acompte de la %(object)s encaissé le %(cashed_on)s"),
    "order.work_started": gettext_lazy("Travaux de la %(object)s démarrés"),
    "order.cancelled": gettext_lazy("%(object)s annulée : %(reason)s"),
    "order.withdrawn": gettext_lazy(
        "Rétractation du client sur la %(object)s, reçue le %(withdrawn_on)s"
    ),
    "order.final_acceptance": gettext_lazy(
        "Prestations de la %(object)s reçues et acceptées définitivement le %(accepted_on)s "
        "(honoraires payés en totalité)"
    ),
    "payment.recorded": gettext_lazy(
        "%(object)s enregistré : %(method)s reçu le %(received_on)s (%(status)s)"
    ),
    "payment.allocated": gettext_lazy("%(object)s affecté à la facture %(invoice)s : %(amount)s"),
    "payment.cashed": gettext_lazy("%(object)s : chèque encaissé le %(cashed_on)s"),
    "payment.succeeded": gettext_lazy("%(object)s reçu (%(provider)s %(reference)s)"),
    "payment.failed": gettext_lazy("%(object)s échoué (%(provider)s) : %(reason)s"),
    "payment.cancelled": gettext_lazy("%(object)s annulé (%(provider)s) : %(reason)s"),
    "payment.outcome_ignored": gettext_lazy(
        "%(object)s : issue signalée après coup ignorée (%(reported)s), il reste « %(status)s »"
    ),
    "payment.migrated": gettext_lazy(
        "%(object)s repris du paiement enregistré sur la facture %(invoice)s (payée le "
        "%(received_on)s)"
    ),
    "product.created": gettext_lazy("Produit %(object)s créé"),
    "product.updated": gettext_lazy("Produit %(object)s modifié : %(changes)s"),
    "product.archived": gettext_lazy("Produit %(object)s archivé"),
    "product.restored": gettext_lazy("Produit %(object)s remis au catalogue"),
    "product.price_changed": gettext_lazy("Prix du produit %(object)s modifié : %(changes)s"),
    "quote.created": gettext_lazy("%(object)s créé pour %(client)s"),
    "quote.updated": gettext_lazy("%(object)s modifié : %(changes)s"),
    "quote.deleted": gettext_lazy("%(object)s supprimé"),
    "quote.lines_set": gettext_lazy("Lignes du %(object)s remplacées"),
    "quote.line_added": gettext_lazy("Ligne « %(description)s » ajoutée au %(object)s"),
    "quote.line_updated": gettext_lazy("Ligne du %(object)s modifiée : %(changes)s"),
    "quote.line_deleted": gettext_lazy("Ligne « %(description)s » retirée du %(object)s"),
    "quote.attachment_added": gettext_lazy("Pièce jointe « %(title)s » ajoutée au %(object)s"),
    "quote.attachment_removed": gettext_lazy("Pièce jointe « %(title)s » retirée du %(object)s"),
    "quote.sent": gettext_lazy("%(object)s envoyé au client (CGV %(terms)s)"),
    "quote.pdf_stored": gettext_lazy("PDF du %(object)s enregistré"),
    "quote.emailed": gettext_lazy("%(object)s envoyé à %(to)s"),
    "quote.email_failed": gettext_lazy("Échec de l'envoi du %(object)s à %(to)s : %(error)s"),
    "quote.accepted": gettext_lazy("%(object)s accepté par %(signatory)s (%(method)s)"),
    "quote.refused": gettext_lazy("%(object)s refusé par le client"),
    "quote.withdrawn": gettext_lazy("%(object)s retiré"),
    "quote.expired": gettext_lazy("%(object)s expiré"),
    "quote.superseded": gettext_lazy("%(object)s remplacé par le devis %(by)s"),
    "quote.revision_created": gettext_lazy("%(object)s créé en révision du devis %(previous)s"),
    "refund.owed": gettext_lazy("%(object)s dû au client : %(reason)s"),
    "refund.sent": gettext_lazy("%(object)s envoyé le %(sent_on)s"),
    "subscription.started": gettext_lazy("%(object)s démarré (commande %(order)s)"),
    "subscription.status_changed": gettext_lazy("%(object)s : %(changes)s"),
    "ticket.opened": gettext_lazy("%(object)s ouvert (%(channel)s)"),
    "ticket.qualified": gettext_lazy("%(object)s qualifié : %(changes)s"),
    "ticket.assigned": gettext_lazy("%(object)s assigné : %(changes)s"),
    "ticket.status_changed": gettext_lazy("%(object)s : %(changes)s"),
    "ticket.message_posted": gettext_lazy("%(object)s : message ajouté (%(author)s)"),
    "ticket.email_confirmed": gettext_lazy("%(object)s : signalement confirmé par e-mail"),
    "ticket.email_automatic": gettext_lazy(
        "%(object)s : réponse automatique, ni ticket ni réponse"
    ),
    "ticket.email_unknown_sender": gettext_lazy(
        "%(object)s : expéditeur inconnu (%(from)s), à rattacher à un client"
    ),
    "ticket.email_ignored": gettext_lazy(
        "%(object)s : expéditeur inconnu (%(from)s), conservé sans suite"
    ),
    "ticket.paused": gettext_lazy("%(object)s : horloge en pause (force majeure)"),
    "ticket.pause_ended": gettext_lazy("%(object)s : fin de la pause pour force majeure"),
    "ticket.excluded": gettext_lazy("%(object)s classé hors maintenance (cas %(exclusion)s)"),
    "ticket.time_logged": gettext_lazy("%(object)s : %(minutes)s minutes de travail saisies"),
    "ticket.time_billed": gettext_lazy("%(object)s : %(entries)s temps passés facturés"),
    "ticket.paged": gettext_lazy("%(object)s : astreinte appelée"),
    "ticket.page_acknowledged": gettext_lazy("%(object)s : appel d'astreinte pris"),
    "ticket.page_escalated": gettext_lazy("%(object)s : appel d'astreinte escaladé au recours"),
    "on_call.shift_set": gettext_lazy("Astreinte du jour %(weekday)s définie"),
    "on_call.override_added": gettext_lazy("Remplacement d'astreinte ajouté"),
    "ticket.penalty_assessed": gettext_lazy(
        "%(object)s : pénalité de niveau de service de %(amount_ht)s € HT"
    ),
    "ticket.sla_warning": gettext_lazy("%(object)s : %(level)s %% du délai %(target)s écoulé"),
    "phone_call.logged": gettext_lazy("%(object)s noté"),
    "support_rate.set": gettext_lazy("Taux horaire du support %(object)s enregistré"),
    "meter.created": gettext_lazy("%(object)s créé"),
    # Prepaid credits of a client (metering).
    "credits.granted": gettext_lazy(
        "Crédits prépayés ajoutés sur %(object)s : %(amount)s € (motif : %(reason)s)"
    ),
    "credits.threshold_set": gettext_lazy(
        "Seuil d'alerte des crédits prépayés de %(object)s : %(changes)s"
    ),
    "credits.drawn": gettext_lazy(
        "Crédits prépayés de %(object)s utilisés : %(amount)s € (%(reference)s)"
    ),
    "credits.low_balance_warned": gettext_lazy(
        "Alerte de solde bas des crédits prépayés de %(object)s envoyée"
    ),
    "meter.price_added": gettext_lazy("Prix du %(object)s au %(effective_from)s ajouté"),
    "usage.ingested": gettext_lazy(
        "Événements de consommation reçus : %(accepted)s enregistrés, %(duplicates)s déjà "
        "reçus, %(rejected)s refusés"
    ),
    # Recurring service contracts (seed 002 art. 7; C. conso. L215-1).
    "contract.opened": gettext_lazy("%(object)s ouvert (échéance le %(term_end)s)"),
    "contract.renewed": gettext_lazy("%(object)s reconduit tacitement : %(changes)s"),
    "contract.expired": gettext_lazy("%(object)s arrivé à terme le %(ended_on)s"),
    "contract.notice_received": gettext_lazy(
        "Préavis reçu le %(received_on)s pour le %(object)s (fin le %(effective_on)s)"
    ),
    "contract.notice_acknowledged": gettext_lazy(
        "Accusé de réception de la résiliation du %(object)s envoyé à %(to)s"
    ),
    "contract.renewal_letter_sent": gettext_lazy(
        "Information de reconduction du %(object)s envoyée à %(to)s"
    ),
    "contract.renewal_letter_failed": gettext_lazy(
        "Échec de l'envoi de l'information de reconduction du %(object)s (tentative %(attempt)s)"
    ),
    "contract.terminated": gettext_lazy("%(object)s résilié, fin le %(ended_on)s"),
    "contract.day_failed": gettext_lazy(
        "Traitement quotidien du %(object)s en échec le %(today)s (%(error)s)"
    ),
    "contract.suspended": gettext_lazy("%(object)s suspendu (%(clause)s)"),
    "contract.resumed": gettext_lazy("%(object)s repris"),
    "contract.breach_notified": gettext_lazy(
        "Manquement notifié le %(sent_on)s pour le %(object)s (fin sans remède le %(ends_on)s)"
    ),
    "contract.breach_remedied": gettext_lazy("Manquement du %(object)s réparé le %(remedied_on)s"),
    "contract.force_majeure_started": gettext_lazy(
        "Force majeure depuis le %(started_on)s pour le %(object)s (résiliation possible à "
        "partir du %(termination_from)s)"
    ),
    "contract.force_majeure_ended": gettext_lazy(
        "Force majeure du %(object)s terminée le %(ended_on)s"
    ),
    "contract.restore_requested": gettext_lazy(
        "Restauration de la sauvegarde du %(backup_on)s demandée pour le %(object)s "
        "(forfait %(amount_ht)s € HT, %(clause)s)"
    ),
    "contract.restore_done": gettext_lazy(
        "Restauration effectuée pour le %(object)s (forfait %(amount_ht)s € HT)"
    ),
    "contract.restore_refused": gettext_lazy("Restauration refusée pour le %(object)s"),
    "contract.restore_invoiced": gettext_lazy(
        "Restauration du %(object)s facturée (facture %(invoice)s)"
    ),
    "domain.registered": gettext_lazy(
        "Nom de domaine %(object)s enregistré le %(registered_on)s chez %(registrar)s "
        "(échéance le %(expires_on)s)"
    ),
    "domain.renewal_due": gettext_lazy(
        "Renouvellement du nom de domaine %(object)s jusqu'au %(renewed_to)s (%(amount_ht)s € HT)"
    ),
    "domain.renewed": gettext_lazy(
        "Nom de domaine %(object)s renouvelé jusqu'au %(expires_on)s (facture %(invoice)s)"
    ),
    "domain.released": gettext_lazy(
        "Nom de domaine %(object)s libéré à son échéance du %(ended_on)s (contrat terminé)"
    ),
    "domain.transferred": gettext_lazy("Nom de domaine %(object)s transféré le %(ended_on)s"),
    "domain.day_failed": gettext_lazy(
        "Traitement quotidien du nom de domaine %(object)s en échec le %(today)s (%(error)s)"
    ),
    "withdrawal.accepted": gettext_lazy("%(object)s acceptée (reçue le %(received_on)s)"),
    "withdrawal.refused": gettext_lazy("%(object)s refusée (reçue le %(received_on)s)"),
    "withdrawal.refund_sent": gettext_lazy(
        "Remboursement de la %(object)s envoyé le %(refund_sent_on)s"
    ),
    "withdrawal.acknowledged": gettext_lazy("Accusé de réception de la %(object)s envoyé à %(to)s"),
    "withdrawal.acknowledgement_failed": gettext_lazy(
        "Échec de l'envoi de l'accusé de réception de la %(object)s : %(error)s"
    ),
    "refund.account": gettext_lazy("Compte du client pour %(object)s : IBAN %(iban)s"),
    "refund.refused": gettext_lazy(
        "%(object)s refusé par le prestataire (%(provider)s) : %(message)s"
    ),
    "refund.sent_to_provider": gettext_lazy(
        "%(object)s demandé au prestataire (référence %(provider_reference)s)"
    ),
    "refund.refunded_by_provider": gettext_lazy(
        "%(object)s effectué par le prestataire le %(settled_on)s"
    ),
    "payment.started": gettext_lazy("%(object)s ouvert en ligne (%(provider)s) : %(amount)s"),
    "payment.checkout_opened": gettext_lazy(
        "%(object)s : page de paiement ouverte chez %(provider)s (%(reference)s)"
    ),
    "bank_statement.queued": gettext_lazy(
        "%(object)s : import en arrière-plan de %(lines)s ligne(s) (%(filename)s)"
    ),
    "bank_statement.imported": gettext_lazy(
        "%(object)s importé : %(matched)s rapprochée(s), %(to_review)s à revoir, "
        "%(duplicates)s doublon(s) écarté(s)"
    ),
    "bank_statement.line_matched": gettext_lazy("%(object)s rapprochée : %(invoices)s"),
    "bank_statement.line_credited": gettext_lazy("%(object)s gardée en crédit du client"),
    "bank_statement.line_ignored": gettext_lazy("%(object)s écartée : %(reason)s"),
    "bank_csv_mapping.saved": gettext_lazy("Correspondance CSV de la banque %(bank)s enregistrée"),
    "cheque_remittance.created": gettext_lazy(
        "%(object)s enregistrée le %(remitted_on)s : total %(total)s"
    ),
    "transfer_batch.created": gettext_lazy(
        "%(object)s créé : %(count)s virement(s), total %(total)s, exécution le %(execution_date)s"
    ),
    "refund.settled": gettext_lazy("%(object)s effectué le %(settled_on)s"),
    "reaction.failed": gettext_lazy("Une action automatique a échoué : %(error)s"),
    "seller.created": gettext_lazy("Vendeur %(object)s créé"),
    "seller.updated": gettext_lazy("Vendeur %(object)s modifié : %(changes)s"),
    "seller.settings_updated": gettext_lazy("Paramètres de %(object)s modifiés : %(changes)s"),
    "staff.role_set": gettext_lazy("Rôle de %(user)s défini : %(role)s"),
    "terms.draft_created": gettext_lazy("Brouillon de CGV %(label)s créé"),
    "terms.draft_copied": gettext_lazy(
        "Brouillon de CGV %(label)s créé à partir de la version %(source)s "
        "(clauses reprises : %(clauses)s)"
    ),
    "terms.draft_updated": gettext_lazy("%(object)s modifiées : %(changes)s"),
    "terms.clause_added": gettext_lazy("Clause %(clause_id)s ajoutée aux %(object)s"),
    "terms.clause_updated": gettext_lazy(
        "Clause %(clause_id)s des %(object)s modifiée : %(changes)s"
    ),
    "terms.clause_deleted": gettext_lazy("Clause %(clause_id)s retirée des %(object)s"),
    "terms.published": gettext_lazy("%(object)s publiées"),
    "terms.superseded": gettext_lazy("%(object)s remplacées par la version %(by)s"),
    "terms.accepted": gettext_lazy("CGV %(version)s acceptées (%(method)s)"),
    "inbox.mailbox_created": gettext_lazy("Boîte de réception %(object)s ajoutée"),
    "inbox.mailbox_updated": gettext_lazy("Boîte de réception %(object)s modifiée : %(changes)s"),
    "inbox.message_received": gettext_lazy("Message reçu (%(source)s, %(size)s octets)"),
    "inbox.message_parsed": gettext_lazy("Message %(object)s lu : %(status)s"),
    "inbox.message_reparsed": gettext_lazy("Message %(object)s relu : %(status)s"),
    "webhook.endpoint_created": gettext_lazy("Webhook %(object)s ajouté"),
    "webhook.endpoint_updated": gettext_lazy("Webhook %(object)s modifié : %(changes)s"),
    "webhook.endpoint_deleted": gettext_lazy("Webhook %(object)s supprimé"),
    "webhook.secret_rotated": gettext_lazy("Secret du webhook %(object)s renouvelé"),
    "webhook.queued": gettext_lazy("Notification %(event_type)s mise en file pour %(endpoint)s"),
    "webhook.delivered": gettext_lazy("Notification %(object)s livrée (réponse %(response_code)s)"),
    "webhook.failed": gettext_lazy("Échec de la notification %(object)s : %(error)s"),
    "webhook.retry_requested": gettext_lazy("Nouvel essai de la notification %(object)s demandé"),
    # Login security (clausier.security): the object is the person's login.
    "login.succeeded": gettext_lazy("Connexion de %(object)s (adresse %(ip_address)s)"),
    "login.failed": gettext_lazy(
        "Connexion refusée pour %(object)s : mot de passe erroné (adresse %(ip_address)s)"
    ),
    "login.locked_out": gettext_lazy(
        "Connexion de %(object)s bloquée après %(failures)s échecs (adresse %(ip_address)s)"
    ),
    "mfa.enrolled": gettext_lazy("Double authentification activée par %(object)s"),
    "mfa.removed": gettext_lazy("Double authentification retirée par %(object)s"),
    "mfa.refused": gettext_lazy("Code de double authentification refusé pour %(object)s"),
    "mfa.recovery_code_used": gettext_lazy(
        "Code de secours utilisé par %(object)s (%(recovery_codes)s restants)"
    ),
    "mfa.recovery_codes_renewed": gettext_lazy("Nouveaux codes de secours générés par %(object)s"),
    "dunning_plan.created": gettext_lazy("%(object)s créé"),
    "dunning_notice.queued": gettext_lazy("%(object)s mise en file pour le %(due_on)s"),
    "dunning_notice.sent": gettext_lazy("%(object)s envoyée à %(email_to)s"),
    "dunning_notice.skipped": gettext_lazy("%(object)s ignorée"),
    "dunning_plan.changed": gettext_lazy("%(object)s modifié"),
    "ecb_rate.recorded": gettext_lazy("Taux de refinancement BCE de %(period)s : %(rate)s %%"),
    "ecb_rate.corrected": gettext_lazy(
        "Taux de refinancement BCE de %(period)s corrigé : %(rate)s %%"
    ),
    "penalty_settings.changed": gettext_lazy(
        "Facture de pénalités désormais « %(invoicing)s » (%(object)s)"
    ),
    "dunning_notice.delivered": gettext_lazy("%(object)s remise au serveur de courriel"),
    "dunning_notice.delivery_failed": gettext_lazy(
        "%(object)s : l'envoi à %(email_to)s a échoué (%(error)s)"
    ),
    "formal_notice.created": gettext_lazy("%(object)s établie : total %(total)s"),
    "formal_notice.letter_recorded": gettext_lazy(
        "%(object)s : lettre recommandée enregistrée (%(changes)s)"
    ),
    "saved_method.saved": gettext_lazy(
        "%(object)s enregistrée pour les prochaines factures, avec le consentement du client "
        "(texte %(consent_version)s)"
    ),
    "saved_method.replaced": gettext_lazy("%(object)s remplacée par une carte plus récente"),
    "saved_method.revoked": gettext_lazy("%(object)s retirée : plus aucune facture débitée"),
    "saved_method.needs_client": gettext_lazy(
        "%(object)s : la banque demande l'authentification du client, prélèvements suspendus"
    ),
    "payment.saved_card_charge_opened": gettext_lazy(
        "%(object)s : facture %(invoice)s à débiter sur la carte enregistrée %(card)s (%(amount)s)"
    ),
    "payment.saved_card_charge_retried": gettext_lazy(
        "%(object)s : prélèvement sur la carte enregistrée tenté à nouveau (essai %(attempt)s "
        "sur %(of)s)"
    ),
    "payment.charge_emailed": gettext_lazy(
        "%(object)s : client prévenu par e-mail (%(to)s) que sa carte n'a pas été débitée"
    ),
    "payment.charge_email_failed": gettext_lazy(
        "%(object)s : l'e-mail au client (%(to)s) n'a pas pu partir (%(error)s)"
    ),
}

# The cause of an automatic action (``trigger`` in an event's summary, see
# :mod:`clausier.audit.triggers`), as it ends a sentence.
TRIGGERS: dict[str, Any] = {
    Trigger.ORDER_PAID: gettext_lazy("après le paiement en ligne"),
    Trigger.QUOTE_ACCEPTED: gettext_lazy("à l'acceptation du devis"),
    Trigger.ORDER_CONFIRMED: gettext_lazy("à la confirmation de la commande par le client"),
    Trigger.ORDER_CANCELLED: gettext_lazy("à l'annulation de la commande"),
    Trigger.DEPOSIT_CASHED: gettext_lazy("à l'encaissement de l'acompte"),
    Trigger.WAITING_RETRY: gettext_lazy("au nouvel essai d'une émission en attente"),
    Trigger.PENALTIES_BILLED: gettext_lazy("à la facturation des pénalités de retard"),
    Trigger.WITHDRAWAL_ACCEPTED: gettext_lazy("à la rétractation du client"),
    Trigger.SUPPORT_WORK_BILLABLE: gettext_lazy(
        "pour le temps passé sur un ticket exclu de la maintenance"
    ),
    Trigger.SERVICE_ACTIVATED: gettext_lazy("à l'activation du service"),
    Trigger.CONTRACT_TERMINATED: gettext_lazy("à la résiliation du contrat"),
    Trigger.SLA_PENALTY: gettext_lazy("pour la pénalité d'un niveau de service dépassé"),
    Trigger.CLIENT_SUSPENDED: gettext_lazy("à la suspension du client pour impayé"),
    Trigger.CLIENT_RESUMED: gettext_lazy("à la levée de la suspension du client"),
    Trigger.DOMAIN_RENEWAL_DUE: gettext_lazy("au renouvellement d'un nom de domaine"),
    Trigger.RESTORE_BILLABLE: gettext_lazy("à la restauration d'une sauvegarde"),
}

# What the summaries hold that is not a field of the event's object.
LABELS: dict[str, Any] = {
    "to": gettext_lazy("destinataires"),
    "email_to": gettext_lazy("destinataires"),
    "reason": gettext_lazy("motif"),
    "provider": gettext_lazy("prestataire de paiement"),
    "at": gettext_lazy("date"),
    "by": gettext_lazy("remplacé par"),
    "previous": gettext_lazy("version précédente"),
    "terms": gettext_lazy("CGV"),
    "version": gettext_lazy("CGV"),
    "method": gettext_lazy("mode d'acceptation"),
    "signatory": gettext_lazy("signataire"),
    "attempt": gettext_lazy("tentative"),
    "attempts": gettext_lazy("tentatives"),
    "error": gettext_lazy("erreur"),
    "note": gettext_lazy("note"),
    "number": gettext_lazy("numéro"),
    "lines": gettext_lazy("lignes"),
    "flow": gettext_lazy("parcours"),
    "automatic": gettext_lazy("automatique"),
    "clause": gettext_lazy("clause"),
    "clause_id": gettext_lazy("clause"),
    "parameters": gettext_lazy("paramètres"),
    "description": gettext_lazy("désignation"),
    "quantity": gettext_lazy("quantité"),
    "unit": gettext_lazy("unité"),
    "unit_price": gettext_lazy("prix unitaire HT"),
    "unit_price_ht": gettext_lazy("prix unitaire HT"),
    "vat_rate": gettext_lazy("taux de TVA"),
    "position": gettext_lazy("position"),
    "effective_from": gettext_lazy("applicable à partir du"),
    "invoice": gettext_lazy("facture"),
    "deposit": gettext_lazy("acompte"),
    "received": gettext_lazy("montant reçu"),
    "paid_on": gettext_lazy("payé le"),
    "cashed_on": gettext_lazy("encaissé le"),
    "started_at": gettext_lazy("démarré le"),
    "received_at": gettext_lazy("reçu le"),
    "concluded_at": gettext_lazy("conclue le"),
    "accepted_at": gettext_lazy("acceptée le"),
    "next_attempt_at": gettext_lazy("prochain essai"),
    "title": gettext_lazy("titre"),
    "kind": gettext_lazy("type"),
    "label": gettext_lazy("libellé"),
    "user": gettext_lazy("utilisateur"),
    "username": gettext_lazy("identifiant"),
    "role": gettext_lazy("rôle"),
    "period": gettext_lazy("période"),
    "fact": gettext_lazy("fait"),
    "reaction": gettext_lazy("action"),
    "event_type": gettext_lazy("type de notification"),
    "endpoint": gettext_lazy("adresse"),
    "subject": gettext_lazy("objet"),
    "response_code": gettext_lazy("code de réponse"),
    "language": gettext_lazy("langue"),
    "reported": gettext_lazy("issue signalée"),
    "reference": gettext_lazy("référence"),
    "payment": gettext_lazy("paiement"),
    "payment_status": gettext_lazy("statut du paiement"),
    "accepted_on": gettext_lazy("acceptées le"),
    "trigger": gettext_lazy("déclencheur"),
    "ip_address": gettext_lazy("adresse IP"),
    "failures": gettext_lazy("échecs"),
    "recovery_codes": gettext_lazy("codes de secours"),
}

# Names :data:`LABELS` words for one object (a quote's acceptance ``method``) that another
# object's own field names better (a payment's method): that field's label first.
OWN_LABEL_FIRST = frozenset({"method"})

# A value worded by the choices of another field of the event's object (the outcome a
# provider reported, worded as the payment's status).
CHOICES_OF = {"reported": "status"}

# Technical keys (hashes, ids) the trail keeps as evidence but a reader has no use for.
HIDDEN = frozenset(
    {"sha256", "pdf_sha256", "text_sha256", "price_version_id", "message_id", "msg_id", "id"}
    | {"data", "email_attempts"}
)

MONEY = frozenset(
    {"amount_paid", "received", "total_ttc", "total_ht", "amount_due", "unit_price_ht"}
    | {"unit_price", "amount", "total"}
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


class _Values(dict):
    """The sentence's values: a key the summary lacks reads as a dash, never as an error."""

    def __missing__(self, key: str) -> str:
        return "—"


def event_model(event: Event) -> type[models.Model] | None:
    """The model of the event's object (from Django's content-type cache: no query once warm)."""
    return ContentType.objects.get_for_id(event.object_type_id).model_class()


def changed_field(model: type[models.Model] | None, name: str) -> str:
    """A changed field by its label: :data:`LABELS` first, else the model field's
    ``verbose_name``, else the name written as words."""
    if name in OWN_LABEL_FIRST:
        own = field_label(model, name)
        if own:
            return own
    return field_label(model, name, LABELS) or name.replace("_", " ")


def _shown_many(value: list | dict) -> str:
    """A list (its texts joined, else how many) or a dict: a sentence kept as its words, or
    its fields by their labels."""
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return ", ".join(value) or "—"
        return ngettext("%(n)d élément", "%(n)d éléments", len(value)) % {"n": len(value)}
    if "message" in value:
        return worded(value)
    return ", ".join(
        f"{changed_field(None, str(k))} : {shown(None, str(k), v)}"
        for k, v in value.items()
        if k not in HIDDEN
    )


def shown(model: type[models.Model] | None, name: str, value: Any) -> str:
    """A value as a reader reads it: a choice by its label, a date in the reader's format, a
    list of addresses joined, yes/no for a flag."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, list | dict):
        return _shown_many(value)
    if name in MONEY and isinstance(value, str | int | float):
        try:
            return f"{number_format(Decimal(str(value)), 2, force_grouping=True)} €"
        except InvalidOperation:
            return str(value)
    choices = _choices(model, CHOICES_OF.get(name, name))
    if choices and str(value) in choices:
        return str(choices[str(value)])
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            try:
                return date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
            except ValueError:
                return value
        if _ISO_DATETIME.match(value):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                return value
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return date_format(moment, "SHORT_DATETIME_FORMAT")
    return str(value)


def _choices(model: type[models.Model] | None, name: str) -> dict[str, Any]:
    if model is None:
        return {}
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return {}
    return {str(k): v for k, v in (getattr(field, "flatchoices", None) or [])}


def _parts(event: Event) -> tuple[dict, dict]:
    summary = event.summary if isinstance(event.summary, dict) else {}
    before = summary.get("before") if isinstance(summary.get("before"), dict) else {}
    after = summary.get("after") if isinstance(summary.get("after"), dict) else {}
    return before, after


def changes(event: Event) -> list[tuple[str, str | None, str | None]]:
    """The event's fields as ``(label, before, after)`` rows, by label and wording; ``before``
    is ``None`` for what was set, ``after`` for what was removed. Technical keys are left out."""
    model = event_model(event)
    before, after = _parts(event)
    rows = []
    for name in dict.fromkeys([*before, *after]):
        if name in HIDDEN:
            continue
        old = shown(model, name, before[name]) if name in before else None
        new = shown(model, name, after[name]) if name in after else None
        rows.append((changed_field(model, name), old, new))
    summary = event.summary if isinstance(event.summary, dict) else {}
    if summary.get("trigger"):
        rows.append((str(LABELS["trigger"]), None, trigger_words(summary["trigger"])))
    if summary.get("note"):
        rows.append((str(LABELS["note"]), None, worded(summary["note"])))
    return rows


def trigger_words(trigger: str) -> str:
    """The cause of an automatic action in words; an unknown one (of an older version) as
    its code written as words."""
    words = TRIGGERS.get(trigger)
    return str(words) if words is not None else trigger.replace("_", " ")


def actor_name(event: Event) -> str:
    """Who acted, as a sentence names them: the user or token, or clausier itself."""
    if event.actor_id is None and event.actor_label in ("système", ""):
        return "clausier"
    return event.actor_label


def _changed(event: Event) -> str:
    """« e-mail (ancien → nouveau), ville (Lyon → Paris) »: the fields that really changed."""
    model = event_model(event)
    before, after = _parts(event)
    parts = []
    for name in after:
        if name in HIDDEN or (name in before and before[name] == after[name]):
            continue
        new = shown(model, name, after[name])
        label = changed_field(model, name)
        if name in before:
            parts.append(f"{label} ({shown(model, name, before[name])} → {new})")
        else:
            parts.append(f"{label} ({new})")
    return ", ".join(parts) or _("aucun changement visible")


def _templates(event: Event, after: dict, before: dict) -> list[str]:
    """The keys of :data:`SENTENCES` that may word the event, the most precise first: the
    verb with the cause of an automatic action (``verb:trigger``), with what clausier did by
    itself (``verb:automatic``), then the verb alone; a credit note's forms (masculine in
    French) are ``verb:credit_note...``."""
    summary = event.summary if isinstance(event.summary, dict) else {}
    trigger = str(summary.get("trigger") or "")
    automatic = (event.actor_id is None and event.actor_label in ("système", "")) or after.get(
        "automatic"
    )
    kind = after.get("kind", before.get("kind"))
    verb = event.verb
    if verb.startswith("invoice.") and (
        kind == "credit_note" or event.object_repr.startswith("Avoir")
    ):
        verb = f"{verb}:credit_note"
    keys = [f"{verb}:{trigger}"] if trigger else []
    if automatic:
        keys.append(f"{verb}:automatic")
    return [*keys, verb, event.verb]


def _object_name(event: Event, template: str) -> str:
    """The object as the sentence names it: its stored name, a document's kind in lower case
    inside the sentence (« Paiement enregistré sur facture F2026-000001 »), terms by label."""
    name = reworded(event.object_repr, event_model(event))
    kind = event.verb.split(".")[0]
    if kind == "terms" and " CGV " in name:
        return f"{_('CGV')} {name.split(' CGV ', 1)[1]}"
    if kind in ("invoice", "quote", "order") and not template.startswith("%(object)s"):
        return name[:1].lower() + name[1:]
    return name


def sentence(event: Event) -> str:
    """The event as one sentence in the active language; an unknown verb (written by an older
    version) reads as its object and verb."""
    before, after = _parts(event)
    key = next((k for k in _templates(event, after, before) if k in SENTENCES), None)
    if key is None:
        return f"{event.object_repr} : {event.verb}"
    template = SENTENCES[key]
    model = event_model(event)
    values = _Values({k: shown(model, k, v) for k, v in before.items()})
    values.update({k: shown(model, k, v) for k, v in after.items()})
    values["object"] = _object_name(event, str(template))
    values["actor"] = actor_name(event)
    if "%(changes)s" in str(template):
        values["changes"] = _changed(event)
    text = str(template) % values
    trigger = (event.summary or {}).get("trigger") if isinstance(event.summary, dict) else None
    if trigger and not key.endswith(f":{trigger}"):
        # No sentence of its own for this cause: the cause ends the verb's sentence.
        text = _("%(sentence)s, %(trigger)s") % {
            "sentence": text,
            "trigger": trigger_words(trigger),
        }
    return text


NOUNS: dict[str, Any] = {
    "invoice": gettext_lazy("facture"),
    "quote": gettext_lazy("devis"),
    "order": gettext_lazy("commande"),
    "terms": gettext_lazy("CGV"),
    "legal_rate": gettext_lazy("semestre"),
    "payment": gettext_lazy("paiement"),
    "refund": gettext_lazy("remboursement"),
    "withdrawal": gettext_lazy("rétractation"),
}


def verb_label(verb: str) -> str:
    """A verb for a filter's choices: the start of its sentence, any object, any value."""
    template = SENTENCES.get(verb)
    if template is None:
        return verb
    noun = str(NOUNS.get(verb.split(".")[0], ""))
    text = str(template).replace("%(object)s", noun)
    text = re.sub(r"%\([a-z_]+\)s", "…", text)
    text = re.split(r" ?: |, | \(", text)[0]
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+(pour|à|to|for|par|by)\s+…$", "", text)
    text = re.sub(r"\s+(pour|for|de|of|du|des|au|aux|à|to|sur|on|la|le)$", "", text)
    return text[:1].upper() + text[1:]
