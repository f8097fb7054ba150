"""Every back-office and portal URL x every role x own / other seller's object.

The table below must name every URL of the back-office and the portal: a new URL fails
``test_every_url_is_in_the_matrix`` until its row says which method reaches it and which
permission it needs. Then each row is checked for every staff role (allowed -> never 403/404;
not allowed -> 403), for another seller's objects (404 even for its owner-to-be), and, for
the portal, for staff and for another client's contact (404).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.urls import get_resolver, reverse
from django.utils import timezone

from clausier.api.services import create_token
from clausier.invoicing.services import usage
from clausier.payments.ui.checkout import cancel_token
from clausier.quotes import services as quote_services
from clausier.sellers.domain import role_can
from clausier.sellers.models import Role
from clausier.terms import services as terms_services
from clausier.webhooks import services as webhook_services
from tests.factories import (
    make_client,
    make_contact,
    make_issued_invoice,
    make_seller,
    make_staff,
    make_user,
)
from tests.factories.orders import draft_online_order, publish_terms_with_online_orders
from tests.factories.payments import refund_owed, transfer

pytestmark = pytest.mark.django_db


# url name -> (method, kwargs from a seller's objects, permission)


def _contract_id(w) -> dict:
    return {"contract_id": w["contract"].pk}


BACKOFFICE = {
    "home": ("get", lambda w: {}, "seller.view"),
    "clients": ("get", lambda w: {}, "clients.view"),
    "client_new": ("get", lambda w: {}, "clients.edit"),
    "client": ("get", lambda w: {"client_id": w["client"].pk}, "clients.view"),
    "client_edit": ("get", lambda w: {"client_id": w["client"].pk}, "clients.edit"),
    "contact_add": ("post", lambda w: {"client_id": w["client"].pk}, "clients.edit"),
    "contact_portal_access": (
        "post",
        lambda w: {"client_id": w["client"].pk, "contact_id": w["contact"].pk},
        "clients.edit",
    ),
    "acceptance_add": ("post", lambda w: {"client_id": w["client"].pk}, "acceptances.record"),
    "acceptance_evidence": (
        "get",
        lambda w: {"client_id": w["client"].pk, "acceptance_id": w["acceptance"].pk},
        "clients.view",
    ),
    "terms": ("get", lambda w: {}, "terms.view"),
    "terms_new": ("get", lambda w: {}, "terms.edit"),
    "terms_version": ("get", lambda w: {"version_id": w["version"].pk}, "terms.view"),
    "terms_publish": ("post", lambda w: {"version_id": w["draft"].pk}, "terms.edit"),
    "clause_add": ("post", lambda w: {"version_id": w["draft"].pk}, "terms.edit"),
    "clause": (
        "get",
        lambda w: {"version_id": w["draft"].pk, "clause_pk": w["clause"].pk},
        "terms.edit",
    ),
    "clause_delete": (
        "post",
        lambda w: {"version_id": w["draft"].pk, "clause_pk": w["clause"].pk},
        "terms.edit",
    ),
    "catalog": ("get", lambda w: {}, "catalog.view"),
    "quotes": ("get", lambda w: {}, "quotes.view"),
    "quote_new": ("get", lambda w: {}, "quotes.edit"),
    "quote": ("get", lambda w: {"quote_id": w["quote"].pk}, "quotes.view"),
    "quote_edit": ("get", lambda w: {"quote_id": w["draft_quote"].pk}, "quotes.edit"),
    "quote_delete": ("post", lambda w: {"quote_id": w["draft_quote"].pk}, "quotes.edit"),
    "quote_pdf": ("get", lambda w: {"quote_id": w["quote"].pk}, "quotes.view"),
    "quote_send": ("post", lambda w: {"quote_id": w["draft_quote"].pk}, "quotes.edit"),
    "quote_revise": ("post", lambda w: {"quote_id": w["quote"].pk}, "quotes.edit"),
    "quote_withdraw": ("post", lambda w: {"quote_id": w["quote"].pk}, "quotes.edit"),
    "quote_refuse": ("post", lambda w: {"quote_id": w["quote"].pk}, "quotes.edit"),
    "quote_accept_email": (
        "post",
        lambda w: {"quote_id": w["quote"].pk},
        "quotes.record_acceptance",
    ),
    "quote_accept_postal": (
        "post",
        lambda w: {"quote_id": w["quote"].pk},
        "quotes.record_acceptance",
    ),
    "quote_acceptance_evidence": (
        "get",
        lambda w: {"quote_id": w["accepted_quote"].pk},
        "quotes.view",
    ),
    "quote_confidentiality": ("post", lambda w: {"quote_id": w["quote"].pk}, "quotes.edit"),
    "quote_attachment_add": ("post", lambda w: {"quote_id": w["draft_quote"].pk}, "quotes.edit"),
    "quote_attachment": (
        "get",
        lambda w: {"quote_id": w["quote"].pk, "attachment_id": w["attachment"].pk},
        "quotes.view",
    ),
    "quote_attachment_remove": (
        "post",
        lambda w: {"quote_id": w["draft_quote"].pk, "attachment_id": w["draft_attachment"].pk},
        "quotes.edit",
    ),
    "orders": ("get", lambda w: {}, "orders.view"),
    "order": ("get", lambda w: {"order_id": w["order"].pk}, "orders.view"),
    "order_deposit_cashed": ("post", lambda w: {"order_id": w["order"].pk}, "orders.edit"),
    "order_start": ("post", lambda w: {"order_id": w["order"].pk}, "orders.edit"),
    "order_cancel": ("post", lambda w: {"order_id": w["order"].pk}, "orders.cancel"),
    "order_validate": ("post", lambda w: {"order_id": w["order"].pk}, "orders.edit"),
    "order_payment": ("post", lambda w: {"order_id": w["order"].pk}, "orders.edit"),
    "order_payment_failure": ("post", lambda w: {"order_id": w["order"].pk}, "orders.edit"),
    "order_activate": ("post", lambda w: {"order_id": w["order"].pk}, "orders.edit"),
    "orders_late": ("get", lambda w: {}, "orders.view"),
    "webhooks": ("get", lambda w: {}, "webhooks.view"),
    "inbox": ("get", lambda w: {}, "inbox.view"),
    "inbox_message": ("get", lambda w: {"message_id": w["inbound"].pk}, "inbox.view"),
    "inbox_message_raw": ("get", lambda w: {"message_id": w["inbound"].pk}, "inbox.view"),
    "inbox_message_reparse": (
        "post",
        lambda w: {"message_id": w["unreadable"].pk},
        "inbox.reparse",
    ),
    "inbox_attachment": (
        "get",
        lambda w: {"message_id": w["inbound"].pk, "attachment_id": w["inbound_attachment"].pk},
        "inbox.view",
    ),
    "webhook_new": ("post", lambda w: {}, "webhooks.manage"),
    "webhook_edit": ("get", lambda w: {"endpoint_id": w["endpoint"].pk}, "webhooks.manage"),
    "webhook_rotate": ("post", lambda w: {"endpoint_id": w["endpoint"].pk}, "webhooks.manage"),
    "webhook_active": ("post", lambda w: {"endpoint_id": w["endpoint"].pk}, "webhooks.manage"),
    "webhook_delete": ("post", lambda w: {"endpoint_id": w["endpoint"].pk}, "webhooks.manage"),
    "webhook_deliveries": ("get", lambda w: {}, "webhooks.view"),
    "webhook_delivery": ("get", lambda w: {"delivery_id": w["delivery"].pk}, "webhooks.view"),
    "webhook_retry": ("post", lambda w: {"delivery_id": w["delivery"].pk}, "webhooks.retry"),
    "audit": ("get", lambda w: {}, "audit.view"),
    "api_tokens": ("get", lambda w: {}, "api_tokens.manage"),
    "api_token_revoke": ("post", lambda w: {"token_id": w["token"].pk}, "api_tokens.manage"),
    "settings": ("get", lambda w: {}, "settings.edit"),
    "invoices": ("get", lambda w: {}, "invoices.view"),
    "invoices_csv": ("get", lambda w: {}, "invoices.view"),
    "invoice_new": ("get", lambda w: {}, "invoices.edit"),
    "invoice": ("get", lambda w: {"invoice_id": w["bo_invoice"].pk}, "invoices.view"),
    "invoice_edit": ("get", lambda w: {"invoice_id": w["draft_invoice"].pk}, "invoices.edit"),
    "invoice_delete": ("post", lambda w: {"invoice_id": w["draft_invoice"].pk}, "invoices.edit"),
    "invoice_issue": ("post", lambda w: {"invoice_id": w["draft_invoice"].pk}, "invoices.edit"),
    "invoice_credit_note": (
        "post",
        lambda w: {"invoice_id": w["bo_invoice"].pk},
        "invoices.edit",
    ),
    "invoice_payment": ("post", lambda w: {"invoice_id": w["bo_invoice"].pk}, "invoices.edit"),
    "payments": ("get", lambda w: {}, "invoices.view"),
    "payment_new": ("get", lambda w: {}, "invoices.edit"),
    "payment": ("get", lambda w: {"payment_id": w["payment"].pk}, "invoices.view"),
    "payment_cash": ("post", lambda w: {"payment_id": w["payment"].pk}, "invoices.edit"),
    "payment_allocate": ("post", lambda w: {"payment_id": w["payment"].pk}, "invoices.edit"),
    "payment_refund": ("post", lambda w: {"payment_id": w["payment"].pk}, "invoices.edit"),
    "refunds": ("get", lambda w: {}, "invoices.view"),
    "refund_settle": ("post", lambda w: {"refund_id": w["refund"].pk}, "invoices.edit"),
    "refund_provider": ("post", lambda w: {"refund_id": w["refund"].pk}, "invoices.edit"),
    "refund_account": ("get", lambda w: {"refund_id": w["refund"].pk}, "invoices.edit"),
    "refunds_export": ("post", lambda w: {}, "invoices.edit"),
    "transfer_download": ("get", lambda w: {"batch_id": w["batch"].pk}, "invoices.view"),
    "remittances": ("get", lambda w: {}, "invoices.view"),
    "remittance_new": ("get", lambda w: {}, "invoices.edit"),
    "remittance_download": (
        "get",
        lambda w: {"remittance_id": w["remittance"].pk},
        "invoices.view",
    ),
    "dunning_queue": ("get", lambda w: {}, "invoices.view"),
    "dunning_plan": ("get", lambda w: {}, "invoices.view"),
    "dunning_send": ("post", lambda w: {"notice_id": w["dunning_notice"].pk}, "invoices.edit"),
    "dunning_skip": ("post", lambda w: {"notice_id": w["dunning_notice"].pk}, "invoices.edit"),
    "formal_notice_new": (
        "post",
        lambda w: {"notice_id": w["dunning_notice"].pk},
        "invoices.edit",
    ),
    "formal_notices": ("get", lambda w: {}, "invoices.view"),
    "formal_notice": ("get", lambda w: {"notice_id": w["formal_notice"].pk}, "invoices.view"),
    "formal_notice_pdf": ("get", lambda w: {"notice_id": w["formal_notice"].pk}, "invoices.view"),
    "statements": ("get", lambda w: {}, "invoices.view"),
    "statement_new": ("get", lambda w: {}, "invoices.edit"),
    "statement_review": ("get", lambda w: {}, "invoices.view"),
    "statement": ("get", lambda w: {"statement_id": w["statement"].pk}, "invoices.view"),
    "statement_progress": ("get", lambda w: {"statement_id": w["statement"].pk}, "invoices.view"),
    "statement_line": ("get", lambda w: {"line_id": w["line"].pk}, "invoices.view"),
    "statement_line_match": ("post", lambda w: {"line_id": w["line"].pk}, "invoices.edit"),
    "statement_line_credit": ("post", lambda w: {"line_id": w["line"].pk}, "invoices.edit"),
    "statement_line_ignore": ("post", lambda w: {"line_id": w["line"].pk}, "invoices.edit"),
    "statement_mappings": ("get", lambda w: {}, "invoices.view"),
    "statement_mapping_new": ("get", lambda w: {}, "invoices.edit"),
    "statement_mapping": ("get", lambda w: {"mapping_id": w["mapping"].pk}, "invoices.edit"),
    "refund_send": ("post", lambda w: {"refund_id": w["refund"].pk}, "invoices.edit"),
    "client_payments": ("get", lambda w: {"client_id": w["client"].pk}, "invoices.view"),
    "receivables": ("get", lambda w: {}, "invoices.view"),
    "client_account": ("get", lambda w: {"client_id": w["client"].pk}, "invoices.view"),
    "client_account_pdf": ("get", lambda w: {"client_id": w["client"].pk}, "invoices.view"),
    "invoice_use_credit": ("post", lambda w: {"invoice_id": w["bo_invoice"].pk}, "invoices.edit"),
    "penalty_settings": ("get", lambda w: {}, "invoices.view"),
    "invoice_penalties_bill": (
        "post",
        lambda w: {"invoice_id": w["bo_invoice"].pk},
        "invoices.edit",
    ),
    "invoice_penalties_waive": (
        "post",
        lambda w: {"invoice_id": w["bo_invoice"].pk},
        "invoices.edit",
    ),
    "order_final_invoice": ("post", lambda w: {"order_id": w["order"].pk}, "invoices.edit"),
    "invoice_resend": ("post", lambda w: {"invoice_id": w["bo_invoice"].pk}, "invoices.send"),
    "invoice_pdf": ("get", lambda w: {"invoice_id": w["bo_invoice"].pk}, "invoices.view"),
    "invoice_xml": ("get", lambda w: {"invoice_id": w["bo_invoice"].pk}, "invoices.view"),
    "client_standing": ("get", lambda w: {"client_id": w["client"].pk}, "invoices.view"),
    "client_standing_suspend": ("post", lambda w: {"client_id": w["client"].pk}, "invoices.edit"),
    "client_standing_resume": ("post", lambda w: {"client_id": w["client"].pk}, "invoices.edit"),
    "acceleration_revert": (
        "post",
        lambda w: {"acceleration_id": w["acceleration"].pk},
        "invoices.edit",
    ),
    "withdrawals": ("get", lambda w: {}, "orders.view"),
    "withdrawal_new": ("get", lambda w: {}, "orders.edit"),
    "withdrawal": ("get", lambda w: {"withdrawal_id": w["withdrawal"].pk}, "orders.view"),
    "withdrawal_pdf": ("get", lambda w: {"withdrawal_id": w["withdrawal"].pk}, "orders.view"),
    "subscriptions": ("get", lambda w: {}, "orders.view"),
    "contracts": ("get", lambda w: {}, "orders.view"),
    "contract_renewals": ("get", lambda w: {}, "orders.view"),
    "contract_new": ("get", lambda w: {}, "orders.edit"),
    "contract": ("get", lambda w: {"contract_id": w["contract"].pk}, "orders.view"),
    "contract_notice": ("post", lambda w: {"contract_id": w["contract"].pk}, "orders.edit"),
    "contract_breach": ("post", _contract_id, "orders.edit"),
    "contract_remedy": ("post", _contract_id, "orders.edit"),
    "contract_force_majeure": ("post", _contract_id, "orders.edit"),
    "contract_force_majeure_end": (
        "post",
        lambda w: {"contract_id": w["contract"].pk},
        "orders.edit",
    ),
    "contract_domain": ("post", _contract_id, "orders.edit"),
    "contract_restore": ("post", _contract_id, "orders.edit"),
    "domains": ("get", lambda w: {}, "orders.view"),
    "domain": ("get", lambda w: {"domain_id": w["domain"].pk}, "orders.view"),
    "domain_transfer": ("post", lambda w: {"domain_id": w["domain"].pk}, "orders.edit"),
    "restores": ("get", lambda w: {}, "orders.view"),
    "restore_done": ("post", lambda w: {"restore_id": w["restore"].pk}, "orders.edit"),
    "restore_refuse": ("post", lambda w: {"restore_id": w["restore"].pk}, "orders.edit"),
    "contract_confidentiality": ("post", _contract_id, "orders.edit"),
    "ndas": ("get", lambda w: {}, "clients.view"),
    "nda_new": ("get", lambda w: {}, "clients.edit"),
    "nda": ("get", lambda w: {"nda_id": w["nda"].pk}, "clients.view"),
    "nda_sign": ("post", lambda w: {"nda_id": w["nda"].pk}, "clients.edit"),
    "nda_decline": ("post", lambda w: {"nda_id": w["nda"].pk}, "clients.edit"),
    "nda_file": ("get", lambda w: {"nda_id": w["nda"].pk}, "clients.view"),
    "contract_force_majeure_terminate": (
        "post",
        lambda w: {"contract_id": w["contract"].pk},
        "orders.edit",
    ),
    "contract_price_revision": ("post", _contract_id, "orders.edit"),
    "contract_price_revision_answer": ("post", _contract_id, "orders.edit"),
    "contract_insolvency": ("post", _contract_id, "orders.edit"),
    "contract_insolvency_answer": ("post", _contract_id, "orders.edit"),
    "contract_insolvency_terminate": ("post", _contract_id, "orders.edit"),
    "contract_claim": ("post", _contract_id, "orders.edit"),
    "contract_archive": ("post", _contract_id, "orders.edit"),
    "claims": ("get", lambda w: {}, "orders.view"),
    "claim": ("get", lambda w: {"claim_id": w["claim"].pk}, "orders.view"),
    "claim_decide": ("post", lambda w: {"claim_id": w["claim"].pk}, "orders.edit"),
    "claim_recalculate": ("post", lambda w: {"claim_id": w["claim"].pk}, "orders.edit"),
    "archives_due": ("get", lambda w: {}, "orders.view"),
    "archive_deliver": ("post", lambda w: {"request_id": w["archive"].pk}, "orders.edit"),
    "subscription": ("get", lambda w: {"subscription_id": w["subscription"].pk}, "orders.view"),
    "usage_runs": ("get", lambda w: {}, "invoices.view"),
    "usage_run": ("get", lambda w: {"run_id": w["usage_run"].pk}, "invoices.view"),
    "usage_run_progress": ("get", lambda w: {"run_id": w["usage_run"].pk}, "invoices.view"),
    "subscription_credit": (
        "post",
        lambda w: {"subscription_id": w["subscription"].pk},
        "invoices.edit",
    ),
    "support_queue": ("get", lambda w: {}, "support.view"),
    "support_queue_clocks": ("get", lambda w: {}, "support.view"),
    "support_dashboard": ("get", lambda w: {}, "support.view"),
    "support_ticket_new": ("get", lambda w: {}, "support.edit"),
    "support_emails": ("get", lambda w: {}, "support.edit"),
    "support_on_call": ("get", lambda w: {}, "support.view"),
    "support_on_call_shift": ("post", lambda w: {}, "support.edit"),
    "support_on_call_override": ("post", lambda w: {}, "support.edit"),
    "ticket_acknowledge_page": ("post", lambda w: {"ticket_id": w["ticket"].pk}, "support.edit"),
    "ticket": ("get", lambda w: {"ticket_id": w["ticket"].pk}, "support.view"),
    "ticket_reply": ("post", lambda w: {"ticket_id": w["ticket"].pk}, "support.edit"),
    "ticket_action": ("post", lambda w: {"ticket_id": w["ticket"].pk}, "support.edit"),
    "ticket_force_majeure": ("post", lambda w: {"ticket_id": w["ticket"].pk}, "support.edit"),
    "ticket_qualify": ("post", lambda w: {"ticket_id": w["ticket"].pk}, "support.edit"),
    "ticket_exclude": ("post", lambda w: {"ticket_id": w["ticket"].pk}, "support.edit"),
    "ticket_time": ("post", lambda w: {"ticket_id": w["ticket"].pk}, "support.edit"),
    "ticket_bill": ("post", lambda w: {"ticket_id": w["ticket"].pk}, "support.edit"),
    "ticket_call": ("post", lambda w: {"ticket_id": w["ticket"].pk}, "support.edit"),
    "ticket_penalty": ("post", lambda w: {"ticket_id": w["ticket"].pk}, "support.edit"),
}
# The seller switcher lists the user's own sellers only: checked separately below. The legal
# rates are a platform screen, superusers only: checked below for every role.
BACKOFFICE_UNSCOPED = {"index", "legal_rates"}
# The development outbox holds every seller's mail: staff of any seller, where OUTBOX_PAGE is
# on (tests/backoffice/test_outbox.py).
BACKOFFICE_UNSCOPED |= {"outbox", "outbox_attachment"}

# url name -> (method, kwargs from a seller's objects)
PORTAL = {
    "home": ("get", lambda w: {}),
    "accept": ("post", lambda w: {}),
    "terms": ("get", lambda w: {"version_id": w["version"].pk}),
    "profile": ("get", lambda w: {}),
    "logo": ("get", lambda w: {}),
    "quotes": ("get", lambda w: {}),
    "quote": ("get", lambda w: {"quote_id": w["quote"].pk}),
    "quote_pdf": ("get", lambda w: {"quote_id": w["quote"].pk}),
    "quote_accept": ("post", lambda w: {"quote_id": w["quote"].pk}),
    "quote_refuse": ("post", lambda w: {"quote_id": w["quote"].pk}),
    "quote_attachment": (
        "get",
        lambda w: {"quote_id": w["quote"].pk, "attachment_id": w["attachment"].pk},
    ),
    "orders": ("get", lambda w: {}),
    "order_new": ("get", lambda w: {}),
    "order": ("get", lambda w: {"order_id": w["online_order"].pk}),
    "order_edit": ("get", lambda w: {"order_id": w["online_order"].pk}),
    "order_confirm": ("post", lambda w: {"order_id": w["online_order"].pk}),
    "invoices": ("get", lambda w: {}),
    "invoice": ("get", lambda w: {"invoice_id": w["invoice"].pk}),
    "invoice_pdf": ("get", lambda w: {"invoice_id": w["invoice"].pk}),
    "invoice_xml": ("get", lambda w: {"invoice_id": w["invoice"].pk}),
    "payments": ("get", lambda w: {}),
    "payment": ("get", lambda w: {"payment_id": w["payment"].pk}),
    "payment_methods": ("get", lambda w: {}),
    "payment_method_remove": ("post", lambda w: {"method_id": w["saved_method"].pk}),
    "statement": ("get", lambda w: {}),
    "statement_pdf": ("get", lambda w: {}),
    "invoice_pay": ("post", lambda w: {"invoice_id": w["invoice"].pk}),
    "order_pay": ("post", lambda w: {"order_id": w["online_order"].pk}),
    "checkout_return": ("get", lambda w: {"payment_id": w["payment"].pk}),
    "checkout_cancel": (
        "get",
        lambda w: {"payment_id": w["payment"].pk, "token": cancel_token(w["payment"])},
    ),
    "withdrawals": ("get", lambda w: {}),
    "contracts": ("get", lambda w: {}),
    "contract": ("get", lambda w: {"contract_id": w["contract"].pk}),
    "contract_terminate": ("get", lambda w: {"contract_id": w["contract"].pk}),
    "contract_terminated": ("get", lambda w: {"contract_id": w["contract"].pk}),
    "contract_restore": ("get", lambda w: {"contract_id": w["domain_contract"].pk}),
    "domains": ("get", lambda w: {}),
    "ndas": ("get", lambda w: {}),
    "ndas_request": ("post", lambda w: {}),
    "nda_file": ("get", lambda w: {"nda_id": w["nda"].pk}),
    "contract_price_accept": ("get", lambda w: {"contract_id": w["contract"].pk}),
    "contract_price_refuse": ("get", lambda w: {"contract_id": w["contract"].pk}),
    "contract_archive": ("post", lambda w: {"contract_id": w["contract"].pk}),
    "withdrawal_new": ("get", lambda w: {}),
    "withdrawal": ("get", lambda w: {"withdrawal_id": w["withdrawal"].pk}),
    "withdrawal_pdf": ("get", lambda w: {"withdrawal_id": w["withdrawal"].pk}),
    "consumption": ("get", lambda w: {}),
    "consumption_subscription": ("get", lambda w: {"subscription_id": w["subscription"].pk}),
    "tickets": ("get", lambda w: {}),
    "ticket_new": ("get", lambda w: {}),
    "ticket": ("get", lambda w: {"ticket_id": w["ticket"].pk}),
    "ticket_reply": ("post", lambda w: {"ticket_id": w["ticket"].pk}),
}
# The portal pages of a consumer's own withdrawal: its contact logs in (the world's client is
# a professional, who has no right of withdrawal); a subscription's page: its client's contact.
PORTAL_CONTACT = {
    "withdrawal": "consumer_contact",
    "withdrawal_pdf": "consumer_contact",
    "consumption_subscription": "subscription_contact",
    "contract": "contract_contact",
    "contract_terminate": "contract_contact",
    "contract_terminated": "contract_contact",
    "contract_restore": "contract_contact",
    "nda_file": "contract_contact",
    "contract_price_accept": "contract_contact",
    "contract_price_refuse": "contract_contact",
    "contract_archive": "contract_contact",
}


def withdrawal_world(seller) -> dict:
    """A consumer's online order, concluded, and its withdrawal registered (accepted)."""
    from clausier.orders import services as order_services
    from clausier.withdrawal import services as withdrawal_services

    consumer = make_client(seller, "consumer")
    order = order_services.confirm_order(order=draft_online_order(seller, consumer), by=None)
    withdrawal = withdrawal_services.register_withdrawal(
        seller=seller,
        order=order,
        channel="email",
        received_on=timezone.localdate(),
        by=None,
    )
    return {"withdrawal": withdrawal, "consumer_contact": make_contact(consumer)}


