"""What a document freezes of a clause."""

from __future__ import annotations

from typing import Any

# --- what a document freezes of a clause ---------------------------------------------------


def clause_snapshot(*, clause: Any, version: Any) -> dict[str, Any]:
    """The copy of ``clause`` a document keeps (a quote's payment terms, an order's clauses):
    its id, kind, article, title, excerpt, parameters in their schema's order and the label
    of ``version``, so the document reads the same after the terms change."""
    return {
        "clause": clause.clause_id,
        "kind": clause.kind,
        "article": clause.article,
        "title": clause.title,
        "excerpt": clause.excerpt,
        "parameters": clause.ordered_parameters,
        "terms": version.label,
    }
