"""Bearer-token authentication: ``Authorization: Bearer <secret>`` -> the live ApiToken.

Every endpoint acts for the token's seller only; :func:`scope` turns the token into the
same :class:`StaffScope` the back-office uses, so the API reads through the staff selectors
and anything of another seller is a 404.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from clausier.api.models import ApiToken
from clausier.api.services import authenticate


class TokenAuth(HttpBearer):
    """A seller's API token (see ``api.services.create_token``)."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        # Memoized on the request: the idempotency hook authenticates before the operation.
        cached = getattr(request, "_clausier_api_token", None)
        if cached is not None and cached[0] == token:
            return cached[1]
        result = authenticate(secret=token.strip())
        request._clausier_api_token = (token, result)  # type: ignore[attr-defined]
        return result


def authenticated_token(request: HttpRequest) -> ApiToken | None:
    """The live token of the request's ``Authorization`` header, or None."""
    return TokenAuth()(request)
