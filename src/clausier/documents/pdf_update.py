"""An XMP extension added to a Typst PDF/A by one incremental update, never a rewrite.

Typst writes a complete PDF/A-3b (XMP with pdfaid, dc:, xmp:, xmpMM:, and a pdfaExtension bag
describing what it uses; the attachment's file specification and embedded file) but no way to
add a schema of one's own to its XMP. :func:`extend_xmp` appends to the file, after its
``%%EOF``, one update section (ISO 32000 7.5.6) that redefines three objects and leaves every
other byte alone:

- a new XMP stream (object number = the old ``/Size``): Typst's packet with ``schema`` (an
  ``rdf:li`` describing the extension schema, as PDF/A wants) inserted at the end of its
  ``pdfaExtension:schemas`` bag, and ``description`` (an ``rdf:Description`` with the
  properties) at the end of its ``rdf:RDF``;
- the catalog again, its ``/Metadata`` pointing at the new stream, with ``catalog_entries``;
- the attachment's embedded file again (the same stream bytes) with ``params`` added to its
  ``/Params`` (when given);
- an xref section for those objects and a trailer with ``/Prev``, ``/Root``, ``/Info`` and the
  same ``/ID``.

The file is read with a few anchored patterns of the layout Typst 0.15 writes (one classic
xref table, an unfiltered XMP stream, one file specification in ``/AF``); anything else raises
:class:`PdfLayoutError` rather than write a wrong file. ``tests/documents/test_typst.py``
pins that layout, so that a Typst upgrade changing it fails loudly.
"""

from __future__ import annotations

import re

# The two places of Typst's XMP packet the update writes into, each there exactly once.
XMP_BAG_END = b"</rdf:Bag></pdfaExtension:schemas>"
XMP_RDF_END = b"</rdf:RDF>"


class PdfLayoutError(RuntimeError):
    """The PDF is not laid out as the incremental update expects (a Typst upgrade?)."""


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_TRAILER = re.compile(rb"trailer\s*<<(.*?)>>\s*startxref", re.S)
_REF = {key: re.compile(rb"/" + key + rb" (\d+) 0 R") for key in (b"Root", b"Info", b"Metadata")}
_SIZE = re.compile(rb"/Size (\d+)")
_ID = re.compile(rb"/ID\s*\[.*?\]", re.S)
_LENGTH = re.compile(rb"/Length (\d+)[/>\s]")
_AF = re.compile(rb"/AF\s*\[(\d+) 0 R\]")
_EF = re.compile(rb"/EF\s*<</F (\d+) 0 R")
_PARAMS = re.compile(rb"/Params\s*<<")


def _xref_offsets(pdf: bytes, at: int) -> dict[int, int]:
    """The object offsets of the classic xref table at ``at``."""
    if not pdf.startswith(b"xref", at):
        raise PdfLayoutError("no classic xref table at startxref (an xref stream?)")
    offsets: dict[int, int] = {}
    position = pdf.index(b"\n", at) + 1
    while True:
        line_end = pdf.index(b"\n", position)
        header = pdf[position:line_end].split()
        if len(header) != 2 or not header[0].isdigit():
            break
        first, count = int(header[0]), int(header[1])
        position = line_end + 1
        for i in range(count):
            entry = pdf[position + 20 * i : position + 20 * i + 18]
            if entry[17:18] == b"n":
                offsets[first + i] = int(entry[:10])
        position += 20 * count
    return offsets


def _object_body(pdf: bytes, offsets: dict[int, int], number: int) -> tuple[int, int]:
    """(start, end) of object ``number``'s body: from after ``N 0 obj`` to ``endobj``."""
    start = offsets.get(number, -1)
    head = b"%d 0 obj" % number
    if start < 0 or not pdf.startswith(head, start):
        raise PdfLayoutError(f"object {number} is not at its xref offset")
    body = start + len(head)
    end = pdf.index(b"endobj", body)
    keyword = pdf.find(b"stream", body, end)
    if keyword != -1:  # a stream: its data may hold "endobj", skip it by its /Length
        length = _LENGTH.search(pdf, body, keyword)
        if length is None:
            raise PdfLayoutError(f"object {number}: a stream without a direct /Length")
        data = keyword + len(b"stream")
        data += 2 if pdf.startswith(b"\r\n", data) else 1
        end = pdf.index(b"endobj", data + int(length.group(1)))
    return body, end


