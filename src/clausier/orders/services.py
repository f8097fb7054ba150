"""Writes on orders.

Agency flow (seed 002): created from an accepted quote, deposit cashed, work started.
Online flow (seed 000, art. 4-8): :func:`create_online_order` edits the recap
(:func:`update_recap`), :func:`confirm_order` freezes it and validates it automatically,
:func:`record_payment` / :func:`record_payment_failure` are the payment provider's hooks, and
:func:`activate_service` starts the service and tells the PaaS runtime by a signed webhook.
Both: :func:`cancel_order`.

Each write is one transaction that locks the order, checks ``orders.transitions`` and records
an audit event; a refused write raises before anything is written. Services take ``now`` (an
aware datetime, default the current time) so tests need no frozen clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, record_event
from clausier.catalog import pricing
from clausier.catalog import selectors as catalog_selectors
from clausier.customers.models import Client
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict, DomainError
from clausier.kernel.events import publish
from clausier.kernel.inputs import exact_decimal
from clausier.numbering.services import next_number
from clausier.orders import domain
from clausier.orders import transitions as t
from clausier.orders.events import (
    DepositCashed,
    DepositRequested,
    OrderCancelled,
    OrderPaid,
    ServiceActivated,
)
from clausier.orders.models import DepositRequest, Order, OrderLine, OrderStatus
from clausier.quotes.models import Quote, QuoteStatus
from clausier.rules.calendar import FrenchCalendar
from clausier.rules.consumer import earliest_start
from clausier.rules.errors import RuleError
from clausier.rules.money import Line, document_totals, format_eur
from clausier.terms import selectors as terms_selectors
from clausier.terms import services as terms_services
from clausier.terms.domain import clause_snapshot
from clausier.terms.models import Acceptance, AcceptanceMethod, TermsVersion
from clausier.terms.schemas import ClauseKind, parse_parameters


class WorkCannotStart(DomainError):
    """Work on an order waits for something the terms require first (the deposit)."""


class OrderFrozen(Conflict):
    """A confirmed online order never changes (art. 4: the client corrects the recap, then
    confirms it)."""


def _locked(order: Order) -> Order:
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("seller", "client", "terms_version")
        .get(pk=order.pk)
    )


def _locked_deposit(order: Order) -> DepositRequest | None:
    return DepositRequest.objects.select_for_update().filter(order=order).first()


def _deposit_facts(deposit: DepositRequest | None) -> domain.DepositFacts | None:
    if deposit is None:
        return None
    return domain.DepositFacts(
        status=deposit.status,
        rate=deposit.rate,
        base_ht=deposit.base_ht,
        amount=deposit.amount,
        clause_id=deposit.clause_id,
        article=deposit.article,
        terms_label=deposit.terms_label,
        work_starts_after=deposit.work_starts_after,
        cashed_on=deposit.cashed_on,
    )


@transaction.atomic
def create_order_from_quote(*, quote: Quote, accepted_at: datetime, by) -> Order:
    """The order an accepted quote becomes: its lines, totals and terms copied as accepted;
    ``awaiting_deposit`` with a :class:`DepositRequest` when the quote asks for a deposit
    (art. 5 of the agency's terms: work starts once it is cashed), ``ready`` otherwise.

    Called by the quote acceptance services, inside their transaction.
    """
    quote = (
        Quote.objects.select_for_update(of=("self",))
        .select_related("seller", "client")
        .get(pk=quote.pk)
    )
    if quote.status != QuoteStatus.ACCEPTED:
        raise Conflict(
            _("%(quote)s n'est pas accepté : il ne peut pas devenir une commande.")
            % {"quote": quote}
        )
    if Order.objects.filter(quote=quote).exists():
        raise Conflict(_("%(quote)s est déjà devenu une commande.") % {"quote": quote})
    status = OrderStatus.AWAITING_DEPOSIT if quote.requires_deposit else OrderStatus.READY
    order = Order(
        seller=quote.seller,
        client=quote.client,
        quote=quote,
        reference=quote.display_number,
        status=status,
        nature=quote.nature,
        terms_version_id=quote.terms_version_id,
        terms_label=quote.terms_label,
        payment_terms=quote.payment_terms,
        vat_regime=quote.vat_regime,
        vat_mention=quote.vat_mention,
        total_ht=quote.total_ht,
        total_vat=quote.total_vat,
        total_ttc=quote.total_ttc,
        totals_explanation=quote.totals_explanation,
        ordered_at=accepted_at,
        created_by=acting_user(by),
    )
    order.full_clean()
    order.save()
    OrderLine.objects.bulk_create(
        OrderLine(order=order, amount_ht=line.amount_ht, **line.agreed_values())
        for line in quote.lines.order_by("position", "id")
    )
    after: dict = {
        "reference": order.reference,
        "status": order.status,
        "total_ht": str(order.total_ht),
        "terms": order.terms_label,
    }
    if quote.requires_deposit:
        terms = quote.deposit_terms
        deposit = DepositRequest(
            order=order,
            rate=quote.deposit_rate,
            base_ht=quote.total_ht,
            amount=quote.deposit_amount,
            clause_id=terms["clause"],
            article=terms.get("article", ""),
            terms_label=terms.get("terms", quote.terms_label),
            work_starts_after=terms.get("parameters", {}).get(
                "work_starts_after", "deposit_cashed"
            ),
            explanation=terms.get("explanation", {}),
        )
        deposit.full_clean()
        deposit.save()
        after["deposit"] = {"amount": str(deposit.amount), "rate": str(deposit.rate)}
    record_event(actor=by, seller=order.seller, obj=order, verb="order.created", after=after)
    if quote.requires_deposit:
        # Art. 5 of the agency's terms: the deposit asked at acceptance is invoiced at once;
        # an invoice that must wait (a mention missing) stays a draft, the acceptance holds.
        publish(
            DepositRequested(
                order_id=order.pk,
                deposit_request_id=deposit.pk,
                seller_id=order.seller_id,
                at=accepted_at,
                by=by,
            )
        )
    return order


@transaction.atomic
def mark_deposit_invoiced(
    *, deposit_request_id: int, invoice_number: str, by, now: datetime | None = None
) -> DepositRequest:
    """The deposit invoice ``invoice_number`` of a deposit request was issued: ``requested``
    moves to ``invoiced``. A request already cashed (or cancelled) keeps its state: the
    invoice documents it."""
    now = aware_now(now)
    deposit = (
        DepositRequest.objects.select_for_update(of=("self",))
        .select_related("order__seller")
        .get(pk=deposit_request_id)
    )
    if deposit.status != t.REQUESTED:
        return deposit
    label = _("Acompte de la commande %(reference)s") % {"reference": deposit.order.reference}
    t.check_deposit(label=label, current=deposit.status, target=t.INVOICED)
    deposit.status = t.INVOICED
    deposit.save(update_fields=["status"])
    record_event(
        actor=by,
        seller=deposit.order.seller,
        obj=deposit.order,
        verb="order.deposit_invoiced",
        before={"deposit": t.REQUESTED},
        after={"deposit": deposit.status, "invoice": invoice_number, "at": now.isoformat()},
    )
    return deposit


@transaction.atomic
def record_deposit_cashed(
    *, order: Order, cashed_on: date, by, now: datetime | None = None
) -> Order:
    """The deposit of ``order`` was cashed on ``cashed_on``: the order is ready to start."""
    now = aware_now(now)
    order = _locked(order)
    deposit = _locked_deposit(order)
    if deposit is None:
        raise Conflict(_("%(order)s ne demande pas d'acompte.") % {"order": order})
    label = _("Acompte de la commande %(reference)s") % {"reference": order.reference}
    t.check_deposit(label=label, current=deposit.status, target=t.CASHED)
    if order.status == OrderStatus.AWAITING_DEPOSIT:
        t.check(label=str(order), current=order.status, target=t.READY)
    today = timezone.localdate(now)
    if cashed_on > today:
        raise ValidationError(
            {
                "cashed_on": _("l'encaissement ne peut pas être daté d'après le %(date)s")
                % {"date": f"{today:%d/%m/%Y}"}
            }
        )
    before = {"status": order.status, "deposit": deposit.status}
    deposit.status = t.CASHED
    deposit.cashed_on = cashed_on
    deposit.save(update_fields=["status", "cashed_on"])
    if order.status == OrderStatus.AWAITING_DEPOSIT:
        order.status = OrderStatus.READY
        order.save(update_fields=["status"])
    # The deposit invoice issued for it is paid by the same money.
    publish(
        DepositCashed(
            order_id=order.pk,
            deposit_request_id=deposit.pk,
            seller_id=order.seller_id,
            cashed_on=cashed_on,
            at=now,
            by=by,
        )
    )
    record_event(
        actor=by,
        seller=order.seller,
        obj=order,
        verb="order.deposit_cashed",
        before=before,
        after={
            "status": order.status,
            "deposit": deposit.status,
            "cashed_on": cashed_on.isoformat(),
            "amount": str(deposit.amount),
        },
    )
    return order


@transaction.atomic
def start_work(*, order: Order, by, now: datetime | None = None) -> Order:
    """Work starts on ``order``; refused while the deposit the terms require is not cashed."""
    now = aware_now(now)
    order = _locked(order)
    deposit = _locked_deposit(order)
    refusal = domain.work_start_refusal(status=order.status, deposit=_deposit_facts(deposit))
    if refusal:
        raise WorkCannotStart(refusal)
    t.check(label=str(order), current=order.status, target=t.IN_PROGRESS)
    order.status = OrderStatus.IN_PROGRESS
    order.started_at = now
    order.save(update_fields=["status", "started_at"])
    record_event(
        actor=by,
        seller=order.seller,
        obj=order,
        verb="order.work_started",
        before={"status": t.READY},
        after={"status": order.status, "started_at": now.isoformat()},
    )
    return order


def _announce_cancelled(order: Order, *, by, now: datetime) -> None:
    """An issued invoice is never deleted (BOFiP TVA-DECLA-30-20-20): cancelling its order
    credits what remains of each one by a credit note (invoicing answers the fact in this
    transaction). If one cannot be issued, the cancellation is refused with that reason and
    nothing is written."""
    publish(
        OrderCancelled(
            order_id=order.pk,
            seller_id=order.seller_id,
            reference=order.reference,
            reason=order.cancellation_reason,
            at=now,
            by=by,
        )
    )


@transaction.atomic
def cancel_order(*, order: Order, reason: str, by, now: datetime | None = None) -> Order:
    """Cancel ``order`` with a reason; a deposit not yet cashed is cancelled with it."""
    now = aware_now(now)
    order = _locked(order)
    if not reason.strip():
        raise ValidationError({"reason": _("indiquez le motif de l'annulation")})
    before = {"status": order.status}
    t.check(label=str(order), current=order.status, target=t.CANCELLED)
    deposit = _locked_deposit(order)
    if deposit is not None and deposit.status in {t.REQUESTED, t.INVOICED}:
        deposit.status = t.DEPOSIT_CANCELLED
        deposit.save(update_fields=["status"])
    order.status = OrderStatus.CANCELLED
    order.closed_at = now
    order.cancellation_reason = reason.strip()
    order.save(update_fields=["status", "closed_at", "cancellation_reason"])
    _announce_cancelled(order, by=by, now=now)
    record_event(
        actor=by,
        seller=order.seller,
        obj=order,
        verb="order.cancelled",
        before=before,
        after={"status": order.status, "reason": order.cancellation_reason},
    )
    return order


# --- online orders (seed 000, art. 4-8) ------------------------------------------------------

ONLINE_SERIES = "order"
ONLINE_PREFIX = "C"
LINE_KEYS = frozenset({"product_code", "quantity"})
# What the client declares in the recap and may correct there (art. 4). The client's kind
# (consumer or professional) is not among them: it decides which law applies.
DECLARED_FIELDS = (
    "name",
    "siren",
    "vat_number",
    "email",
    "phone",
    "billing_line1",
    "billing_line2",
    "billing_postal_code",
    "billing_city",
    "billing_country",
)
FLOW_CLAUSE = ClauseKind.ORDER_FLOW
PAYMENT_CLAUSE = ClauseKind.PAYMENT_METHODS
EXECUTION_CLAUSE = ClauseKind.EXECUTION_DEADLINE
# The clauses an online order runs by, copied into it at confirmation.
FROZEN_CLAUSE_KINDS = frozenset(
    {
        ClauseKind.PRICING,
        ClauseKind.VAT_REGIME,
        FLOW_CLAUSE,
        PAYMENT_CLAUSE,
        EXECUTION_CLAUSE,
        ClauseKind.WITHDRAWAL_PERIOD,
        ClauseKind.WITHDRAWAL_REFUND,
    }
)
ACTIVATE_EVENT = "service.activate"


def _require_online(order: Order) -> None:
    if order.quote_id is not None:
        raise Conflict(
            _("%(order)s est issue d'un devis : elle ne suit pas le parcours en ligne.")
            % {"order": order}
        )


def _require_recap(order: Order) -> None:
    _require_online(order)
    if order.status != OrderStatus.DRAFT:
        raise OrderFrozen(
            _(
                "%(order)s est %(status)s : le récapitulatif ne peut plus être modifié, la "
                "confirmation fige la commande (art. 4 des CGV)."
            )
            % {"order": order, "status": order.get_status_display().lower()}
        )


def _frozen_clause(order: Order, kind: str) -> dict[str, Any] | None:
    """The clause of ``kind`` the order was confirmed under."""
    return next((c for c in order.clauses.values() if c.get("kind") == kind), None)


def _offered_version(seller) -> TermsVersion:
    """The seller's published terms, which must provide for online orders (art. 4)."""
    version = terms_selectors.current_version(seller=seller)
    if version is None:
        raise DomainError(
            _(
                "%(seller)s n'a pas de CGV publiées : une commande en ligne se passe aux CGV en "
                "vigueur, publiez-les d'abord."
            )
            % {"seller": seller}
        )
    if terms_selectors.clause_of_kind(version=version, kind=FLOW_CLAUSE) is None:
        raise DomainError(
            _(
                "Les CGV %(terms)s de %(seller)s ne prévoient pas de commande en ligne "
                "(clause %(clause)s)."
            )
            % {"terms": version.label, "seller": seller, "clause": FLOW_CLAUSE}
        )
    return version


def _wanted_line(position: int, item: Any, errors: dict[str, str]) -> pricing.Wanted | None:
    """One line of the recap as the client asked for it: product code and quantity."""
    key = f"lines[{position}]"
    if not isinstance(item, dict):
        errors[key] = _("une ligne est {product_code, quantity}")
        return None
    pricing.refuse_unknown_fields(item, allowed=LINE_KEYS, key=key, errors=errors)
    code = item.get("product_code")
    if not isinstance(code, str) or not code.strip():
        errors[f"{key}.product_code"] = _("indiquez le code du produit")
        code = ""
    quantity = pricing.read_quantity(item, key=key, errors=errors)
    return pricing.Wanted(position=position, code=code.strip(), quantity=quantity)


def _price_lines(*, seller, lines: Any, on: date) -> tuple[list[OrderLine], Any]:
    """Unsaved lines priced from the catalog on ``on`` (``catalog.pricing``, active products
    only), and their totals (rules.money).

    Every problem is collected into one ValidationError keyed ``lines[i].product_code`` /
    ``lines[i].quantity`` (or ``lines``)."""
    if not isinstance(lines, list) or not lines:
        raise ValidationError({"lines": _("une commande compte au moins une ligne")})
    errors: dict[str, str] = {}
    read = [_wanted_line(position, item, errors) for position, item in enumerate(lines)]
    wanted = [line for line in read if line is not None and line.code]
    priced = pricing.price_lines(
        wanted,
        products=catalog_selectors.products_by_code(
            seller=seller, codes=[line.code for line in wanted], active_only=True
        ),
        on=on,
        unknown_product=lambda code: (
            _("aucun produit « %(code)s » au catalogue de %(seller)s")
            % {"code": code, "seller": seller}
        ),
        errors=errors,
    )
    built: list[OrderLine] = []
    for line in priced:
        if line.quantity is None:
            continue
        price = line.price
        order_line = OrderLine(
            position=line.position,
            product_code=price.product_code,
            description=price.label,
            quantity=line.quantity,
            unit=price.unit,
            unit_label=price.unit_label,
            unit_price=price.unit_price_ht,
            unit_price_ttc=price.unit_price_ttc,
            vat_rate=price.vat_rate,
            discount=Decimal(0),
            amount_ht=Decimal(0),
            price_version_id=price.price_version_id,
        )
        if pricing.model_errors(
            order_line, key=line.key, exclude=["order", "amount_ht", "price_version"], errors=errors
        ):
            built.append(order_line)
    if errors:
        raise ValidationError(errors)
    try:
        totals = document_totals(
            lines=[
                Line(
                    description=line.description,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    vat_rate=line.vat_rate,
                )
                for line in built
            ],
            regime=seller.vat_regime,
        )
    except RuleError as exc:
        raise ValidationError({"lines": str(exc)}) from None
    for line, amount in zip(built, totals.value.lines, strict=True):
        line.amount_ht = amount
    return built, totals


def _declared_from_client(client: Client) -> dict[str, str]:
    return {"kind": client.kind} | {
        name: str(getattr(client, name) or "") for name in DECLARED_FIELDS
    }


def _checked_declared(current: dict[str, str], changes: Any, client: Client) -> dict[str, str]:
    """``current`` with ``changes`` applied, checked as the client record checks them;
    ValidationError keyed ``declared.<field>``."""
    if not isinstance(changes, dict):
        raise ValidationError({"declared": _("données déclarées attendues sous forme d'objet")})
    errors: dict[str, str] = {}
    for name in sorted(set(changes) - set(DECLARED_FIELDS)):
        errors[f"declared.{name}"] = _("champ inconnu ou non modifiable")
    merged = dict(current)
    for name in DECLARED_FIELDS:
        if name not in changes:
            continue
        value = changes[name]
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors[f"declared.{name}"] = _("texte attendu")
            continue
        merged[name] = value.strip()
    probe = Client(seller_id=client.seller_id, kind=client.kind)
    for name in DECLARED_FIELDS:
        setattr(probe, name, merged.get(name, ""))
    try:
        probe.clean_fields(
            exclude=[f.name for f in Client._meta.fields if f.name not in DECLARED_FIELDS]
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(f"declared.{name}", " ".join(messages))
    if errors:
        raise ValidationError(errors)
    return merged


def _line_summary(line: OrderLine) -> dict[str, str]:
    return {
        "product_code": line.product_code,
        "quantity": str(line.quantity),
        "unit_price": str(line.unit_price),
        "vat_rate": str(line.vat_rate),
        "amount_ht": str(line.amount_ht),
        "price_version": str(line.price_version_id),
    }


def _line_key(line: OrderLine) -> tuple:
    # Decimals compare by value: 720 from the client equals 720.000 read back.
    return (
        line.product_code,
        line.quantity,
        line.unit_price,
        line.vat_rate,
        line.amount_ht,
        line.price_version_id,
    )


def _totals_summary(order: Order) -> dict[str, str]:
    return {
        "total_ht": str(order.total_ht),
        "total_vat": str(order.total_vat),
        "total_ttc": str(order.total_ttc),
    }


def _set_totals(order: Order, totals) -> None:
    figures = totals.value
    order.total_ht = figures.total_ht
    order.total_vat = figures.total_vat
    order.total_ttc = figures.total_ttc
    order.vat_mention = figures.mention
    order.totals_explanation = totals.as_dict()


def _nature(lines: list[OrderLine]) -> str:
    return "; ".join(dict.fromkeys(line.description for line in lines))


@transaction.atomic
def create_online_order(
    *,
    seller,
    client: Client,
    lines: list[dict[str, Any]],
    by,
    now: datetime | None = None,
) -> Order:
    """The recap of an online order (art. 4: "un récapitulatif de la commande est édité
    automatiquement"): ``draft``, each line priced from the catalog on the day (product code,
    label, unit, unit price HT and TTC, VAT rate, price version), totals HT / VAT / TTC by
    ``rules.money``, the client's declared data copied from its record, and the seller's
    published terms named. ``lines``: ``[{"product_code": "instance-app", "quantity": "720"}]``
    (quantities as Decimals, ints or decimal strings).
    """
    now = aware_now(now)
    if client.seller_id != seller.pk:
        raise ValidationError({"client": _("ce client appartient à un autre vendeur")})
    version = _offered_version(seller)
    on = timezone.localdate(now)
    built, totals = _price_lines(seller=seller, lines=lines, on=on)
    number = next_number(seller=seller, series=ONLINE_SERIES, year=on.year, prefix=ONLINE_PREFIX)
    order = Order(
        seller=seller,
        client=client,
        reference=number.label,
        status=OrderStatus.DRAFT,
        nature=_nature(built),
        terms_version=version,
        terms_label=version.label,
        terms_sha256=version.text_sha256,
        vat_regime=seller.vat_regime,
        declared=_declared_from_client(client),
        ordered_at=now,
        created_by=acting_user(by),
    )
    _set_totals(order, totals)
    order.full_clean()
    order.save()
    for line in built:
        line.order = order
    OrderLine.objects.bulk_create(built)
    record_event(
        actor=by,
        seller=seller,
        obj=order,
        verb="order.created",
        after={
            "reference": order.reference,
            "status": order.status,
            "flow": "online",
            "terms": order.terms_label,
            "lines": [_line_summary(line) for line in built],
            **_totals_summary(order),
            "declared": order.declared,
        },
    )
    return order


@transaction.atomic
def update_recap(
    *,
    order: Order,
    lines: list[dict[str, Any]] | None = None,
    declared: dict[str, Any] | None = None,
    by,
    now: datetime | None = None,
) -> Order:
    """The client corrects its recap while it is a ``draft`` (art. 4: "afin que le client
    vérifie la véracité et l'exactitude des données déclarées et les modifie"): ``lines``
    replaces every line, priced again on the day; ``declared`` changes some of the
    :data:`DECLARED_FIELDS` (on the order only: the client record is the customers app's).
    The recap also takes the seller's terms if a newer version was published meanwhile.

    A confirmed order is frozen (:class:`OrderFrozen`). Invalid input raises one
    ValidationError naming every field at fault, and nothing is written.
    """
    now = aware_now(now)
    order = _locked(order)
    _require_recap(order)
    errors: dict[str, list[str]] = {}
    built = totals = None
    new_declared = None
    if lines is not None:
        try:
            built, totals = _price_lines(
                seller=order.seller, lines=lines, on=timezone.localdate(now)
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if declared is not None:
        try:
            new_declared = _checked_declared(order.declared, declared, order.client)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    version = _offered_version(order.seller)

    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    fields: list[str] = []
    if built is not None:
        old_lines = list(order.lines.order_by("position", "id"))
        if [_line_key(line) for line in old_lines] != [_line_key(line) for line in built]:
            old = [_line_summary(line) for line in old_lines]
            new = [_line_summary(line) for line in built]
            before |= {"lines": old, **_totals_summary(order)}
            _set_totals(order, totals)
            order.nature = _nature(built)
            after |= {"lines": new, **_totals_summary(order)}
            fields += [
                "total_ht",
                "total_vat",
                "total_ttc",
                "vat_mention",
                "totals_explanation",
                "nature",
            ]
            order.lines.all().delete()
            for line in built:
                line.order = order
            OrderLine.objects.bulk_create(built)
    if new_declared is not None and new_declared != order.declared:
        changed = [k for k in DECLARED_FIELDS if new_declared.get(k) != order.declared.get(k)]
        before["declared"] = {k: order.declared.get(k, "") for k in changed}
        after["declared"] = {k: new_declared[k] for k in changed}
        order.declared = new_declared
        fields.append("declared")
    if version.pk != order.terms_version_id:
        before["terms"], after["terms"] = order.terms_label, version.label
        order.terms_version = version
        order.terms_label = version.label
        order.terms_sha256 = version.text_sha256
        fields += ["terms_version", "terms_label", "terms_sha256"]
    if not fields:
        return order
    order.save(update_fields=fields)
    record_event(
        actor=by,
        seller=order.seller,
        obj=order,
        verb="order.recap_updated",
        before=before,
        after=after,
    )
    return order


def _record_terms_acceptance(
    *, order: Order, version: TermsVersion, by, now: datetime, ip_address, user_agent: str
) -> None:
    """Art. 11: by confirming online, the client's contact accepts the terms of the order;
    recorded as acceptance evidence once per client and version. Staff confirming for a
    client leave no such evidence (it is the client's act)."""
    if not getattr(by, "is_authenticated", False):
        return
    contact = getattr(by, "client_contact", None)
    if contact is None or contact.client_id != order.client_id:
        return
    if Acceptance.objects.filter(client=order.client, version=version).exists():
        return
    terms_services.record_acceptance(
        client=order.client,
        version=version,
        method=AcceptanceMethod.CHECKBOX,
        accepted_by_name=contact.name,
        by=by,
        accepted_by=by,
        accepted_at=now,
        ip_address=ip_address,
        user_agent=user_agent,
    )


def _validate(*, order: Order, by, now: datetime, automatic: bool) -> Order:
    t.check(label=str(order), current=order.status, target=t.AWAITING_PAYMENT)
    flow = _frozen_clause(order, FLOW_CLAUSE) or {}
    order.status = OrderStatus.AWAITING_PAYMENT
    order.concluded_at = now
    order.save(update_fields=["status", "concluded_at"])
    source = f"{flow.get('article', '')} CGV {order.terms_label}".strip()
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
        note=f"{source} : validation automatique de la commande confirmée" if automatic else "",
    )
    return order


@transaction.atomic
def confirm_order(
    *,
    order: Order,
    by,
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
    order = _locked(order)
    _require_online(order)
    t.check(label=str(order), current=order.status, target=t.CONFIRMED)
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
    order.payment_terms = _frozen_clause(order, PAYMENT_CLAUSE) or {}
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
        **_totals_summary(order),
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
    _record_terms_acceptance(
        order=order,
        version=version,
        by=by,
        now=now,
        ip_address=ip_address,
        user_agent=user_agent,
    )
    flow = _frozen_clause(order, FLOW_CLAUSE)
    if flow and parse_parameters(flow["kind"], flow["parameters"]).auto_validate:
        _validate(order=order, by=None, now=now, automatic=True)
    return order


@transaction.atomic
def validate_order(*, order: Order, by, now: datetime | None = None) -> Order:
    """Staff validate a confirmed order, for terms that do not validate automatically."""
    now = aware_now(now)
    order = _locked(order)
    _require_online(order)
    return _validate(order=order, by=by, now=now, automatic=False)


def _amount(value: Any) -> Decimal:
    return exact_decimal(value, what=_("montant"))


@transaction.atomic
def record_payment(
    *,
    order: Order,
    received_at: datetime,
    provider: str,
    reference: str,
    amount: Any,
    by,
    now: datetime | None = None,
) -> Order:
    """The payment of ``order`` was received (the card or PayPal provider's hook, art. 5):
    the order is ``paid`` and its execution deadline computed from the frozen clause
    ``execution.deadline`` by the rules core (art. 8: "au plus tard dans les 7 jours ouvrés
    suivant la réception de ce paiement"), stored with its explanation.

    ``amount`` must be the order's total TTC (ValidationError naming ``amount``). Idempotent:
    the same payment (provider and reference) recorded again changes nothing; the same
    reference with other values, or a payment for a cancelled order, is a Conflict.
    """
    now = aware_now(now)
    order = _locked(order)
    _require_online(order)
    provider, reference = (provider or "").strip(), (reference or "").strip()
    errors: dict[str, str] = {}
    if not provider:
        errors["provider"] = _("indiquez le prestataire de paiement (carte, PayPal…)")
    if not reference:
        errors["reference"] = _("indiquez la référence du paiement chez le prestataire")
    if not isinstance(received_at, datetime) or timezone.is_naive(received_at):
        errors["received_at"] = _("date et heure de réception, avec fuseau horaire")
    elif received_at > now:
        errors["received_at"] = _("un paiement ne peut pas être reçu dans le futur")
    received = None
    try:
        received = _amount(amount)
    except ValueError as exc:
        errors["amount"] = str(exc)
    if errors:
        raise ValidationError(errors)

    same_payment = (order.payment_provider, order.payment_reference) == (provider, reference)
    if same_payment and order.paid_at is not None:
        if order.paid_at == received_at and order.payment_amount == received:
            return order
        raise Conflict(
            _(
                "Le paiement %(provider)s %(reference)s est déjà enregistré sur %(order)s "
                "(%(amount)s reçus le %(date)s) avec d'autres valeurs."
            )
            % {
                "provider": provider,
                "reference": reference,
                "order": order,
                "amount": format_eur(order.payment_amount),
                "date": f"{timezone.localtime(order.paid_at):%d/%m/%Y %H:%M}",
            }
        )
    if order.status == OrderStatus.CANCELLED:
        raise Conflict(
            _(
                "%(order)s est annulée (%(reason)s) : le paiement %(provider)s %(reference)s "
                "reçu est à rembourser."
            )
            % {
                "order": order,
                "reason": order.cancellation_reason,
                "provider": provider,
                "reference": reference,
            }
        )
    t.check(label=str(order), current=order.status, target=t.PAID)
    if received != order.total_ttc:
        raise ValidationError(
            {
                "amount": _(
                    "le montant reçu (%(received)s) diffère du total TTC de la commande (%(total)s)"
                )
                % {"received": format_eur(received), "total": format_eur(order.total_ttc)}
            }
        )
    if (
        Order.objects.filter(
            seller=order.seller, payment_provider=provider, payment_reference=reference
        )
        .exclude(pk=order.pk)
        .exists()
    ):
        raise Conflict(
            _("Le paiement %(provider)s %(reference)s concerne une autre commande.")
            % {"provider": provider, "reference": reference}
        )

    paid_on = timezone.localdate(received_at)
    deadline_on, explanation = None, {}
    clause = _frozen_clause(order, EXECUTION_CLAUSE)
    if clause is not None:
        params = parse_parameters(clause["kind"], clause["parameters"])
        explained = domain.execution_deadline(
            paid_on=paid_on,
            n=params.n,
            unit=params.unit,
            start_event=params.from_,
            clause_id=clause["clause"],
            terms_label=clause["terms"],
            calendar=FrenchCalendar(),
        )
        deadline_on = explained.value
        explanation = explained.as_dict() | {
            "article": clause["article"],
            "why": domain.execution_sentence(
                deadline_on=deadline_on,
                paid_on=paid_on,
                n=params.n,
                unit=params.unit,
                start_event=params.from_,
                article=clause["article"],
                terms_label=clause["terms"],
            ),
        }
    start = _earliest_start(order)
    if deadline_on is not None and start is not None and start.value > deadline_on:
        # A consumer who did not ask for an early start cannot be served before the end of
        # the withdrawal period (L221-25): the start is due on the first day the law allows.
        deadline_on = start.value
        explanation = explanation | {
            "value": deadline_on.isoformat(),
            "withdrawal": start.as_dict(),
            "why": _(
                "%(why)s ; client consommateur sans demande d'exécution anticipée : le service "
                "ne peut commencer qu'après son délai de rétractation (C. conso. L221-18 et "
                "L221-25), soit au plus tôt et au plus tard le %(date)s"
            )
            % {"why": explanation.get("why", ""), "date": deadline_on.strftime("%d/%m/%Y")},
        }
    before = {"status": order.status}
    order.status = OrderStatus.PAID
    order.paid_at = received_at
    order.payment_provider = provider
    order.payment_reference = reference
    order.payment_amount = received
    order.execution_deadline = deadline_on
    order.execution_deadline_explanation = explanation
    order.save(
        update_fields=[
            "status",
            "paid_at",
            "payment_provider",
            "payment_reference",
            "payment_amount",
            "execution_deadline",
            "execution_deadline_explanation",
        ]
    )
    record_event(
        actor=by,
        seller=order.seller,
        obj=order,
        verb="order.paid",
        before=before,
        after={
            "status": order.status,
            "received_at": received_at.isoformat(),
            "provider": provider,
            "reference": reference,
            "amount": str(received),
            "execution_deadline": deadline_on.isoformat() if deadline_on else None,
            "why": explanation.get("why", ""),
        },
    )
    # Art. 4 (seed 000): "Suite à la réception du paiement [...] une facture est éditée
    # automatiquement", in this transaction (invoicing; idempotent, never refuses the payment).
    publish(OrderPaid(order_id=order.pk, seller_id=order.seller_id, at=now, by=by))
    return order


@transaction.atomic
def record_payment_failure(
    *,
    order: Order,
    reason: str,
    by,
    provider: str = "",
    reference: str = "",
    now: datetime | None = None,
) -> Order:
    """A payment of ``order`` was rejected or cancelled (the provider's hook). Under terms
    whose ``payment.methods`` clause says ``on_failure: cancel_order`` (seed 000, art. 5: "si
    le paiement est rejeté ou annulé, la commande du client est annulée") the order is
    cancelled; otherwise the failure is recorded and the order keeps awaiting payment.

    A paid order is cancelled only by the cancellation of the payment that paid it (same
    provider and reference). Idempotent on the provider's reference: the same failure
    recorded again changes nothing.
    """
    now = aware_now(now)
    order = _locked(order)
    _require_online(order)
    provider, reference = (provider or "").strip(), (reference or "").strip()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("indiquez pourquoi le paiement a échoué")})
    same_payment = (order.payment_provider, order.payment_reference) == (provider, reference)
    if order.payment_failed_at is not None and same_payment:
        return order
    if order.status == OrderStatus.PAID:
        if not (reference and same_payment):
            raise Conflict(
                _(
                    "%(order)s est payée (%(provider)s %(reference)s) : l'échec d'un autre "
                    "paiement ne la change pas."
                )
                % {
                    "order": order,
                    "provider": order.payment_provider,
                    "reference": order.payment_reference,
                }
            )
    elif order.status != OrderStatus.AWAITING_PAYMENT:
        raise Conflict(
            _("%(order)s est %(status)s : aucun paiement n'est attendu.")
            % {"order": order, "status": order.get_status_display().lower()}
        )
    clause = _frozen_clause(order, PAYMENT_CLAUSE)
    on_failure = clause["parameters"].get("on_failure") if clause else None
    cancels = domain.payment_failure_cancels(on_failure)
    if order.status == OrderStatus.PAID and not cancels:
        raise DomainError(
            _(
                "Les CGV %(terms)s ne disent pas ce que l'annulation d'un paiement reçu fait à la "
                "commande : à décider par le vendeur (%(order)s)."
            )
            % {"terms": order.terms_label, "order": order}
        )
    before = {"status": order.status}
    fields = ["payment_failed_at", "payment_provider", "payment_reference"]
    order.payment_failed_at = now
    order.payment_provider = provider
    order.payment_reference = reference
    payment = " ".join(part for part in (provider, reference) if part)
    if cancels:
        t.check(label=str(order), current=order.status, target=t.CANCELLED)
        source = f"{clause['article']} CGV {clause['terms']}"
        order.status = OrderStatus.CANCELLED
        order.closed_at = now
        order.cancellation_reason = (
            f"paiement rejeté ou annulé{f' ({payment})' if payment else ''} : {reason}. "
            f"{source} : la commande est annulée."
        )
        fields += ["status", "closed_at", "cancellation_reason"]
    order.save(update_fields=fields)
    if cancels:
        _announce_cancelled(order, by=by, now=now)
    record_event(
        actor=by,
        seller=order.seller,
        obj=order,
        verb="order.payment_failed",
        before=before,
        after={
            "status": order.status,
            "reason": reason,
            "provider": provider,
            "reference": reference,
            "cancelled": cancels,
            "clause": clause["clause"] if clause else "",
        },
    )
    return order


def activation_payload(order: Order) -> dict[str, Any]:
    """What the PaaS runtime needs to start the service (the ``service.activate`` webhook)."""
    declared = order.declared or {}
    return {
        "order_id": order.pk,
        "reference": order.reference,
        "client": {
            "id": order.client_id,
            "name": declared.get("name", order.client.name),
            "kind": order.client.kind,
            "email": declared.get("email", order.client.email),
        },
        "lines": [
            {
                "product_code": line.product_code,
                "label": line.description,
                "quantity": str(line.quantity),
                "unit": line.unit,
                "unit_label": line.unit_label,
            }
            for line in order.lines.order_by("position", "id")
        ],
        "started_at": order.started_at.astimezone(UTC).isoformat(),
    }


@transaction.atomic
def _earliest_start(order: Order):
    """For a consumer's online order, the first day its service may start (C. conso.
    L221-25); ``None`` for a professional or an order not yet concluded."""
    if order.client.is_professional or order.concluded_at is None:
        return None
    return earliest_start(
        concluded_on=timezone.localdate(order.concluded_at),
        express_request=order.express_start,
        calendar=FrenchCalendar(),
    )


@transaction.atomic
def activate_service(*, order: Order, by, now: datetime | None = None) -> Order:
    """The paid service starts (art. 8): ``active``, ``started_at`` recorded, and the
    signed ``service.activate`` webhook queued to the seller's endpoints; it leaves after
    the commit, from a background task (``clausier.webhooks``)."""
    now = aware_now(now)
    order = _locked(order)
    _require_online(order)
    t.check(label=str(order), current=order.status, target=t.ACTIVE)
    start = _earliest_start(order)
    if start is not None and timezone.localdate(now) < start.value:
        raise DomainError(
            _(
                "Le client, consommateur, n'a pas demandé que le service commence pendant son "
                "délai de rétractation : il ne peut commencer qu'à partir du %(date)s "
                "(C. conso. L221-18 et L221-25)."
            )
            % {"date": start.value.strftime("%d/%m/%Y")}
        )
    order.status = OrderStatus.ACTIVE
    order.started_at = now
    order.save(update_fields=["status", "started_at"])
    started_on = timezone.localdate(now)
    on_time = order.execution_deadline is None or started_on <= order.execution_deadline
    record_event(
        actor=by,
        seller=order.seller,
        obj=order,
        verb="order.activated",
        before={"status": t.PAID},
        after={
            "status": order.status,
            "started_at": now.isoformat(),
            "execution_deadline": (
                order.execution_deadline.isoformat() if order.execution_deadline else None
            ),
            "on_time": on_time,
        },
    )
    publish(
        ServiceActivated(
            order_id=order.pk,
            seller_id=order.seller_id,
            at=now,
            payload=activation_payload(order),
        )
    )
    return order
