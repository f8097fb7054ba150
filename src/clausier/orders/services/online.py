"""Online orders (seed 000, art. 4-8): created, then the recap edited by the client."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, record_on
from clausier.catalog import pricing
from clausier.catalog import selectors as catalog_selectors
from clausier.customers import selectors as customer_selectors
from clausier.customers.models import Client
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict, DomainError
from clausier.numbering.services import next_number
from clausier.orders.models import Order, OrderLine, OrderStatus
from clausier.orders.services.support import OrderFrozen, locked_order
from clausier.rules.errors import RuleError
from clausier.rules.money import Line, document_totals
from clausier.terms import selectors as terms_selectors
from clausier.terms.models import TermsVersion
from clausier.terms.schemas import ClauseKind

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


def require_online(*, order: Order) -> None:
    if order.quote_id is not None:
        raise Conflict(
            _("%(order)s est issue d'un devis : elle ne suit pas le parcours en ligne.")
            % {"order": order}
        )


def _require_recap(order: Order) -> None:
    require_online(order=order)
    if order.status != OrderStatus.DRAFT:
        raise OrderFrozen(
            _(
                "%(order)s est %(status)s : le récapitulatif ne peut plus être modifié, la "
                "confirmation fige la commande (art. 4 des CGV)."
            )
            % {"order": order, "status": order.get_status_display().lower()}
        )


def frozen_clause(*, order: Order, kind: str) -> dict[str, Any] | None:
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


def totals_summary(*, order: Order) -> dict[str, str]:
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
    by: Actor,
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
    suspended = customer_selectors.suspension_refusal(client=client)
    if suspended:
        raise Conflict(suspended)
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
        created_by=acting_user(by=by),
    )
    _set_totals(order, totals)
    order.full_clean()
    order.save()
    for line in built:
        line.order = order
    OrderLine.objects.bulk_create(built)
    record_on(
        obj=order,
        actor=by,
        verb="order.created",
        after={
            "reference": order.reference,
            "status": order.status,
            "flow": "online",
            "terms": order.terms_label,
            "lines": [_line_summary(line) for line in built],
            **totals_summary(order=order),
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
    by: Actor,
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
    order = locked_order(order=order)
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
            before |= {"lines": old, **totals_summary(order=order)}
            _set_totals(order, totals)
            order.nature = _nature(built)
            after |= {"lines": new, **totals_summary(order=order)}
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
    record_on(obj=order, actor=by, verb="order.recap_updated", before=before, after=after)
    return order
