"""What made clausier act by itself: the cause an event of an automatic action carries
(``trigger`` in its summary), which its sentence words (« Facture F2026-000001 émise
automatiquement après le paiement en ligne »). An event without one was a person's act."""

from __future__ import annotations

from enum import StrEnum


class Trigger(StrEnum):
    """The fact an automatic action answered."""

    ORDER_PAID = "order_paid"
    QUOTE_ACCEPTED = "quote_accepted"
    ORDER_CONFIRMED = "order_confirmed"
    ORDER_CANCELLED = "order_cancelled"
    DEPOSIT_CASHED = "deposit_cashed"
    WAITING_RETRY = "waiting_retry"
    PENALTIES_BILLED = "penalties_billed"
    WITHDRAWAL_ACCEPTED = "withdrawal_accepted"
    SUPPORT_WORK_BILLABLE = "support_work_billable"
    SERVICE_ACTIVATED = "service_activated"
    CONTRACT_TERMINATED = "contract_terminated"
    SLA_PENALTY = "sla_penalty"
    CLIENT_SUSPENDED = "client_suspended"
    CLIENT_RESUMED = "client_resumed"
    DOMAIN_RENEWAL_DUE = "domain_renewal_due"
    RESTORE_BILLABLE = "restore_billable"
