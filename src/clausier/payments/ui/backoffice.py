"""Staff screens of payments: the list (filters) and a payment's page, a cheque or transfer
recorded, a cheque cashed, allocations, client credit, refunds owed and settled; and the
payment actions of an order's and an invoice's pages (an online order's payment received or
failed, a deposit cashed, an invoice's payment), whose forms those pages show.

Thin: reads through ``payments.selectors``, writes through ``payments.services``; a refusal
is shown in the service's words next to its field."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clausier.customers import selectors as client_selectors
from clausier.customers.selectors import ClientFilters
from clausier.invoicing import selectors as invoice_selectors
from clausier.orders import selectors as order_selectors
from clausier.orders import transitions as order_transitions
from clausier.payments import saved_selectors, selectors, services
from clausier.payments import transitions as t
from clausier.payments.models import Method, PaymentStatus
from clausier.payments.ui import forms
from clausier.rules.money import format_eur
from clausier.sellers.access import render_staff, staff_action, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.web.forms import submit

PER_PAGE = 50


def _action_page(
    request: HttpRequest,
    scope: StaffScope,
    *,
    title: str,
    back: str,
    back_label: str,
    form,
    action: str,
    css: str = "",
    status: int = 400,
) -> HttpResponse:
    """A refused action's form again, with its errors and what was typed."""
    return render_staff(
        request,
        scope,
        "payments/backoffice/action.html",
        {
            "title": title,
            "back": back,
            "back_label": back_label,
            "form": form,
            "action": action,
            "css": css,
        },
        status=status,
    )


# --- an order's payment actions -----------------------------------------------------------------


def _order_url(scope: StaffScope, order) -> str:
    return reverse("backoffice:order", kwargs={"slug": scope.seller.slug, "order_id": order.pk})


@staff_action("orders.edit")
def order_deposit_cashed(request: HttpRequest, scope: StaffScope, order_id: int) -> HttpResponse:
    order = order_selectors.order_for_seller(seller=scope.seller, order_id=order_id)
    form = forms.DepositCashedForm(request.POST)
    done = submit(
        form,
        lambda data: services.record_deposit_cashed(
            order=order, cashed_on=data["cashed_on"], by=request.user
        ),
        refused_status=400,
    )
    if not done.ok:
        return _action_page(
            request,
            scope,
            title=_("Acompte encaissé"),
            back=_order_url(scope, order),
            back_label=str(order),
            form=form,
            action=request.path,
            status=done.status,
        )
    messages.success(
        request,
        _("Acompte de la commande %(reference)s encaissé : les travaux peuvent commencer.")
        % {"reference": order.reference},
    )
    return redirect(_order_url(scope, order))


@staff_action("orders.edit")
def order_payment(request: HttpRequest, scope: StaffScope, order_id: int) -> HttpResponse:
    order = order_selectors.order_for_seller(seller=scope.seller, order_id=order_id)
    form = forms.PaymentReceivedForm(request.POST, order=order)
    done = submit(  # a ValidationError: the amount differs from the total TTC...
        form,
        lambda data: services.record_payment(
            order=order,
            received_at=data["received_at"],
            provider=data["provider"],
            reference=data["reference"],
            amount=data["amount"],
            by=request.user,
        ),
    )
    if not done.ok:
        return _action_page(
            request,
            scope,
            title=_("Paiement reçu"),
            back=_order_url(scope, order),
            back_label=str(order),
            form=form,
            action=request.path,
            css="order-payment",
            status=done.status,
        )
    order = order_selectors.order_for_seller(seller=scope.seller, order_id=order_id)
    if order.execution_deadline:
        text = _(
            "Paiement de la commande %(reference)s enregistré : service à activer au "
            "plus tard le %(deadline)s."
        ) % {
            "reference": order.reference,
            "deadline": date_format(order.execution_deadline, "SHORT_DATE_FORMAT"),
        }
    else:
        text = _("Paiement de la commande %(reference)s enregistré.") % {
            "reference": order.reference
        }
    messages.success(request, text)
    return redirect(_order_url(scope, order))


