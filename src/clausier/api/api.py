"""The REST API, version 1: one NinjaAPI mounting each domain's router, JSON errors.

Every endpoint needs ``Authorization: Bearer <secret>`` (an :class:`ApiToken`) and acts for
the token's seller only: another seller's object is a 404, never a 403.

Errors are JSON, always with a ``detail``:

- 400 ``{"detail": ...}``: the body is not JSON;
- 401 ``{"detail": ...}``: no token, an unknown one, or a revoked one;
- 404 ``{"detail": "Not found."}``: no such object for this seller;
- 405 ``{"detail": ...}``: the path exists, not with this method (terms are read-only);
- 409 ``{"detail": message}``: a business rule refuses the write (``clausier.kernel.errors``);
  when what is missing is the reason (an invoice's mandatory mentions, the marks of a signed
  copy), ``{"detail": message, "missing": [code, ...]}``: the message names them in words,
  ``missing`` lists their codes (``seller.siren``);
- 413 ``{"detail": ...}``: the body is larger than the server takes (2.5 MB);
- 422 ``{"detail": ..., "errors": {"<field>": "<message>"}}``: invalid input, whether the
  schema (types, required fields) or a service (SIREN key, VAT number...) refused it, with
  the fields named as the request names them (``lines[0].quantity`` in a list). A text
  holding a NUL character or longer than its bound, a date outside 2000-01-01 .. ten years
  ahead or not written as a string, a paging ``offset`` past 10^9 are all 422s.

Every POST takes an optional ``Idempotency-Key`` header (1 to 255 printable ASCII
characters): a retry with the same key, path and body gets the first answer again, with
``Idempotent-Replayed: true``, without running the write twice (4xx answers included, 5xx
never stored); the same key with another request is a 409. Keys belong to the seller and
expire after 24 hours. Two requests with one key at once: the second waits for the first,
then gets its answer.

Docs: Swagger UI at ``/api/v1/docs`` (served from django-ninja's own static files, no CDN),
the OpenAPI document at ``/api/v1/openapi.json``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from clausier.api import idempotency
from clausier.api.auth import TokenAuth
from clausier.catalog import api as catalog_api
from clausier.collections import api as collections_api
from clausier.collections import statement_api as collections_statement_api
from clausier.contracts import api as contracts_api
from clausier.customers import api as customers_api
from clausier.invoicing import api as invoicing_api
from clausier.kernel.errors import DomainError, Incomplete, what_protects
from clausier.metering import api as metering_api
from clausier.orders import api as orders_api
from clausier.payments import api as payments_api
from clausier.payments.ui import statements_api
from clausier.quotes import api as quotes_api
from clausier.sellers import api as sellers_api
from clausier.support import api as support_api
from clausier.terms import api as terms_api
from clausier.web.api import ERROR_SCHEMAS
from clausier.withdrawal import api as withdrawal_api

# Each domain owns its router (``<domain>/api.py``); the shell mounts them, in this order
# (the order of the OpenAPI document).
ROUTERS = [
    ("/sellers", sellers_api.router),
    ("/clients", customers_api.router),
    ("/clients", terms_api.acceptances_router),
    ("/terms", terms_api.router),
    ("/catalog", catalog_api.router),
    ("/quotes", quotes_api.router),
    ("/orders", orders_api.router),
    ("/invoices", invoicing_api.router),
    ("/invoices", payments_api.invoice_payments_router),
    ("/payments", payments_api.router),
    ("/statements", statements_api.router),
    ("/refunds", payments_api.refunds_router),
    ("/clients", payments_api.client_credit_router),
    ("/invoices", collections_api.invoice_penalties_router),
    ("/clients", collections_statement_api.client_statement_router),
    ("/withdrawals", withdrawal_api.router),
    ("/events", metering_api.router),
    ("/subscriptions", metering_api.subscriptions_router),
    ("/tickets", support_api.router),
    ("/contracts", contracts_api.router),
    ("/domains", contracts_api.domains_router),
]


class ClausierAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """``clausier_api_routers_<tag>_<function>``: the ids the operations had when every
        router lived in ``api/routers/<tag>.py``, kept so that generated clients keep their
        method names wherever a domain's router lives."""
        return f"clausier_api_routers_{operation.tags[0]}_{operation.view_func.__name__}"

    def get_openapi_schema(self, **kwargs):
        """Ninja's document, with the ``Idempotency-Key`` header and its 409 on every POST, a
        413 on every operation with a body and a 422 on every one with a parameter or a body
        (a text, a date or a page out of bounds)."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                answers = operation["responses"]
                if "requestBody" in operation:
                    answers.setdefault(413, _documented(413, "Request body too large"))
                if "requestBody" in operation or operation.get("parameters"):
                    answers.setdefault(422, _documented(422, "Invalid input"))
                if method == "post":
                    operation.setdefault("parameters", []).append(idempotency.OPENAPI_PARAMETER)
                    answers.setdefault(409, _documented(409, "Conflict"))
        return schema


def _documented(status: int, description: str) -> dict:
    name = ERROR_SCHEMAS[status].__name__
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
    }


class RFC3339Encoder(NinjaJSONEncoder):
    """Django's JSON, with a datetime whose offset has seconds (Paris before 1911 kept its
    local mean time, +00:09:21) written in UTC: RFC 3339 offsets are whole minutes."""

    def default(self, o):
        offset = o.utcoffset() if isinstance(o, datetime) else None
        if offset is not None and offset % timedelta(minutes=1):
            o = o.astimezone(UTC)
        return super().default(o)


class Renderer(JSONRenderer):
    encoder_class = RFC3339Encoder


api = ClausierAPI(
    renderer=Renderer(),
    title="clausier API",
    version="1",
    description=__doc__.split("\n\n", 1)[1],
    urls_namespace="api-v1",
    auth=TokenAuth(),
    docs=Swagger(settings={"validatorUrl": None}),
)

for prefix, router in ROUTERS:
    api.add_router(prefix, router)
api.add_decorator(idempotency.idempotent, mode="view")


def error_response(request: HttpRequest, status: int, detail: str, **extra) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


def invalid(request: HttpRequest, errors: dict[str, str]) -> HttpResponse:
    detail = "Invalid input: " + ", ".join(errors) + "."
    return error_response(request, 422, detail, errors=errors)


def _field_name(loc: tuple | list) -> str:
    """``("body", "payload", "siren")`` -> ``siren``; ``("query", "limit")`` -> ``limit``;
    ``("body", "payload", "lines", 0, "quantity")`` -> ``lines[0].quantity`` (as services
    name the fields of a list).

    Every body is one schema parameter named ``payload``: its name is not the client's.
    """
    source, *rest = loc
    if source == "body" and rest and rest[0] == "payload":
        rest = rest[1:]
    name = ""
    for part in rest:
        name += f"[{part}]" if isinstance(part, int) else f".{part}" if name else str(part)
    return name or str(source)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, str] = {}
    for error in exc.errors:
        field = _field_name(error["loc"])
        errors[field] = f"{errors[field]}; {error['msg']}" if field in errors else error["msg"]
    return invalid(request, errors)


@api.exception_handler(DjangoValidationError)
def on_service_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    messages = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    return invalid(request, {field: " ".join(msgs) for field, msgs in messages.items()})


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return error_response(request, 413, f"Request body too large: at most {limit} bytes.")


@api.exception_handler(ProtectedError)
def on_protected(request: HttpRequest, exc: ProtectedError) -> HttpResponse:
    """A delete that a service let through but that would orphan documents: a 409 naming
    them, never a 500 (a service names its own reason first: ``delete_client``)."""
    return error_response(request, 409, f"Still referenced, kept: {what_protects(exc)}.")


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return error_response(request, 409, str(exc))


@api.exception_handler(Incomplete)
def on_incomplete(request: HttpRequest, exc: Incomplete) -> HttpResponse:
    """What is missing: ``detail`` names it in words, ``missing`` lists its codes."""
    return error_response(request, 409, str(exc), missing=exc.missing)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "Not found.")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error_response(
        request,
        401,
        "Authentication required: send a live API token as 'Authorization: Bearer <secret>'.",
    )
    response["WWW-Authenticate"] = 'Bearer realm="clausier API"'
    return response