def _xmp_packet(pdf: bytes, offsets: dict[int, int], number: int) -> bytes:
    start, _end = _object_body(pdf, offsets, number)
    head_end = pdf.index(b"stream", start)
    length = _LENGTH.search(pdf, start, head_end)
    if length is None or b"/Filter" in pdf[start:head_end]:
        raise PdfLayoutError("XMP stream: no direct /Length, or filtered")
    data = head_end + len(b"stream")
    data += 2 if pdf.startswith(b"\r\n", data) else 1
    return pdf[data : data + int(length.group(1))]


def _embedded_file(
    pdf: bytes, offsets: dict[int, int], spec: int, params: bytes
) -> tuple[int, bytes]:
    """The attachment's embedded file object again, with ``params`` in its ``/Params``."""
    start, end = _object_body(pdf, offsets, spec)
    ef = _EF.search(pdf, start, end)
    if ef is None:
        raise PdfLayoutError("file specification without /EF /F")
    number = int(ef.group(1))
    start, end = _object_body(pdf, offsets, number)
    found = _PARAMS.search(pdf, start, end)
    if found is None:
        raise PdfLayoutError("embedded file without /Params")
    return number, pdf[start : found.end()] + params + pdf[found.end() : end]


def extend_xmp(
    pdf: bytes,
    *,
    schema: bytes,
    description: bytes,
    catalog_entries: bytes = b"",
    params: bytes = b"",
) -> bytes:
    """``pdf`` with one incremental update adding ``schema`` and ``description`` to its XMP,
    ``catalog_entries`` to its catalog and ``params`` to its attachment's ``/Params`` (see the
    module). :class:`PdfLayoutError` if the file is not laid out as Typst 0.15 lays it out."""
    found = _STARTXREF.search(pdf[-1024:])
    if found is None:
        raise PdfLayoutError("no startxref / %%EOF at the end")
    prev = int(found.group(1))
    trailer_match = _TRAILER.search(pdf, prev)
    if trailer_match is None:
        raise PdfLayoutError("no trailer dictionary")
    trailer = trailer_match.group(1)
    root, size = _REF[b"Root"].search(trailer), _SIZE.search(trailer)
    info, ids = _REF[b"Info"].search(trailer), _ID.search(trailer)
    if root is None or size is None or ids is None:
        raise PdfLayoutError("trailer without /Root, /Size or /ID")
    offsets = _xref_offsets(pdf, prev)

    start, end = _object_body(pdf, offsets, int(root.group(1)))
    catalog = pdf[start:end].strip()
    metadata, af = _REF[b"Metadata"].search(catalog), _AF.search(catalog)
    if metadata is None or not catalog.endswith(b">>") or (params and af is None):
        raise PdfLayoutError("catalog without /Metadata, or without /AF [one file spec]")

    packet = _xmp_packet(pdf, offsets, int(metadata.group(1)))
    if packet.count(XMP_BAG_END) != 1 or packet.count(XMP_RDF_END) != 1:
        raise PdfLayoutError("Typst's XMP layout changed (pdfaExtension bag, rdf:RDF)")
    packet = packet.replace(XMP_BAG_END, schema + XMP_BAG_END)
    packet = packet.replace(XMP_RDF_END, description + XMP_RDF_END)

    new_metadata = int(size.group(1))
    catalog = (
        catalog[: metadata.start()]
        + b"/Metadata %d 0 R" % new_metadata
        + catalog[metadata.end() : -2]
        + catalog_entries
        + b">>"
    )
    objects = [(int(root.group(1)), b"\n" + catalog + b"\n")]
    if params:
        objects.append(_embedded_file(pdf, offsets, int(af.group(1)), params))
    objects.append(
        (
            new_metadata,
            b"\n<</Type/Metadata/Subtype/XML/Length %d>>\nstream\n" % len(packet)
            + packet
            + b"\nendstream\n",
        )
    )
    out, entries = [b"\n"], []
    position = len(pdf) + 1
    for number, body in sorted(objects):
        chunk = b"%d 0 obj" % number + body + b"endobj\n"
        entries.append(b"%d 1\n%010d 00000 n\r\n" % (number, position))
        out.append(chunk)
        position += len(chunk)
    out.append(b"xref\n" + b"".join(entries))
    out.append(
        b"trailer\n<</Size %d/Root %s 0 R%s%s/Prev %d>>\nstartxref\n%d\n%%%%EOF\n"
        % (
            new_metadata + 1,
            root.group(1),
            b"/Info %s 0 R" % info.group(1) if info else b"",
            ids.group(),
            prev,
            position,
        )
    )
    return pdf + b"".join(out)


__all__ = ["XMP_BAG_END", "XMP_RDF_END", "PdfLayoutError", "extend_xmp"]