def contract_world(seller, version) -> dict:
    """A consumer's yearly hosting contract, opened by contracts' own service."""
    from clausier.contracts import services as contract_services

    consumer = make_client(seller, "consumer")
    contract = contract_services.open_contract(
        seller=seller,
        client=consumer,
        reference="CT-1",
        start_on=timezone.localdate(),
        period_months=12,
        lines=[{"kind": "hosting", "description": "Hébergement", "amount_ht": "120.00"}],
        terms_version=version,
        by=None,
    )
    # A claim and an archive request on it (rows as the register and the list show them; the
    # world's terms cap no liability, so the claim is written as a row).
    from clausier.contracts.models import ArchiveRequest, LiabilityClaim

    today = timezone.localdate()
    claim = LiabilityClaim.objects.create(
        contract=contract, received_on=today, tracking_number="1A", description="Panne"
    )
    archive = ArchiveRequest.objects.create(
        contract=contract, received_on=today, channel="letter", deadline=today
    )
    nda = contract_services.record_signed_nda(
        client=contract.client,
        title="Projet",
        file=_pdf("accord.pdf"),
        signed_on=timezone.localdate(),
        effective_from=timezone.localdate(),
        by=None,
    )
    return {
        "contract": contract,
        "contract_contact": make_contact(consumer),
        "claim": claim,
        "archive": archive,
        "nda": nda,
        **domain_world(seller, consumer),
    }


