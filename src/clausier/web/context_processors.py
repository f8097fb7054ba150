from django.http import HttpRequest

from clausier import __version__


def clausier(request: HttpRequest) -> dict[str, str]:
    return {"clausier_version": __version__}
