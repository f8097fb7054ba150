"""Writes on payments, allocations and refunds.

Online: :func:`record_online_payment` (the provider's report of an outcome, idempotent,
never backwards), :func:`record_payment` / :func:`record_payment_failure` (an online order's
payment as staff record it). Offline: :func:`record_offline_payment` (a cheque or a
transfer), :func:`mark_cheque_cashed`, :func:`record_invoice_payment` (one invoice paid),
:func:`record_deposit_cashed` (an agency order's deposit). Allocations: :func:`allocate`,
:func:`use_client_credit`. Refunds: :func:`record_refund_owed`, :func:`mark_refund_sent`,
:func:`mark_refund_settled`; a credit note on a paid invoice owes one
(:func:`refund_overpayment`, answering invoicing's fact); a card or PayPal refund through
its provider (:func:`refund_through_provider`), transfer refunds in a SEPA credit transfer
file (:func:`set_refund_account`, :func:`export_transfer_refunds`). Cheques handed to the
bank: :func:`remit_cheques` (the remittance slip). Saved cards: :func:`open_saved_card_charge`
(an invoice issued for a client keeping one), :func:`charge_saved_card` (after the commit),
:func:`revoke_saved_method` (the client removes it).

Each write is one transaction that locks what it changes (the payment, the invoice whose
balance it reads), records an audit event and publishes its facts; orders and invoicing
react (``clausier/reactions.py``). Services take ``now`` (an aware datetime, default the
current time) so tests need no clock.
"""

from clausier.payments.services.allocation import (
    allocate,
    allocate_many,
    allocate_order_payments,
    use_client_credit,
)
from clausier.payments.services.offline import (
    mark_cheque_cashed,
    record_deposit_cashed,
    record_invoice_payment,
    record_offline_payment,
)
from clausier.payments.services.online import (
    record_online_payment,
    record_payment,
    record_payment_failure,
)
from clausier.payments.services.provider_refunds import refund_through_provider
from clausier.payments.services.refunds import (
    mark_refund_sent,
    mark_refund_settled,
    record_refund_owed,
    refund_overpayment,
    refund_withdrawn_order,
    set_refund_account,
)
from clausier.payments.services.remittance import remit_cheques
from clausier.payments.services.saved_cards import (
    charge_saved_card,
    open_saved_card_charge,
    revoke_saved_method,
)
from clausier.payments.services.service_paid import measure_paid_for_service
from clausier.payments.services.transfers import export_transfer_refunds

__all__ = [
    "allocate",
    "allocate_many",
    "allocate_order_payments",
    "charge_saved_card",
    "export_transfer_refunds",
    "mark_cheque_cashed",
    "mark_refund_sent",
    "mark_refund_settled",
    "measure_paid_for_service",
    "open_saved_card_charge",
    "record_deposit_cashed",
    "record_invoice_payment",
    "record_offline_payment",
    "record_online_payment",
    "record_payment",
    "record_payment_failure",
    "record_refund_owed",
    "refund_overpayment",
    "refund_through_provider",
    "refund_withdrawn_order",
    "remit_cheques",
    "revoke_saved_method",
    "set_refund_account",
    "use_client_credit",
]
