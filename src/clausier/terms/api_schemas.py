"""The API's bodies for terms and their acceptances (django-ninja schemas).

Named ``api_schemas`` because ``terms/schemas.py`` holds the clause parameter schemas.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import AwareDatetime, field_validator
from pydantic_core import PydanticCustomError

from clausier.kernel.wording import worded
from clausier.terms.models import AcceptanceMethod
from clausier.web.api import Input

# Staff record these; ``checkbox`` is the client's own online acceptance, made in the portal.
STAFF_METHODS = (
    AcceptanceMethod.EMAIL_CONSENT.value,
    AcceptanceMethod.SIGNED_QUOTE.value,
    AcceptanceMethod.POSTAL_SCAN.value,
)
StaffMethod = Literal[STAFF_METHODS]  # type: ignore[valid-type]


# --- terms ----------------------------------------------------------------------------------


class ClauseOut(Schema):
    clause_id: str
    kind: str
    article: str
    title: str
    excerpt: str
    parameters: dict[str, Any]


class TermsVersionOut(Schema):
    id: int
    label: str
    title: str
    effective_date: date
    status: str
    text_sha256: str
    published_at: datetime | None


class TermsVersionDetailOut(TermsVersionOut):
    text: str
    clauses: list[ClauseOut]

    @staticmethod
    def resolve_clauses(obj) -> list[Any]:
        return list(obj.clauses.all())


class FindingOut(Schema):
    """One finding of the legal lint (``terms.domain.Finding``): what the law overrides in a
    clause (``clause_id`` and ``article`` empty when a mandatory clause is missing), the legal
    source and its text, and what clausier applies instead."""

    code: str
    severity: str
    clause_id: str
    article: str
    law: str
    law_text: str
    message: str
    applied: str

    # The sentences in the answer's language (Accept-Language; French by default).
    @staticmethod
    def resolve_law_text(obj) -> str:
        return worded(obj.law_text)

    @staticmethod
    def resolve_message(obj) -> str:
        return worded(obj.message)

    @staticmethod
    def resolve_applied(obj) -> str:
        return worded(obj.applied)


class LintOut(Schema):
    version_id: int
    label: str
    on: date
    findings: list[FindingOut]


# --- acceptances ----------------------------------------------------------------------------


class AcceptanceIn(Input):
    version_id: int
    method: StaffMethod
    accepted_by_name: str
    accepted_at: AwareDatetime | None = None
    message_id: str = ""

    @field_validator("method", mode="before")
    @classmethod
    def _not_online(cls, value: Any) -> Any:
        if value == AcceptanceMethod.CHECKBOX:
            raise PydanticCustomError(
                "portal_only",
                "checkbox acceptance is made online by the client in the portal; the API "
                "records email_consent, signed_quote or postal_scan",
            )
        return value


class AcceptanceOut(Schema):
    id: int
    client_id: int
    version_id: int
    version: str
    text_sha256: str
    accepted_at: datetime
    method: str
    accepted_by_name: str
    message_id: str
    recorded_at: datetime

    @staticmethod
    def resolve_version(obj) -> str:
        return obj.version.label

    @staticmethod
    def resolve_recorded_at(obj) -> datetime:
        return obj.created_at
