"""The API's URLs, mounted at the root (outside the i18n patterns) under ``/api/v1/``.

Three additions to what django-ninja routes, so that every answer under ``/api/v1/`` is JSON:
a known path with a method it does not serve (``PATCH /api/v1/terms/1``) answers ninja's 405
as ``{"detail": ...}`` (keeping the ``Allow`` header), an unknown path answers
``{"detail": "Not found."}`` with a 404, and ``/api/v1/`` itself points to the docs and the
OpenAPI document.
"""

from __future__ import annotations

from functools import wraps

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, include, path, reverse
from django.views.decorators.csrf import csrf_exempt

from clausier.api.api import api, error_response

PREFIX = "api/v1/"


def json_not_allowed(view):
    """``view``, with its plain-text 405 turned into a JSON one."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = error_response(
                request, 405, f"Method {request.method} not allowed here (allowed: {allowed})."
            )
            response["Allow"] = allowed
        return response

    return wrapper


@csrf_exempt
def index(request: HttpRequest) -> HttpResponse:
    return api.create_response(
        request,
        {
            "title": api.title,
            "version": api.version,
            "docs": reverse(f"{api.urls_namespace}:openapi-view"),
            "openapi": reverse(f"{api.urls_namespace}:openapi-json"),
        },
        status=200,
    )


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_response(request, 404, "Not found.")


def _api_patterns() -> tuple[list, str, str]:
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = json_not_allowed(pattern.callback)
    return patterns, app_name, namespace


_patterns, _app_name, _namespace = _api_patterns()

urlpatterns = [
    # Before ninja's own root (a bare 404), which still names the prefix for its reverse().
    path(PREFIX, index, name="api-v1-index"),
    path(PREFIX, include((_patterns, _app_name), namespace=_namespace)),
    path(f"{PREFIX}<path:rest>", not_found, name="api-v1-not-found"),
]
