"""Online orders confirmed (the recap frozen, the terms accepted) and validated."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clausier.audit.services import record_event
from clausier.audit.triggers import Trigger
from clausier.customers import selectors as customer_selectors
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict
from clausier.kernel.events import publish
from clausier.orders import domain
from clausier.orders import transitions as t
from clausier.orders.events import OrderConfirmedOnline
from clausier.orders.models import Order, OrderStatus
from clausier.orders.services.online import (
    FLOW_CLAUSE,
    FROZEN_CLAUSE_KINDS,
    PAYMENT_CLAUSE,
    frozen_clause,
    require_online,
    totals_summary,
)
from clausier.orders.services.support import locked_order
from clausier.rules.wording import words
from clausier.terms import selectors as terms_selectors
from clausier.terms.domain import clause_snapshot
from clausier.terms.models import TermsVersion
from clausier.terms.schemas import parse_parameters


def _announce_terms_accepted(
    *, order: Order, version: TermsVersion, by, now: datetime, ip_address, user_agent: str
) -> None:
    """Art. 11: by confirming online, the client's contact accepts the terms of the order
    (the terms domain records it, once per client and version). Staff confirming for a
    client leave no such evidence (it is the client's act)."""
    if not getattr(by, "is_authenticated", False):
        return
    contact = getattr(by, "client_contact", None)
    if contact is None or contact.client_id != order.client_id:
        return
    publish(
        OrderConfirmedOnline(
            order_id=order.pk,
            client_id=order.client_id,
            version_id=version.pk,
            contact_name=contact.name,
            at=now,
            by=by,
            ip_address=ip_address,
            user_agent=user_agent,
        )
    )


def _validate(*, order: Order, by, now: datetime, automatic: bool) -> Order:
    t.check(label=str(order), current=order.status, target=t.AWAITING_PAYMENT)
    flow = frozen_clause(order=order, kind=FLOW_CLAUSE) or {}
    order.status = OrderStatus.AWAITING_PAYMENT
    order.concluded_at = now
    order.save(update_fields=["status", "concluded_at"])
    source = words(
        "{article} CGV {terms}", article=flow.get("article", ""), terms=order.terms_label
    )
    record_event(
        actor=by,
        seller=order.seller,
        obj=order,
        verb="order.validated",
        before={"status": t.CONFIRMED},
        after={
            "status": order.status,
            "concluded_at": now.isoformat(),
            "automatic": automatic,
            "clause": flow.get("clause", ""),
        },
        note=words(
            "{source} : validation automatique de la commande confirmée", source=source
        ).as_dict()
        if automatic
        else "",
        trigger=Trigger.ORDER_CONFIRMED if automatic else None,
    )
    return order


@transaction.atomic
def confirm_order(
    *,
    order: Order,
    by: Actor,
    now: datetime | None = None,
    express_start: bool = False,
    express_start_text: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
) -> Order:
    """The client confirms its recap: the order is frozen (the clauses it runs by are
    copied into it) and, when the terms say so (``order.flow``, ``auto_validate``; seed 000
    art. 4: "celle-ci est validée automatiquement"), validated in the same transaction: it
    then awaits payment, and ``concluded_at`` records the conclusion of the contract, from
    which a consumer's withdrawal period runs.

    A consumer may expressly ask the service to start before the withdrawal period ends
    (``express_start``, C. conso. L221-25); ``express_start_text`` is the text it accepted,
    kept as evidence (see :data:`clausier.orders.domain.EXPRESS_START`). When ``by`` is the
    client's portal contact, its acceptance of the terms (art. 11) is recorded too, with
    ``ip_address`` and ``user_agent``.

    Refused when the recap names terms the seller no longer offers (update the recap first).
    """
    now = aware_now(now)
    order = locked_order(order=order)
    require_online(order=order)
    t.check(label=str(order), current=order.status, target=t.CONFIRMED)
    suspended = customer_selectors.suspension_refusal(client=order.client)
    if suspended:
        raise Conflict(suspended)
    version = order.terms_version
    offered = terms_selectors.current_version(seller=order.seller)
    if offered is None or offered.pk != version.pk:
        raise Conflict(
            _(
                "Le récapitulatif de %(order)s cite les CGV %(terms)s, que %(seller)s ne propose "
                "plus : mettez le récapitulatif à jour pour relire les CGV en vigueur avant de "
                "confirmer."
            )
            % {"order": order, "terms": version.label, "seller": order.seller}
        )
    text = (express_start_text or "").strip()
    if express_start:
        if order.client.is_professional:
            raise ValidationError(
                {
                    "express_start": _(
                        "le délai de rétractation est un droit du consommateur : un client "
                        "professionnel n'a pas à y renoncer (C. conso. L221-18)"
                    )
                }
            )
        if not text:
            raise ValidationError(
                {
                    "express_start_text": _(
                        "joignez le texte que le consommateur a accepté en demandant "
                        "l'exécution anticipée (%(law)s)"
                    )
                    % {"law": domain.EXPRESS_START.source}
                }
            )
    clauses = {
        clause.clause_id: clause_snapshot(clause=clause, version=version)
        for clause in version.clauses.filter(kind__in=FROZEN_CLAUSE_KINDS).order_by(
            "position", "id"
        )
    }
    order.status = OrderStatus.CONFIRMED
    order.confirmed_at = now
    order.clauses = clauses
    order.payment_terms = frozen_clause(order=order, kind=PAYMENT_CLAUSE) or {}
    order.express_start = bool(express_start)
    order.express_start_text = text if express_start else ""
    order.express_start_at = now if express_start else None
    order.save(
        update_fields=[
            "status",
            "confirmed_at",
            "clauses",
            "payment_terms",
            "express_start",
            "express_start_text",
            "express_start_at",
        ]
    )
    after: dict[str, Any] = {
        "status": order.status,
        "confirmed_at": now.isoformat(),
        "terms": order.terms_label,
        "clauses": sorted(clauses),
        **totals_summary(order=order),
    }
    if express_start:
        after |= {
            "express_start": True,
            "express_start_text": text,
            "law": domain.EXPRESS_START.source,
        }
    record_event(
        actor=by,
        seller=order.seller,
        obj=order,
        verb="order.confirmed",
        before={"status": t.DRAFT},
        after=after,
    )
    _announce_terms_accepted(
        order=order,
        version=version,
        by=by,
        now=now,
        ip_address=ip_address,
        user_agent=user_agent,
    )
    flow = frozen_clause(order=order, kind=FLOW_CLAUSE)
    if flow and parse_parameters(flow["kind"], flow["parameters"]).auto_validate:
        _validate(order=order, by=None, now=now, automatic=True)
    return order


@transaction.atomic
def validate_order(*, order: Order, by: Actor, now: datetime | None = None) -> Order:
    """Staff validate a confirmed order, for terms that do not validate automatically."""
    now = aware_now(now)
    order = locked_order(order=order)
    require_online(order=order)
    return _validate(order=order, by=by, now=now, automatic=False)
