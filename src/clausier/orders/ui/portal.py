"""The client's orders in the portal, and the PaaS host's online order (seed 000, art. 3-5, 8).

"Commander" lists the seller's catalog offers with their prices HT and TTC (art. 3); the
quantities typed become the recap of the order (art. 4: "un récapitulatif de la commande est
édité automatiquement"), which the client checks and corrects (its declared billing identity,
address and VAT number, and its lines), then confirms: the terms ticked and, for a consumer,
the express request to start before the withdrawal period ends (C. conso. L221-25). The
order is then validated automatically and awaits payment (art. 4-5); once paid, the service
starts within the deadline of art. 8.

Every view starts from ``portal_contact`` (through ``portal_view``) and reads through
``orders_for_client`` / ``order_for_client``: another client's order is a 404. The orders
services do every write and decide every rule; a refusal comes back next to the field it
names and nothing is written.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.catalog import selectors as catalog_selectors
from clausier.catalog.domain import NoPriceInForce
from clausier.customers.access import portal_action, portal_view, render_portal
from clausier.customers.models import Contact
from clausier.kernel.client_address import client_address
from clausier.kernel.errors import DomainError
from clausier.kernel.periods import period_words
from clausier.orders import domain as order_domain
from clausier.orders import presenters as order_presenters
from clausier.orders import selectors as order_selectors
from clausier.orders import services as order_services
from clausier.orders.domain import EXPRESS_START
from clausier.orders.models import Order, OrderStatus
from clausier.orders.ui.forms import (
    ConfirmOrderForm,
    DeclaredForm,
    Offer,
    OrderLinesForm,
    add_order_errors,
)
from clausier.sellers.models import Seller
from clausier.terms import selectors as terms_selectors
from clausier.terms.domain import clause_snapshot
from clausier.web.forms import attempt, posted
from clausier.web.templatetags.clausier import eur

ORDERS_PER_PAGE = 20


# --- reads ------------------------------------------------------------------------------------


def _terms_clauses(seller: Seller, version_id: int | None) -> dict[str, dict[str, Any]]:
    """The clauses of a terms version of the seller, by kind (the first of each kind)."""
    if version_id is None:
        return {}
    version = terms_selectors.version_for_seller(seller=seller, version_id=version_id)
    clauses: dict[str, dict[str, Any]] = {}
    for clause in version.clauses.all():
        clauses.setdefault(clause.kind, clause_snapshot(clause=clause, version=version))
    return clauses


def _online_terms(seller: Seller) -> tuple[Any, dict[str, dict[str, Any]]]:
    """The seller's published terms and their clauses by kind; online orders are possible
    when they hold an ``order.flow`` clause (art. 4)."""
    current = terms_selectors.current_version(seller=seller)
    if current is None:
        return None, {}
    return current, _terms_clauses(seller, current.pk)


def _offers(seller: Seller) -> list[Offer]:
    """The seller's catalog offers priced today (a product whose first price is still to
    come is not offered yet)."""
    today = timezone.localdate()
    products = catalog_selectors.products_for_seller(seller=seller).prefetch_related(
        "price_versions"
    )
    offers = []
    for product in products:
        try:
            price = catalog_selectors.price_in_force(product=product, on=today)
        except NoPriceInForce:
            continue
        offers.append(
            Offer(
                code=product.code,
                name=product.name,
                description=product.description,
                guarantees=list(product.guarantees or []),
                options=list(product.options or []),
                price=price,
            )
        )
    return offers


def _payment_methods(clause: dict[str, Any] | None) -> str:
    names = {"card": _("carte bancaire"), "paypal": _("PayPal"), "transfer": _("virement")}
    methods = ((clause or {}).get("parameters") or {}).get("methods") or []
    return _(" ou ").join(str(names.get(m, m)) for m in methods)


def _fingerprint(order: Order, lines: list) -> str:
    """What the client saw in the recap: its terms, declared data, lines and total. A
    confirmation whose page showed something else is not taken."""
    seen = {
        "terms": order.terms_version_id,
        "declared": order.declared,
        "lines": [[line.product_code, str(line.quantity), str(line.unit_price)] for line in lines],
        "total_ttc": str(order.total_ttc),
    }
    return hashlib.sha256(json.dumps(seen, sort_keys=True).encode()).hexdigest()


def _confirm_form(order: Order, data=None, *, recap: str = ""):
    return ConfirmOrderForm(
        data,
        terms_label=order.terms_label,
        consumer=not order.client.is_professional,
        express_start_text=EXPRESS_START.value,
        initial={"recap": recap},
    )


def _order_page(
    request: HttpRequest,
    contact: Contact,
    order: Order,
    *,
    confirm_form: ConfirmOrderForm | None = None,
    status: int = 200,
) -> HttpResponse:
    lines = list(order.lines.all())
    online = order.quote_id is None
    draft = online and order.status == OrderStatus.DRAFT
    context: dict[str, Any] = {
        "order": order,
        "line_rows": order_presenters.line_rows(order, lines),
        "online": online,
        "draft": draft,
        "reason": order_selectors.waiting_reason(order=order),
        "shows_ttc": catalog_selectors.shows_ttc(seller=order.seller),
        "professional": order.client.is_professional,
    }
    if online:
        if order.clauses:  # frozen at confirmation
            clauses = {c.get("kind"): c for c in order.clauses.values()}
        else:
            clauses = _terms_clauses(order.seller, order.terms_version_id)
        execution = clauses.get(order_services.EXECUTION_CLAUSE)
        exec_params = (execution or {}).get("parameters") or {}
        why, article, explanation = order_domain.execution_parts(
            order.execution_deadline_explanation or {}
        )
        context |= {
            "flow": clauses.get(order_services.FLOW_CLAUSE),
            "payment": clauses.get(order_services.PAYMENT_CLAUSE),
            "payment_methods": _payment_methods(clauses.get(order_services.PAYMENT_CLAUSE)),
            "cancels_on_failure": (
                ((clauses.get(order_services.PAYMENT_CLAUSE) or {}).get("parameters") or {}).get(
                    "on_failure"
                )
                == "cancel_order"
            ),
            "execution": execution,
            "execution_period": period_words(exec_params["n"], exec_params["unit"])
            if isinstance(exec_params.get("n"), int)
            else "",
            "execution_why": why,
            "execution_article": article,
            "execution_explained": explanation,
        }
    if draft:
        current = terms_selectors.current_version(seller=order.seller)
        context["stale_terms"] = (
            current if current and current.pk != order.terms_version_id else None
        )
        if confirm_form is None:
            confirm_form = _confirm_form(order, recap=_fingerprint(order, lines))
    context["confirm_form"] = confirm_form
    if draft and not order.client.is_professional:
        context |= {
            "express_start_law": EXPRESS_START.source,
            "express_start_why": _(
                "Un service commandé à distance ne commence pas avant la fin du délai de "
                "rétractation du consommateur, sauf à sa demande expresse. S'il se rétracte "
                "ensuite, il doit le service déjà fourni ; une fois le service pleinement "
                "exécuté, il ne peut plus se rétracter."
            ),
        }
    return render_portal(request, contact, "orders/portal/detail.html", context, status=status)


@portal_view
def orders(request: HttpRequest, contact: Contact) -> HttpResponse:
    rows = order_selectors.orders_for_client(client=contact.client)
    page = Paginator(rows, ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    items = [(order, order_selectors.waiting_reason(order=order)) for order in page.object_list]
    _version, clauses = _online_terms(contact.client.seller)
    return render_portal(
        request,
        contact,
        "orders/portal/list.html",
        {
            "page": page,
            "items": items,
            "can_order": order_services.FLOW_CLAUSE in clauses,
        },
    )


@portal_view
def order(request: HttpRequest, contact: Contact, order_id: int) -> HttpResponse:
    order = order_selectors.order_for_client(client=contact.client, order_id=order_id)
    return _order_page(request, contact, order)


# --- writes -----------------------------------------------------------------------------------


@portal_view
def order_new(request: HttpRequest, contact: Contact) -> HttpResponse:
    """The offers of the catalog and their quantities; sent, they become the recap."""
    client = contact.client
    seller = client.seller
    version, clauses = _online_terms(seller)
    flow = clauses.get(order_services.FLOW_CLAUSE)
    offers = _offers(seller) if flow else []
    form = OrderLinesForm(posted(request), offers=offers)
    status = 200
    if request.method == "POST":
        if flow is None:
            status = 409
        elif form.is_valid():
            try:
                order = order_services.create_online_order(
                    seller=seller, client=client, lines=form.lines(), by=request.user
                )
            except ValidationError as exc:
                add_order_errors(exc, lines_form=form, summary=form)
                status = 400
            except DomainError as exc:
                form.add_error(None, str(exc))
                status = 409
            else:
                messages.success(
                    request,
                    _(
                        "Votre récapitulatif de commande %(reference)s est prêt : vérifiez-le, "
                        "corrigez-le si besoin, puis confirmez-le."
                    )
                    % {"reference": order.reference},
                )
                return redirect("portal:order", order_id=order.pk)
        else:
            status = 400
    drafts = order_selectors.orders_for_client(client=client).filter(
        status=OrderStatus.DRAFT, quote__isnull=True
    )
    return render_portal(
        request,
        contact,
        "orders/portal/new.html",
        {
            "form": form,
            "offers": [(offer, form[offer.field_name]) for offer in offers],
            "flow": flow,
            "pricing": clauses.get("pricing"),
            "version": version,
            "shows_ttc": catalog_selectors.shows_ttc(seller=seller),
            "drafts": list(drafts),
        },
        status=status,
    )


@portal_view
def order_edit(request: HttpRequest, contact: Contact, order_id: int) -> HttpResponse:
    """The recap corrected: declared data and lines in one form, written together or not."""
    order = order_selectors.order_for_client(client=contact.client, order_id=order_id)
    if order.quote_id is not None or order.status != OrderStatus.DRAFT:
        if request.method == "POST":
            messages.error(
                request,
                _("La commande %(reference)s est confirmée : elle ne se modifie plus.")
                % {"reference": order.reference},
            )
        return redirect("portal:order", order_id=order.pk)
    if request.method == "POST" and "refresh" in request.POST:
        attempt(
            request,
            lambda: order_services.update_recap(order=order, by=request.user),
            lambda updated: (
                _("Votre récapitulatif cite désormais les CGV %(label)s en vigueur.")
                % {"label": updated.terms_label}
            ),
        )
        return redirect("portal:order", order_id=order.pk)

    data = request.POST if request.method == "POST" else None
    offers = {offer.field_name: offer for offer in _offers(order.seller)}
    lines_form = OrderLinesForm(
        data,
        offers=list(offers.values()),
        current=[
            (line.product_code, line.description, line.quantity)
            for line in order.lines.all()
            if line.product_code
        ],
    )
    declared_form = DeclaredForm(
        data, professional=order.client.is_professional, initial=order.declared
    )
    status = 200
    if data is not None:
        status = 400
        if lines_form.is_valid() and declared_form.is_valid():
            try:
                order = order_services.update_recap(
                    order=order,
                    lines=lines_form.lines(),
                    declared=declared_form.declared(),
                    by=request.user,
                )
            except ValidationError as exc:
                add_order_errors(
                    exc, lines_form=lines_form, declared_form=declared_form, summary=lines_form
                )
            except DomainError as exc:
                lines_form.add_error(None, str(exc))
                status = 409
            else:
                messages.success(
                    request,
                    _("Récapitulatif %(reference)s mis à jour : total %(total)s TTC.")
                    % {"reference": order.reference, "total": eur(order.total_ttc)},
                )
                return redirect("portal:order", order_id=order.pk)
    return render_portal(
        request,
        contact,
        "orders/portal/edit.html",
        {
            "order": order,
            "lines_form": lines_form,
            "declared_form": declared_form,
            "line_fields": [(lines_form[name], offers.get(name)) for name in lines_form.fields],
            "shows_ttc": catalog_selectors.shows_ttc(seller=order.seller),
        },
        status=status,
    )


@portal_action
def order_confirm(request: HttpRequest, contact: Contact, order_id: int) -> HttpResponse:
    """The client confirms its recap: terms ticked, and for a consumer perhaps the express
    start; the services freeze the order and validate it (art. 4)."""
    order = order_selectors.order_for_client(client=contact.client, order_id=order_id)
    form = _confirm_form(order, request.POST)
    if not form.is_valid():
        return _order_page(request, contact, order, confirm_form=form, status=400)
    if order.status == OrderStatus.DRAFT and form.cleaned_data["recap"] != _fingerprint(
        order, list(order.lines.all())
    ):
        messages.error(
            request,
            _(
                "Le récapitulatif a changé depuis l'affichage de la page : relisez-le, puis "
                "confirmez à nouveau."
            ),
        )
        return redirect("portal:order", order_id=order.pk)
    express = bool(form.cleaned_data.get("express_start"))
    try:
        order = order_services.confirm_order(
            order=order,
            by=request.user,
            express_start=express,
            express_start_text=EXPRESS_START.value if express else "",
            ip_address=client_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
    except ValidationError as exc:
        add_order_errors(exc, summary=form)
        return _order_page(request, contact, order, confirm_form=form, status=400)
    except DomainError as exc:  # terms replaced meanwhile, confirmed in another tab...
        form.add_error(None, str(exc))
        return _order_page(request, contact, order, confirm_form=form, status=409)
    if order.status == OrderStatus.AWAITING_PAYMENT:
        text = _(
            "Merci : votre commande %(reference)s est confirmée et validée. Elle attend votre "
            "paiement de %(total)s TTC."
        )
    else:
        text = _("Merci : votre commande %(reference)s est confirmée.")
    messages.success(request, text % {"reference": order.reference, "total": eur(order.total_ttc)})
    return redirect("portal:order", order_id=order.pk)