@staff_action("orders.edit")
def order_payment_failure(request: HttpRequest, scope: StaffScope, order_id: int) -> HttpResponse:
    order = order_selectors.order_for_seller(seller=scope.seller, order_id=order_id)
    form = forms.PaymentFailureForm(request.POST, order=order)
    done = submit(
        form,
        lambda data: services.record_payment_failure(
            order=order,
            reason=data["reason"],
            provider=data["provider"],
            reference=data["reference"],
            by=request.user,
        ),
    )
    if not done.ok:
        return _action_page(
            request,
            scope,
            title=_("Échec du paiement"),
            back=_order_url(scope, order),
            back_label=str(order),
            form=form,
            action=request.path,
            css="order-failure",
            status=done.status,
        )
    order = order_selectors.order_for_seller(seller=scope.seller, order_id=order_id)
    if order.status == order_transitions.CANCELLED:
        text = _(
            "Échec du paiement enregistré : la commande %(reference)s est annulée, "
            "comme le prévoient ses CGV."
        )
    elif done.result.status in t.SETTLED:
        text = _(
            "Le paiement de la commande %(reference)s a été reçu : un échec signalé après "
            "coup ne le change pas (noté dans l'historique)."
        )
    else:
        text = _(
            "Échec du paiement enregistré : la commande %(reference)s attend toujours son paiement."
        )
    messages.success(request, text % {"reference": order.reference})
    return redirect(_order_url(scope, order))


# --- an invoice's payment ----------------------------------------------------------------------


def _invoice_url(scope: StaffScope, invoice) -> str:
    return reverse(
        "backoffice:invoice", kwargs={"slug": scope.seller.slug, "invoice_id": invoice.pk}
    )


@staff_action("invoices.edit")
def invoice_payment(request: HttpRequest, scope: StaffScope, invoice_id: int) -> HttpResponse:
    invoice = invoice_selectors.invoice_for_seller(seller=scope.seller, invoice_id=invoice_id)
    form = forms.InvoicePaymentForm(request.POST)
    done = submit(
        form,
        lambda data: services.record_invoice_payment(
            invoice=invoice, amount=data["amount"], paid_on=data["paid_on"], by=request.user
        ),
    )
    if not done.ok:
        return _action_page(
            request,
            scope,
            title=_("Enregistrer un paiement"),
            back=_invoice_url(scope, invoice),
            back_label=str(invoice),
            form=form,
            action=request.path,
            status=done.status,
        )
    messages.success(
        request, _("Paiement enregistré sur la facture %(number)s.") % {"number": invoice.number}
    )
    return redirect(_invoice_url(scope, invoice))


# --- payments ----------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> selectors.PaymentFilters:
    status = request.GET.get("status", "")
    method = request.GET.get("method", "")
    return selectors.PaymentFilters(
        status=status if status in PaymentStatus.values else "",
        method=method if method in Method.values else "",
        q=(request.GET.get("q") or "").strip()[:100],
    )


@staff_view("invoices.view")
def payments(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    filters = _filters(request)
    page = Paginator(selectors.payment_list(seller=scope.seller, filters=filters), PER_PAGE)
    return render_staff(
        request,
        scope,
        "payments/backoffice/list.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "filters": filters,
            "statuses": PaymentStatus.choices,
            "methods": Method.choices,
            "owed": selectors.refunds_owed(seller=scope.seller)[:20],
        },
    )


def _payment_page(request, scope, payment, *, status: int = 200, **forms_shown) -> HttpResponse:
    invoices = invoice_selectors.invoices_for_client(client=payment.client)
    open_invoices = [i for i in invoices if i.is_issued and not i.is_credit_note and i.unpaid > 0]
    context = {
        "payment": payment,
        "allocations": selectors.allocations_of_payment(payment=payment),
        "refunds": payment.refunds.all(),
        "actions": t.allowed_actions(payment, unallocated=payment.unallocated),
        "credit": selectors.client_credit(client=payment.client),
        "cash_form": forms_shown.get("cash_form") or forms.DayForm(prefix="cash"),
        "allocation_form": forms_shown.get("allocation_form")
        or forms.AllocationForm(prefix="allocation", invoices=open_invoices),
        "refund_form": forms_shown.get("refund_form") or forms.RefundForm(prefix="refund"),
    }
    return render_staff(request, scope, "payments/backoffice/detail.html", context, status=status)


def _to_payment(scope: StaffScope, payment) -> HttpResponse:
    return redirect("backoffice:payment", slug=scope.seller.slug, payment_id=payment.pk)