DOMAIN_CLAUSES = (
    {
        "clause_id": "domains.registration",
        "kind": "domains.registration",
        "article": "art. 11",
        "title": "Noms de domaine",
        "excerpt": "enregistrés au nom du prestataire pour un an",
        "parameters": {"registrant": "seller", "term": "P1Y", "sums_due_after_termination": True},
    },
    {
        "clause_id": "hosting.restore_fee",
        "kind": "fee.flat",
        "article": "art. 11",
        "title": "Restauration",
        "excerpt": "79 € forfaitaires",
        "parameters": {"amount": "79.00", "label": "Restauration du site"},
    },
)


def domain_world(seller, consumer) -> dict:
    """A contract with a domain name and the backup option under terms with art. 11's
    clauses (a draft: contracts read the clauses of the terms they were made under), its
    domain registered and a restore asked, by contracts' own services."""
    from clausier.contracts import services as contract_services

    version = terms_services.create_draft(
        seller=seller, label="v1-art11", effective_date=date(2026, 1, 1), text="# CGV\n", by=None
    )
    for fields in DOMAIN_CLAUSES:
        terms_services.add_clause(version=version, fields=fields, by=None)
    contract = contract_services.open_contract(
        seller=seller,
        client=consumer,
        reference="CT-2",
        start_on=timezone.localdate() - timedelta(days=10),
        period_months=12,
        lines=[
            {"kind": "domain", "description": "Nom de domaine", "amount_ht": "24.00"},
            {"kind": "backup", "description": "Sauvegarde", "amount_ht": "60.00"},
        ],
        terms_version=version,
        by=None,
    )
    domain = contract_services.register_domain(
        contract=contract,
        name=f"{seller.slug}.fr",
        registrar="Gandi",
        registered_on=timezone.localdate() - timedelta(days=5),
        by=None,
    )
    restore = contract_services.request_restore(
        contract=contract, backup_on=timezone.localdate(), from_portal=False, by=None
    )
    return {"domain": domain, "restore": restore, "domain_contract": contract}


