"""The HTTP POST of a webhook, with the standard library (``urllib.request``).

Redirects are not followed (a 3xx is a failed attempt: the endpoint's URL is to be fixed),
errors never raise: they come back as a :class:`Response` with ``error`` set.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from dataclasses import dataclass

READ_LIMIT = 4096


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


@dataclass(frozen=True, slots=True)
class Response:
    status: int | None
    body: str = ""
    error: str = ""


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def post(*, url: str, body: bytes, headers: dict[str, str], timeout: float) -> Response:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return Response(status=response.status, body=_text(response.read(READ_LIMIT)))
    except urllib.error.HTTPError as exc:
        try:
            text = _text(exc.read(READ_LIMIT))
        except (OSError, http.client.HTTPException):
            text = ""
        return Response(status=exc.code, body=text)
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        return Response(status=None, error=f"{type(exc).__name__}: {reason}")
