"""The consumer's withdrawals in the portal: "Je me rétracte", the model form of the annex to
article R221-1 (its text, the order, the consumer's name and address, the date), and the
status of each request with its clocks and explanations; the acknowledgement's PDF.

Every view starts from ``portal_contact`` (``portal_view``) and reads the contact's client's
withdrawals and orders only (another client's is a 404); ``withdrawal.services`` decides and
writes, a refusal comes back on the form and nothing is written."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext

from clausier.customers.access import portal_view, render_portal
from clausier.customers.models import Contact
from clausier.documents.responses import document_response
from clausier.web.forms import posted, submit
from clausier.withdrawal import domain, presenters, selectors, services
from clausier.withdrawal.printing import render_acknowledgement
from clausier.withdrawal.ui.forms import WithdrawalForm


@portal_view
def withdrawals(request: HttpRequest, contact: Contact) -> HttpResponse:
    today = timezone.localdate()
    rows = [
        (w, presenters.clocks(w, today=today), presenters.reasons(w))
        for w in selectors.withdrawals_of_client(client=contact.client)
    ]
    return render_portal(
        request,
        contact,
        "withdrawal/portal/list.html",
        {"rows": rows, "consumer": not contact.client.is_professional},
    )


@portal_view
def withdrawal_new(request: HttpRequest, contact: Contact) -> HttpResponse:
    client = contact.client
    orders = list(selectors.withdrawable_orders(client=client))
    form = WithdrawalForm(
        posted(request),
        orders=orders,
        initial={"consumer_name": client.name, "consumer_address": _address(client)},
    )

    def write(data):
        order = next(o for o in orders if o.pk == data["order"])
        return services.submit_withdrawal(
            order=order,
            by=request.user,
            consumer_name=data["consumer_name"],
            consumer_address=data["consumer_address"],
        )

    done = submit(form, write)
    if done.ok:
        return redirect("portal:withdrawal", withdrawal_id=done.result.pk)
    return render_portal(
        request,
        contact,
        "withdrawal/portal/new.html",
        {
            "form": form,
            "orders": orders,
            "consumer": not client.is_professional,
            "model_form": gettext(domain.MODEL_FORM.value),
            "model_form_law": domain.MODEL_FORM.source,
            "model_form_note": gettext(domain.MODEL_FORM_NOTE),
            "today": timezone.localdate(),
        },
        status=done.status,
    )


def _address(client) -> str:
    lines = [client.billing_line1, getattr(client, "billing_line2", ""), ""]
    lines[2] = f"{client.billing_postal_code} {client.billing_city}".strip()
    return "\n".join(line for line in lines if line)


@portal_view
def withdrawal(request: HttpRequest, contact: Contact, withdrawal_id: int) -> HttpResponse:
    found = selectors.withdrawal_for_client(client=contact.client, withdrawal_id=withdrawal_id)
    return render_portal(
        request,
        contact,
        "withdrawal/portal/detail.html",
        {
            "withdrawal": found,
            "clocks": presenters.clocks(found),
            "reasons": presenters.reasons(found),
        },
    )


@portal_view
def withdrawal_pdf(request: HttpRequest, contact: Contact, withdrawal_id: int) -> HttpResponse:
    found = selectors.withdrawal_for_client(client=contact.client, withdrawal_id=withdrawal_id)
    pdf = render_acknowledgement(withdrawal=found)
    return document_response(pdf.content, filename=pdf.filename, sha256=pdf.sha256)