def subscription_world(seller) -> dict:
    """A confirmed online order's subscription, started by metering's own service."""
    from clausier.metering import services as metering_services
    from clausier.orders import services as order_services

    client = make_client(seller, "company")
    order = order_services.confirm_order(order=draft_online_order(seller, client), by=None)
    subscription = metering_services.start_subscription(order=order, at=timezone.now(), by=None)
    # The month's usage billing run of the seller (nothing to bill: no usage yet).
    run = usage.bill_usage(period=timezone.localdate().replace(day=1), seller=seller, by=None)
    return {
        "subscription": subscription,
        "usage_run": run,
        "subscription_contact": make_contact(client),
    }


def ticket_world(seller, client) -> dict:
    """A ticket of the world's client, opened in the portal by its support's own service."""
    from clausier.support import services as support_services

    ticket = support_services.open_ticket(
        seller=seller,
        client=client,
        subject="Erreur 502",
        description="",
        channel="portal",
        by=None,
    )
    return {"ticket": ticket}


def world(slug: str) -> dict:
    seller = make_seller(slug)
    seller.logo.save("logo.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    # A professional's SIREN: a mandatory mention of the invoice the portal shows it.
    client = make_client(seller, "company", siren="552081317")
    version = publish_terms_with_online_orders(seller, "v1")
    acceptance = terms_services.record_acceptance(
        client=client,
        version=version,
        method="postal_scan",
        accepted_by_name="Jean Dupont",
        evidence_file=ContentFile(b"%PDF-1.4 scan", name="bon-pour-accord.pdf"),
        by=None,
    )
    draft = terms_services.create_draft(
        seller=seller, label="v2", effective_date=date(2027, 1, 1), text="# v2\n", by=None
    )
    clause = terms_services.add_clause(
        version=draft,
        fields={
            "clause_id": "payment.due",
            "kind": "payment.due",
            "article": "art. 1",
            "title": "Échéance",
            "excerpt": "30 jours",
            "parameters": {"n": 30, "unit": "jours_calendaires", "from": "invoice_date"},
        },
        by=None,
    )
    token, _secret = create_token(seller=seller, name="ci", by=None)
    payment = transfer(seller, client, on=date(2026, 5, 20))
    invoices = backoffice_invoice_world(seller)
    quotes = quote_world(seller, client)
    endpoint = webhook_services.create_endpoint(
        seller=seller,
        url="https://runtime.example.test/hooks",
        events=["service.activate"],
        by=None,
    )
    [delivery] = webhook_services.emit(
        seller=seller, event_type="service.activate", payload={"order_id": 1}, subject="order:1"
    )
    return {
        **quotes,
        **invoices,
        **statement_world(seller),
        **dunning_world(seller),
        "acceleration": acceleration_world(invoices["bo_invoice"]),
        "seller": seller,
        "client": client,
        "contact": make_contact(client, with_login=False),
        "portal_contact": make_contact(client),
        "version": version,
        "acceptance": acceptance,
        "draft": draft,
        "clause": clause,
        "token": token,
        "online_order": draft_online_order(seller, client),
        # Issued on a day the legal rate table covers (the client is a professional).
        "invoice": make_issued_invoice(
            seller, client, now=datetime(2026, 5, 22, 10, tzinfo=timezone.get_default_timezone())
        ),
        "endpoint": endpoint,
        "delivery": delivery,
        "payment": payment,
        "refund": refund_owed(payment),
        "saved_method": saved_card(client),
        **bank_world(seller, client),
        **withdrawal_world(seller),
        **subscription_world(seller),
        **ticket_world(seller, client),
        **contract_world(seller, version),
        **inbox_world(seller),
    }


def inbox_world(seller) -> dict:
    """A support mailbox of the seller, a message with attachments and one unreadable."""
    from clausier.inbox import services as inbox_services
    from tests.factories.inbox import eml, make_mailbox

    mailbox = make_mailbox(seller, f"support@{seller.slug}.test")

    def received(name: str):
        return inbox_services.receive(
            raw=eml(name), source="pipe", recipients=[mailbox.address], by=None
        ).message

    inbound = received("attachments")
    return {
        "inbound": inbound,
        "inbound_attachment": inbound.attachments.first(),
        "unreadable": received("unknown-charset"),
    }


def saved_card(client):
    """A card the client keeps at Stripe for its next invoices (as a checkout saves it)."""
    from clausier.payments.models import SavedPaymentMethod

    return SavedPaymentMethod.objects.create(
        seller=client.seller,
        client=client,
        provider="stripe",
        customer_reference="cus_matrix",
        method_reference="pm_card_visa_matrix",
        label="Visa •••• 4242",
        consented_at=timezone.now(),
        consent_version="2026-12-v1",
    )


def acceleration_world(invoice):
    """An invoice's due date brought forward (seed 002 art. 6), as the nightly pass records
    it when another invoice of the client is late."""
    from clausier.collections.standing_models import Acceleration

    return Acceleration.objects.create(
        seller=invoice.seller,
        client=invoice.client,
        invoice=invoice,
        caused_by=invoice,
        original_due_date=invoice.due_date,
        new_due_date=invoice.issue_date,
        clause_cited="art. 6 CGV v1",
        created_at=timezone.now(),
    )


def bank_world(seller, client) -> dict:
    """A transfer file of a refund and a cheque remittance, of the seller's account."""
    from clausier.payments import services as payment_services
    from tests.factories.payments import cheque

    seller.iban = "FR7630006000011234567890189"
    seller.save(update_fields=["iban"])
    sent = refund_owed(transfer(seller, client, on=date(2026, 5, 20)))
    payment_services.set_refund_account(refund=sent, iban="DE89370400440532013000", by=None)
    today = timezone.localdate()
    batch = payment_services.export_transfer_refunds(
        seller=seller, refund_ids=[sent.pk], execution_date=today, by=None
    )
    remittance = payment_services.remit_cheques(
        seller=seller,
        payment_ids=[cheque(seller, client, on=date(2026, 5, 20)).pk],
        remitted_on=today,
        by=None,
    )
    return {"batch": batch, "remittance": remittance}


def dunning_world(seller) -> dict:
    """A reminder queued and a formal notice drawn up, for the seller's invoices."""
    from clausier.collections.dunning import services as dunning_services

    notice = dunning_services.queue_due(seller=seller, on=date(2026, 7, 10))[0]
    formal = dunning_services.draw_up_formal_notice(
        seller=seller, client=notice.invoice.client, invoices=[notice.invoice], by=None
    )
    return {"dunning_notice": notice, "formal_notice": formal}


def statement_world(seller) -> dict:
    """A bank statement imported, its line waiting for review, a bank's CSV mapping."""
    from clausier.payments.services import statements
    from tests.payments.statements.camt import entry, statement

    imported = statements.import_statement(
        seller=seller,
        data=statement(entry("30.00", ref=f"{seller.slug}-1", remittance="REGLEMENT")),
        filename="releve.xml",
        format="camt053",
        by=None,
    )
    mapping = statements.save_csv_mapping(
        seller=seller, bank="Banque", mapping={"date": 1, "amount": 2}, by=None
    )
    return {"statement": imported, "line": imported.lines.get(), "mapping": mapping}


def backoffice_invoice_world(seller) -> dict:
    """A draft and an issued invoice for a client with every mention (the seller's VAT
    number completed), issued on a day before any other document of the world."""
    from clausier.sellers.services import upsert_seller
    from tests.factories import make_draft_invoice, make_issued_invoice

    upsert_seller(slug=seller.slug, fields={"vat_number": "FR87524172699"}, by=None)
    client = make_client(seller, "company", siren="732829320")
    day = timezone.make_aware(datetime(2026, 5, 20, 10), timezone.get_default_timezone())
    return {
        "bo_invoice": make_issued_invoice(seller, client, now=day),
        "draft_invoice": make_draft_invoice(seller, client),
    }


QUOTE_FIELDS = {"nature": "Site vitrine", "valid_until": None, "requires_deposit": False}
QUOTE_LINES = [{"description": "Site", "quantity": "1", "unit": "flat", "unit_price": "900"}]


def _pdf(name: str) -> ContentFile:
    return ContentFile(b"%PDF-1.4\n" + name.encode() + b"\n%%EOF\n", name=name)


def quote_world(seller, client) -> dict:
    """A draft with an attachment, a sent quote with its specification, and a quote accepted
    by post (its order and its scanned evidence)."""
    fields = QUOTE_FIELDS | {"valid_until": timezone.localdate() + timedelta(days=30)}

    def draft():
        return quote_services.create_quote(
            seller=seller, client=client, fields=fields, lines=QUOTE_LINES, by=None
        )

    draft_quote = draft()
    draft_attachment = quote_services.add_attachment(
        quote=draft_quote, kind="mockup", file=_pdf("maquette.pdf"), by=None
    )
    quote = draft()
    attachment = quote_services.add_attachment(
        quote=quote, kind="specification", file=_pdf("cahier.pdf"), by=None
    )
    quote = quote_services.send_quote(quote=quote, by=None)
    accepted = quote_services.send_quote(quote=draft(), by=None)
    result = quote_services.record_postal_acceptance(
        quote=accepted,
        scan=_pdf("bon-pour-accord.pdf"),
        signatory_name="Jean Dupont",
        signatory_role="Gérant",
        signed_on=timezone.localdate(),
        shows_bon_pour_accord=True,
        shows_signature=True,
        shows_date=True,
        shows_stamp=True,
        by=None,
    )
    return {
        "draft_quote": draft_quote,
        "draft_attachment": draft_attachment,
        "quote": quote,
        "attachment": attachment,
        "accepted_quote": result.quote,
        "order": result.order,
    }


@pytest.fixture
def own():
    return world("own")


@pytest.fixture
def other():
    return world("other")


def url_names(namespace: str) -> set[str]:
    resolver = get_resolver()
    _prefix, sub = resolver.namespace_dict[namespace]
    return {name for name in sub.reverse_dict if isinstance(name, str)}


def backoffice_url(name: str, w: dict, slug: str | None = None) -> str:
    kwargs = BACKOFFICE[name][1](w)
    return reverse(f"backoffice:{name}", kwargs={"slug": slug or w["seller"].slug, **kwargs})


def test_every_url_is_in_the_matrix():
    assert url_names("backoffice") == set(BACKOFFICE) | BACKOFFICE_UNSCOPED
    assert url_names("portal") == set(PORTAL)


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("name", sorted(BACKOFFICE))
def test_backoffice_by_role_on_own_seller(client, own, role, name):
    method, _kwargs, permission = BACKOFFICE[name]
    client.force_login(make_staff(own["seller"], role))
    status = getattr(client, method)(backoffice_url(name, own)).status_code
    if role_can(role, permission):
        assert status not in (403, 404), f"{role} refused {name}"
    else:
        assert status == 403, f"{role} reached {name} ({status})"


@pytest.mark.parametrize("name", sorted(BACKOFFICE))
def test_backoffice_objects_of_another_seller_are_404(client, own, other, name):
    method = BACKOFFICE[name][0]
    client.force_login(make_staff(own["seller"], Role.OWNER))
    # Another seller's slug, and another seller's objects under one's own slug.
    assert getattr(client, method)(backoffice_url(name, other)).status_code == 404
    if names_an_object(BACKOFFICE[name][1]):
        under_own_slug = backoffice_url(name, other, slug=own["seller"].slug)
        assert getattr(client, method)(under_own_slug).status_code == 404


def test_seller_switcher_lists_only_the_users_sellers(client, own, other):
    client.force_login(make_staff(own["seller"], Role.ACCOUNTANT))
    response = client.get(reverse("backoffice:index"), follow=True)
    assert response.status_code == 200
    assert other["seller"].legal_name not in response.content.decode()


@pytest.mark.parametrize("role", Role.values)
def test_the_platform_screens_are_for_superusers_only(client, own, role):
    url = reverse("backoffice:legal_rates")
    client.force_login(make_staff(own["seller"], role))
    assert client.get(url).status_code == 403
    assert client.post(url, {"period": "2026-S2"}).status_code == 403
    client.force_login(make_user(f"admin-{role}", is_staff=True, is_superuser=True))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", sorted(PORTAL))
def test_portal_pages_reach_the_contacts_own_client(client, own, name):
    method, kwargs = PORTAL[name]
    client.force_login(own[PORTAL_CONTACT.get(name, "portal_contact")].user)
    status = getattr(client, method)(reverse(f"portal:{name}", kwargs=kwargs(own))).status_code
    assert status not in (403, 404)


@pytest.mark.parametrize("name", sorted(PORTAL))
def test_portal_is_404_for_staff(client, own, name):
    method, kwargs = PORTAL[name]
    client.force_login(make_staff(own["seller"], Role.OWNER))
    status = getattr(client, method)(reverse(f"portal:{name}", kwargs=kwargs(own))).status_code
    assert status == 404


def names_an_object(kwargs_builder) -> bool:
    return bool(kwargs_builder(defaultdict(lambda: SimpleNamespace(pk=1))))


@pytest.mark.parametrize("name", [n for n, (_m, kw) in PORTAL.items() if names_an_object(kw)])
def test_portal_objects_of_another_seller_are_404(client, own, other, name):
    method, kwargs = PORTAL[name]
    client.force_login(own[PORTAL_CONTACT.get(name, "portal_contact")].user)
    status = getattr(client, method)(reverse(f"portal:{name}", kwargs=kwargs(other))).status_code
    assert status == 404


# --- confidential documents (seed 002 art. 9) -----------------------------------------------

CONFIDENTIAL_PAGES = {
    "quote": lambda w: ("quote", {"quote_id": w["quote"].pk}),
    "quote_pdf": lambda w: ("quote", {"quote_id": w["quote"].pk}),
    "quote_attachment": lambda w: (
        "quote",
        {"quote_id": w["quote"].pk, "attachment_id": w["attachment"].pk},
    ),
    "contract": lambda w: ("contract", {"contract_id": w["contract"].pk}),
}


def make_confidential(w: dict, named) -> None:
    from clausier.contracts import services as contract_services

    boss = make_staff(w["seller"], Role.OWNER)
    quote_services.set_confidentiality(
        quote=w["quote"], confidential=True, staff_ids=[named.pk], by=boss
    )
    contract_services.set_confidentiality(
        contract=w["contract"], confidential=True, staff_ids=[named.pk], by=boss
    )


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("name", sorted(CONFIDENTIAL_PAGES))
def test_a_confidential_document_by_role(client, own, other, role, name):
    """Named staff 200 whatever their role may read; the owner 200; anyone else 403 (or the
    role's own 403); another seller's, 404."""
    named = make_staff(own["seller"], Role.ACCOUNTANT)
    make_confidential(own, named)
    _noun, kwargs = CONFIDENTIAL_PAGES[name](own)
    url = reverse(f"backoffice:{name}", kwargs={"slug": own["seller"].slug, **kwargs})
    client.force_login(named)
    assert client.get(url).status_code == 200
    client.force_login(make_staff(own["seller"], role))
    expected = 200 if role == Role.OWNER else 403
    assert client.get(url).status_code == expected
    other_url = reverse(
        f"backoffice:{name}",
        kwargs={"slug": own["seller"].slug, **CONFIDENTIAL_PAGES[name](other)[1]},
    )
    assert client.get(other_url).status_code == 404


@pytest.mark.parametrize("name", ["quotes", "contracts"])
def test_a_confidential_document_is_absent_from_the_lists_of_others(client, own, name):
    named = make_staff(own["seller"], Role.SALES)
    make_confidential(own, named)
    url = reverse(f"backoffice:{name}", kwargs={"slug": own["seller"].slug})
    marks = {"quotes": own["quote"].display_number, "contracts": own["contract"].reference}
    client.force_login(named)
    assert marks[name] in client.get(url).content.decode()
    client.force_login(make_staff(own["seller"], Role.SALES))
    assert marks[name] not in client.get(url).content.decode()
