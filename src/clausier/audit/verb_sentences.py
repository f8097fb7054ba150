"""The sentence of every audit verb, French first (translated by the page's language): one
entry per verb a service records (:mod:`clausier.audit.sentences` words the event with it)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

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
    "quote.confidentiality_changed": gettext_lazy(
        "Confidentialité du %(object)s modifiée : %(changes)s"
    ),
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
    "contract.confidentiality_changed": gettext_lazy(
        "Confidentialité du %(object)s modifiée : %(changes)s"
    ),
    "nda.requested": gettext_lazy("%(object)s demandé : « %(title)s » (%(client)s)"),
    "nda.signed": gettext_lazy("%(object)s signé le %(signed_on)s : « %(title)s »"),
    "nda.declined": gettext_lazy("%(object)s refusé : %(reason)s"),
    "contract.price_revision_proposed": gettext_lazy(
        "Nouveau tarif proposé pour le %(object)s à l'échéance du %(term_end)s "
        "(%(current_total_ht)s € HT -> %(new_total_ht)s € HT par période)"
    ),
    "contract.renewed_at_new_price": gettext_lazy(
        "%(object)s reconduit au nouveau tarif accepté : version %(version)s, échéance le "
        "%(term_end)s (%(new_total_ht)s € HT par période)"
    ),
    "contract.price_revision_accepted": gettext_lazy(
        "Nouveau tarif du %(object)s accepté pour l'échéance du %(term_end)s"
    ),
    "contract.price_revision_refused": gettext_lazy(
        "Nouveau tarif du %(object)s refusé : fin à l'échéance du %(term_end)s"
    ),
    "contract.insolvency_notice_sent": gettext_lazy(
        "Mise en demeure à l'administrateur envoyée le %(sent_on)s pour le %(object)s "
        "(résiliation possible à partir du %(termination_from)s)"
    ),
    "contract.insolvency_notice_answered": gettext_lazy(
        "L'administrateur a répondu le %(answered_on)s à la mise en demeure du %(object)s"
    ),
    "contract.claim_received": gettext_lazy(
        "Réclamation en responsabilité reçue le %(received_on)s sur le %(object)s"
    ),
    "contract.claim_capped": gettext_lazy(
        "Plafond de responsabilité du %(object)s : %(cap_ht)s € HT (payé %(paid_ht)s € HT)"
    ),
    "contract.claim_remeasured": gettext_lazy(
        "Plafond de la réclamation du %(object)s recalculé (réclamation du %(claim_date)s)"
    ),
    "contract.claim_decided": gettext_lazy("Réclamation du %(object)s : %(status)s"),
    "contract.archive_requested": gettext_lazy(
        "Archive du site demandée le %(received_on)s pour le %(object)s (à livrer au plus tard "
        "le %(deadline)s)"
    ),
    "contract.archive_acknowledged": gettext_lazy(
        "Accusé de réception de la demande d'archive du %(object)s envoyé à %(to)s"
    ),
    "contract.archive_delivered": gettext_lazy(
        "Archive du site du %(object)s livrée le %(delivered_on)s (%(method)s)"
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
