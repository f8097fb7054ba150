"""The messages received at the seller's support addresses: the list (failed, automatic and,
for superusers, the messages no mailbox matched), a message's page with its parsed fields,
attachments and raw download, and "Relire" for a message that failed.

Thin: reads through ``inbox.selectors``, writes through ``inbox.services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from clausier.inbox import selectors, services
from clausier.inbox.presenters import decorated
from clausier.kernel.errors import DomainError
from clausier.kernel.uploads import content_type, file_head
from clausier.sellers.access import render_staff, staff_action, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.web.responses import SANDBOX

PER_PAGE = 50


def _show_choices(request: HttpRequest) -> list[tuple[str, str]]:
    choices = [
        (selectors.STATUS, _("Illisibles")),
        (selectors.AUTOMATIC, _("Automatiques")),
    ]
    if request.user.is_superuser:
        choices.append((selectors.UNMATCHED, _("Sans boîte de réception (toutes adresses)")))
    return choices


@staff_view("inbox.view")
def inbox(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    choices = _show_choices(request)
    show = request.GET.get("show", "")
    if show not in dict(choices):
        show = ""
    q = request.GET.get("q", "").strip()[:200]
    rows = selectors.message_list(
        seller=scope.seller,
        superuser=request.user.is_superuser,
        filters=selectors.MessageFilters(show=show, q=q),
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for message in page.object_list:
        decorated(message)
    return render_staff(
        request,
        scope,
        "inbox/backoffice/inbox.html",
        {
            "page": page,
            "show_choices": choices,
            "show": show,
            "q": q,
            "filtered": bool(show or q),
            "counts": selectors.counts(seller=scope.seller),
        },
    )


def _message(request: HttpRequest, scope: StaffScope, message_id: int):
    return selectors.message_for(
        seller=scope.seller, superuser=request.user.is_superuser, message_id=message_id
    )


def _message_page(
    request: HttpRequest, scope: StaffScope, message, *, error: str = "", status: int = 200
) -> HttpResponse:
    return render_staff(
        request,
        scope,
        "inbox/backoffice/message.html",
        {
            "message": decorated(message),
            "attachments": list(message.attachments.all()),
            "error": error,
        },
        status=status,
    )


@staff_view("inbox.view")
def inbox_message(request: HttpRequest, scope: StaffScope, message_id: int) -> HttpResponse:
    return _message_page(request, scope, _message(request, scope, message_id))


@staff_view("inbox.view")
def inbox_message_raw(request: HttpRequest, scope: StaffScope, message_id: int) -> HttpResponse:
    """The message exactly as received, to open in a mail client (never shown as a page)."""
    message = _message(request, scope, message_id)
    response = HttpResponse(selectors.raw_of(message), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="message-{message.pk}.eml"'
    response["Content-Security-Policy"] = SANDBOX
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_view("inbox.view")
def inbox_attachment(
    request: HttpRequest, scope: StaffScope, message_id: int, attachment_id: int
) -> HttpResponse:
    """An attachment under its decoded name, downloaded, typed from its content."""
    message = _message(request, scope, message_id)
    attachment = selectors.attachment_for(message=message, attachment_id=attachment_id)
    if not attachment.file:
        return _message_page(
            request,
            scope,
            message,
            error=_("Pièce jointe trop volumineuse : elle n'est lisible que dans le message brut."),
            status=404,
        )
    opened = attachment.file.open("rb")
    response = FileResponse(
        opened,
        as_attachment=True,
        filename=attachment.filename,
        content_type=content_type(file_head(opened)),
    )
    response["Content-Security-Policy"] = SANDBOX
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_action("inbox.reparse")
def inbox_message_reparse(request: HttpRequest, scope: StaffScope, message_id: int) -> HttpResponse:
    message = _message(request, scope, message_id)
    try:
        message = services.reparse(message=message, by=request.user)
    except DomainError as exc:  # parsed already
        return _message_page(request, scope, message, error=str(exc), status=409)
    if message.status == "parsed":
        messages.success(request, _("Message relu."))
    else:
        messages.error(
            request, _("Le message reste illisible : %(error)s") % {"error": message.error}
        )
    return redirect("backoffice:inbox_message", slug=scope.seller.slug, message_id=message.pk)
