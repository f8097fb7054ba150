"""The development outbox page: every message the outbox mailer kept (``EMAIL_URL=outbox://``,
the default in debug), with its recipients, subject, body and attachments. Shown only where
``OUTBOX_PAGE`` is on (debug by default), to staff only: messages of every seller are there."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from clausier.documents.outbox import outbox_attachment as read_attachment
from clausier.documents.outbox import outbox_messages
from clausier.sellers.selectors import is_staff_anywhere


def _guard(request: HttpRequest) -> None:
    if not settings.OUTBOX_PAGE:
        raise Http404
    if not is_staff_anywhere(user=request.user):
        raise PermissionDenied(_("La boîte d'envoi de développement est réservée à l'équipe."))


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    _guard(request)
    return render(
        request,
        "backoffice/outbox.html",
        {"outbox": outbox_messages(settings.OUTBOX_DIR), "directory": settings.OUTBOX_DIR},
    )


@login_required
def outbox_attachment(request: HttpRequest, key: str, index: int) -> HttpResponse:
    _guard(request)
    found = read_attachment(settings.OUTBOX_DIR, key=key, index=index)
    if found is None:
        raise Http404
    attachment, content = found
    response = HttpResponse(content, content_type=attachment.content_type)
    response["Content-Disposition"] = f'attachment; filename="{attachment.filename}"'
    return response
