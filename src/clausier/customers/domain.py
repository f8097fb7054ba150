"""Pure decisions about clients."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from clausier.rules.explain import LegalFact
from clausier.rules.wording import Words, words

# From the e-invoicing reform, invoices between businesses carry the client's SIREN.
CLIENT_SIREN_ON_INVOICES: Final = LegalFact(
    date(2026, 9, 1),
    "CGI art. 242 nonies A",
)

PROFESSIONAL_KINDS: Final = frozenset({"company", "association", "independent"})


@dataclass(frozen=True)
class Warning:
    field: str
    message: Words
    law: str


def client_warnings(*, kind: str, siren: str, on: date) -> list[Warning]:
    """What is missing on a client for the documents clausier will issue on ``on``."""
    warnings: list[Warning] = []
    if kind in PROFESSIONAL_KINDS and not siren and on >= CLIENT_SIREN_ON_INVOICES.value:
        warnings.append(
            Warning(
                field="siren",
                message=words(
                    "SIREN manquant : il est obligatoire sur les factures adressées à un "
                    "professionnel depuis le {since} (réforme de la facturation électronique).",
                    since=CLIENT_SIREN_ON_INVOICES.value,
                ),
                law=CLIENT_SIREN_ON_INVOICES.source,
            )
        )
    return warnings
