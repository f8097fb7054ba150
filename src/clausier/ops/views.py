"""The endpoints of operations: liveness, readiness and metrics. No login, no data."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from clausier.kernel.client_address import client_address
from clausier.ops import health, metrics


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers (nothing else is touched)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when every check of ``health.CHECKS`` passes, 503 otherwise."""
    checks = health.readiness()
    ready = all(result == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status=200 if ready else 503,
    )


def metrics_allowed(request: HttpRequest) -> bool:
    """With ``METRICS_TOKEN`` set, its bearer only; without it, loopback callers only."""
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    return metrics.is_loopback(client_address(request))


@never_cache
@require_safe
def prometheus(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        return JsonResponse(
            {"detail": _("Accès aux métriques refusé : jeton METRICS_TOKEN absent ou invalide.")},
            status=403,
        )
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)
