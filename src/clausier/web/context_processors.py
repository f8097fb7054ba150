from django.conf import settings
from django.http import HttpRequest

from clausier import __version__


def clausier(request: HttpRequest) -> dict[str, object]:
    return {"clausier_version": __version__, "outbox_page": settings.OUTBOX_PAGE}
