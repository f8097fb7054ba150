"""What several screens answer alike: a stored file, shown without ever running it; one row
of a list already read, or a 404."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from django.http import FileResponse, Http404

from clausier.kernel.uploads import content_type, file_head

# Whatever an uploaded file holds, it is shown as a document, never run.
SANDBOX = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def stored_file(file, *, inline: bool = False) -> FileResponse:
    """A stored file (an attachment, a piece of evidence) under its own name, downloaded
    (``inline`` for an image a page shows, the seller's logo), typed from its content (its
    name is the uploader's), which the browser must not second-guess (nosniff)."""
    opened = file.open("rb")
    response = FileResponse(
        opened,
        as_attachment=not inline,
        filename=PurePath(file.name).name,
        content_type=content_type(file_head(opened)),
    )
    response["Content-Security-Policy"] = SANDBOX
    response["X-Content-Type-Options"] = "nosniff"
    return response


def row_or_404(rows: Iterable[Any], pk: int) -> Any:
    """The row of ``rows`` (a prefetched relation, read without a query) whose key is ``pk``."""
    row = next((row for row in rows if row.pk == pk), None)
    if row is None:
        raise Http404
    return row
