"""What several screens answer alike: a stored file, shown without ever running it; one row
of a list already read, or a 404."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from django.http import FileResponse, Http404

# An uploaded file may be an SVG or an HTML page: shown as a document, never run.
SANDBOX = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def stored_file(file) -> FileResponse:
    """A stored file (an attachment, a piece of evidence, a logo) under its own name."""
    response = FileResponse(file.open("rb"), filename=PurePath(file.name).name)
    response["Content-Security-Policy"] = SANDBOX
    return response


def row_or_404(rows: Iterable[Any], pk: int) -> Any:
    """The row of ``rows`` (a prefetched relation, read without a query) whose key is ``pk``."""
    row = next((row for row in rows if row.pk == pk), None)
    if row is None:
        raise Http404
    return row