@staff_view("invoices.view")
def payment(request: HttpRequest, scope: StaffScope, payment_id: int) -> HttpResponse:
    found = selectors.payment_for_seller(seller=scope.seller, payment_id=payment_id)
    return _payment_page(request, scope, found)


@staff_view("invoices.edit")
def payment_new(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    clients = list(client_selectors.client_list(scope=scope, filters=ClientFilters()))
    invoices = [
        i
        for i in invoice_selectors.invoices_for_seller(seller=scope.seller).filter(
            status="issued", kind__in=("standard", "deposit", "final", "penalty")
        )[:200]
        if i.unpaid > 0
    ]
    form = forms.OfflinePaymentForm(
        request.POST if request.method == "POST" else None, clients=clients, invoices=invoices
    )

    def write(data):
        client = client_selectors.client_for_scope(scope=scope, client_id=data["client"])
        allocate_to = []
        if data.get("invoice"):
            invoice = invoice_selectors.invoice_for_seller(
                seller=scope.seller, invoice_id=data["invoice"]
            )
            share = min(data["amount"], selectors.invoice_balance(invoice=invoice))
            allocate_to = [(invoice, share)] if share > 0 else []
        return services.record_offline_payment(
            seller=scope.seller,
            client=client,
            method=data["method"],
            amount=data["amount"],
            received_on=data["received_on"],
            cheque_number=data["cheque_number"],
            cheque_bank=data["cheque_bank"],
            transfer_reference=data["transfer_reference"],
            value_date=data["value_date"],
            allocate_to=allocate_to,
            by=request.user,
        )

    done = submit(form, write)
    if done.ok:
        messages.success(request, _("Paiement enregistré."))
        return _to_payment(scope, done.result)
    return render_staff(
        request, scope, "payments/backoffice/new.html", {"form": form}, status=done.status
    )


@staff_action("invoices.edit")
def payment_cash(request: HttpRequest, scope: StaffScope, payment_id: int) -> HttpResponse:
    found = selectors.payment_for_seller(seller=scope.seller, payment_id=payment_id)
    form = forms.DayForm(request.POST, prefix="cash")
    done = submit(
        form,
        lambda data: services.mark_cheque_cashed(
            payment=found, cashed_on=data["day"], by=request.user
        ),
    )
    if not done.ok:
        return _payment_page(request, scope, found, cash_form=form, status=done.status)
    messages.success(request, _("Chèque encaissé."))
    return _to_payment(scope, found)


@staff_action("invoices.edit")
def payment_allocate(request: HttpRequest, scope: StaffScope, payment_id: int) -> HttpResponse:
    found = selectors.payment_for_seller(seller=scope.seller, payment_id=payment_id)
    invoices = invoice_selectors.invoices_for_client(client=found.client)
    form = forms.AllocationForm(request.POST, prefix="allocation", invoices=invoices)
    done = submit(
        form,
        lambda data: services.allocate(
            payment=found,
            invoice=invoice_selectors.invoice_for_seller(
                seller=scope.seller, invoice_id=data["invoice"]
            ),
            amount=data["amount"],
            by=request.user,
        ),
    )
    if not done.ok:
        return _payment_page(request, scope, found, allocation_form=form, status=done.status)
    messages.success(request, _("Paiement affecté à la facture."))
    return _to_payment(scope, found)


@staff_action("invoices.edit")
def payment_refund(request: HttpRequest, scope: StaffScope, payment_id: int) -> HttpResponse:
    found = selectors.payment_for_seller(seller=scope.seller, payment_id=payment_id)
    form = forms.RefundForm(request.POST, prefix="refund")
    done = submit(
        form,
        lambda data: services.record_refund_owed(
            payment=found, amount=data["amount"], reason=data["reason"], by=request.user
        ),
    )
    if not done.ok:
        return _payment_page(request, scope, found, refund_form=form, status=done.status)
    messages.success(request, _("Remboursement dû enregistré."))
    return _to_payment(scope, found)


# --- refunds -----------------------------------------------------------------------------------


@staff_action("invoices.edit")
def refund_settle(request: HttpRequest, scope: StaffScope, refund_id: int) -> HttpResponse:
    refund = selectors.refund_for_seller(seller=scope.seller, refund_id=refund_id)
    form = forms.DayForm(request.POST)
    done = submit(
        form,
        lambda data: services.mark_refund_settled(
            refund=refund, settled_on=data["day"], reference=data["reference"], by=request.user
        ),
    )
    if not done.ok:
        return _action_page(
            request,
            scope,
            title=_("Remboursement effectué"),
            back=request.build_absolute_uri("../../"),
            back_label=_("Remboursements"),
            form=form,
            action=request.path,
            status=done.status,
        )
    messages.success(request, _("Remboursement noté comme effectué."))
    return redirect("backoffice:refunds", slug=scope.seller.slug)


@staff_action("invoices.edit")
def refund_send(request: HttpRequest, scope: StaffScope, refund_id: int) -> HttpResponse:
    """The refund was sent (the transfer ordered, the cheque posted): owed -> sent."""
    refund = selectors.refund_for_seller(seller=scope.seller, refund_id=refund_id)
    form = forms.DayForm(request.POST)
    done = submit(
        form,
        lambda data: services.mark_refund_sent(
            refund=refund, sent_on=data["day"], reference=data["reference"], by=request.user
        ),
    )
    if not done.ok:
        return _action_page(
            request,
            scope,
            title=_("Remboursement envoyé"),
            back=reverse("backoffice:refunds", kwargs={"slug": scope.seller.slug}),
            back_label=_("Remboursements"),
            form=form,
            action=request.path,
            status=done.status,
        )
    messages.success(request, _("Remboursement noté comme envoyé."))
    return redirect("backoffice:refunds", slug=scope.seller.slug)


# --- a client's credit -------------------------------------------------------------------------


def _client_payments_url(scope: StaffScope, client) -> str:
    return reverse(
        "backoffice:client_payments", kwargs={"slug": scope.seller.slug, "client_id": client.pk}
    )


@staff_view("invoices.view")
def client_payments(request: HttpRequest, scope: StaffScope, client_id: int) -> HttpResponse:
    """A client's money: its credit (what its payments left), the payments that make it up,
    the refunds it is owed and its unpaid invoices, each payable from the credit."""
    client = client_selectors.client_for_scope(scope=scope, client_id=client_id)
    invoices = invoice_selectors.invoices_for_client(client=client)
    unpaid = [
        (invoice, selectors.invoice_balance(invoice=invoice))
        for invoice in invoices
        if invoice.is_issued and not invoice.is_credit_note and invoice.unpaid > 0
    ]
    return render_staff(
        request,
        scope,
        "payments/backoffice/client.html",
        {
            "client": client,
            "credit": selectors.client_credit(client=client),
            "credit_payments": selectors.credit_payments(client=client).select_related("order"),
            "payments": selectors.payments_of_client(client=client)[:50],
            "refunds": selectors.refunds_owed(seller=scope.seller, client=client),
            "unpaid": [(invoice, balance) for invoice, balance in unpaid if balance > 0],
            "saved_method": saved_selectors.active_saved_method(client=client),
            "saved_charges": saved_selectors.saved_card_charges(client=client),
        },
    )


@staff_action("invoices.edit")
def invoice_use_credit(request: HttpRequest, scope: StaffScope, invoice_id: int) -> HttpResponse:
    """Pay an unpaid invoice from its client's credit, as much as the credit covers."""
    invoice = invoice_selectors.invoice_for_seller(seller=scope.seller, invoice_id=invoice_id)
    back = (
        _client_payments_url(scope, invoice.client)
        if request.POST.get("back") == "client"
        else _invoice_url(scope, invoice)
    )
    form = forms.CreditUseForm(request.POST)
    done = submit(
        form,
        lambda data: services.use_client_credit(
            invoice=invoice, amount=data["amount"], by=request.user
        ),
    )
    if not done.ok:
        return _action_page(
            request,
            scope,
            title=_("Utiliser le crédit du client"),
            back=back,
            back_label=str(invoice),
            form=form,
            action=request.path,
            status=done.status,
        )
    used = sum((allocation.amount for allocation in done.result), 0)
    messages.success(
        request,
        _("Crédit du client utilisé sur la facture %(number)s : %(amount)s.")
        % {"number": invoice.number, "amount": format_eur(used)},
    )
    return redirect(back)
