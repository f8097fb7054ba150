"""Writes on orders.

Agency flow (seed 002): created from an accepted quote, deposit cashed (:func:`mark_deposit_cashed`,
answering payments), work started, final acceptance (:func:`record_final_acceptance`).
Online flow (seed 000, art. 4-8): :func:`create_online_order` edits the recap
(:func:`update_recap`), :func:`confirm_order` freezes it and validates it automatically,
:func:`mark_paid` / :func:`cancel_for_failed_payment` answer the payments domain's facts, and
:func:`activate_service` starts the service and tells the PaaS runtime by a signed webhook.
Both: :func:`cancel_order`; a consumer's withdrawal (withdrawal's fact) is recorded by
:func:`record_withdrawal`.

Each write is one transaction that locks the order, checks ``orders.transitions`` and records
an audit event; a refused write raises before anything is written. Services take ``now`` (an
aware datetime, default the current time) so tests need no frozen clock.
"""

from clausier.orders.services.activation import (
    activate_service,
    activation_payload,
    complete_service,
)
from clausier.orders.services.confirm import (
    confirm_order,
    validate_order,
)
from clausier.orders.services.online import (
    ACTIVATE_EVENT,
    DECLARED_FIELDS,
    EXECUTION_CLAUSE,
    FLOW_CLAUSE,
    FROZEN_CLAUSE_KINDS,
    LINE_KEYS,
    ONLINE_PREFIX,
    ONLINE_SERIES,
    PAYMENT_CLAUSE,
    create_online_order,
    update_recap,
)
from clausier.orders.services.payments import (
    cancel_for_failed_payment,
    mark_paid,
)
from clausier.orders.services.quote_orders import (
    cancel_order,
    create_order_from_quote,
    mark_deposit_cashed,
    mark_deposit_invoiced,
    record_final_acceptance,
    start_work,
)
from clausier.orders.services.support import (
    OrderFrozen,
    WorkCannotStart,
)
from clausier.orders.services.withdrawn import record_withdrawal

__all__ = [
    "ACTIVATE_EVENT",
    "DECLARED_FIELDS",
    "EXECUTION_CLAUSE",
    "FLOW_CLAUSE",
    "FROZEN_CLAUSE_KINDS",
    "LINE_KEYS",
    "ONLINE_PREFIX",
    "ONLINE_SERIES",
    "PAYMENT_CLAUSE",
    "OrderFrozen",
    "WorkCannotStart",
    "activate_service",
    "activation_payload",
    "cancel_for_failed_payment",
    "cancel_order",
    "complete_service",
    "confirm_order",
    "create_online_order",
    "create_order_from_quote",
    "mark_deposit_cashed",
    "mark_deposit_invoiced",
    "mark_paid",
    "record_final_acceptance",
    "record_withdrawal",
    "start_work",
    "update_recap",
    "validate_order",
]
