"""What a PDF/A-3B validator (veraPDF 1.28, PDF/A-3B profile) checks, checked with pikepdf.

    problems = check_pdfa3b(pdf_bytes, xml=expected_xml)   # [] when the file is clean
    problems = check_typst_xmp_layout(typst_pdf)           # the layout the XMP update needs

Each check returns the problems it finds, as sentences naming the validator's rule id in
brackets, so that a failing test says which rule broke:

- file: header, trailer /ID, no encryption, %%EOF, qpdf's syntax check [6.1.2, 6.1.3];
  no /AA or /OpenAction, no JavaScript anywhere [6.6.1];
- XMP well-formed, pdfaid:part 3 and conformance B [6.6.4]; every property outside the
  predefined schemas described by a pdfaExtension schema [6.6.2.3];
- the Info dictionary and the XMP agree (title, author, subject, creator, producer,
  keywords, dates) [6.6.3];
- one sRGB output intent (GTS_PDFA1, an RGB ICC profile, /N 3) [6.2.3];
- fonts: every font embedded [6.2.11.4.1-1], every glyph shown present in the program
  [6.2.11.4.1-2], the widths agreeing with the program [6.2.11.5-1], a ToUnicode entry for
  every code shown, and no .notdef glyph shown [6.2.11.8-1]. Every content stream (pages,
  form XObjects, Type3 procedures, patterns, annotation appearances) is parsed; the font of
  each Tf is followed and every shown string split into codes (2 bytes for Type0
  Identity-H, 1 for simple fonts), each mapped to its glyph (CIDToGIDMap, or the embedded
  cmap). Text extraction alone would not do: a .notdef with a ToUnicode entry extracts as
  the right character;
- no image with /Interpolate true [6.2.8-3];
- attachments: catalog /AF; each file specification with /F, /UF, /Desc, /AFRelationship,
  /EF, listed in /Names /EmbeddedFiles; the embedded file with a MIME /Subtype and
  /Params /ModDate [6.8]; for factur-x.xml: /Data, text/xml, the expected bytes, and the
  fx: XMP properties matching the XML's guideline id (BT-24).

Not covered (a validator checks more): content-stream operators, colour spaces,
transparency groups, annotation flags, XMP value types.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta, timezone

import pikepdf
from fontTools.ttLib import TTFont
from lxml import etree

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS = {
    "x": "adobe:ns:meta/",
    "rdf": RDF,
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "xmpTPg": "http://ns.adobe.com/xap/1.0/t/pg/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
    "fx": "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
}

# XMP schemas predefined by PDF/A (XMP Specification 2004): their properties need no
# description. None: every property of the namespace; a set: only those.
PREDEFINED: dict[str, set[str] | None] = {
    NS["dc"]: None,
    NS["xmp"]: None,
    "http://ns.adobe.com/xap/1.0/rights/": None,
    "http://ns.adobe.com/xap/1.0/bj/": None,
    NS["xmpTPg"]: None,
    "http://ns.adobe.com/xmp/1.0/DynamicMedia/": None,
    "http://ns.adobe.com/photoshop/1.0/": None,
    "http://ns.adobe.com/tiff/1.0/": None,
    "http://ns.adobe.com/exif/1.0/": None,
    "http://ns.adobe.com/exif/1.0/aux/": None,
    "http://ns.adobe.com/camera-raw-settings/1.0/": None,
    NS["pdfaid"]: None,
    NS["pdfaExtension"]: None,
    NS["xmpMM"]: {
        "DerivedFrom",
        "DocumentID",
        "History",
        "ManagedFrom",
        "Manager",
        "ManageTo",
        "ManageUI",
        "ManagerVariant",
        "RenditionClass",
        "RenditionParams",
        "VersionID",
        "Versions",
        "LastURL",
        "RenditionOf",
        "SaveID",
    },
    NS["pdf"]: {"Keywords", "PDFVersion", "Producer"},
}

# Factur-X 1.0.07, 6.2.2: BT-24 -> fx:ConformanceLevel (written here again, independently
# of the code under test).
FX_LEVELS = {
    "urn:factur-x.eu:1p0:minimum": "MINIMUM",
    "urn:factur-x.eu:1p0:basicwl": "BASIC WL",
    "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic": "BASIC",
    "urn:cen.eu:en16931:2017": "EN 16931",
    "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended": "EXTENDED",
}
AF_RELATIONSHIPS = {"/Source", "/Data", "/Alternative", "/Supplement", "/Unspecified"}


# --- XMP -------------------------------------------------------------------------------------


def xmp_root(pdf: pikepdf.Pdf) -> etree._Element:
    data = pdf.Root.Metadata.read_bytes()
    start, end = data.index(b"?>") + 2, data.rindex(b"<?xpacket")
    return etree.fromstring(data[start:end])


def top_properties(root: etree._Element) -> list[etree._Element]:
    """The top-level properties: children of every rdf:Description under rdf:RDF."""
    return [
        prop
        for description in root.iter(f"{{{RDF}}}Description")
        if description.getparent().tag == f"{{{RDF}}}RDF"
        for prop in description
    ]


def _described(root: etree._Element) -> dict[str, set[str]]:
    """Namespace URI -> the property names pdfaExtension:schemas describes completely."""
    out: dict[str, set[str]] = {}
    fields = ("name", "valueType", "category", "description")
    for schema in root.iterfind(".//pdfaExtension:schemas/rdf:Bag/rdf:li", NS):
        uri = schema.findtext("pdfaSchema:namespaceURI", namespaces=NS)
        names = {
            prop.findtext("pdfaProperty:name", namespaces=NS)
            for prop in schema.iterfind("pdfaSchema:property/rdf:Seq/rdf:li", NS)
            if all(prop.find(f"pdfaProperty:{field}", NS) is not None for field in fields)
        }
        out.setdefault(uri, set()).update(names)
    return out


def check_xmp(pdf: pikepdf.Pdf) -> list[str]:
    if pdf.Root.get("/Metadata") is None:
        return ["catalog without /Metadata [6.6.2.1]"]
    try:
        root = xmp_root(pdf)
    except (etree.XMLSyntaxError, ValueError) as error:
        return [f"XMP not well-formed: {error} [6.6.2.1]"]
    problems = []
    if root.findtext(".//pdfaid:part", namespaces=NS) != "3":
        problems.append("XMP pdfaid:part is not 3 [6.6.4]")
    if root.findtext(".//pdfaid:conformance", namespaces=NS) != "B":
        problems.append("XMP pdfaid:conformance is not B [6.6.4]")
    described = _described(root)
    for prop in top_properties(root):
        name = etree.QName(prop)
        allowed = PREDEFINED.get(name.namespace, set())
        if allowed is None or name.localname in allowed:
            continue
        if name.localname not in described.get(name.namespace, set()):
            problems.append(
                f"XMP property {name.namespace}{name.localname} has no extension schema [6.6.2.3]"
            )
    return problems


# --- Info and XMP ----------------------------------------------------------------------------


def pdf_date(text: str) -> datetime:
    found = re.fullmatch(r"D:(\d{14})(Z|[+-]\d\d'?\d\d'?)?(Z)?", str(text).replace("Z00'00'", "Z"))
    if not found:
        raise ValueError(f"bad PDF date {text!r}")
    zone = found.group(2) or "Z"
    tz = UTC
    if zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        hours, minutes = int(zone[1:3]), int(zone.replace("'", "")[3:5])
        tz = timezone(sign * timedelta(hours=hours, minutes=minutes))
    return datetime.strptime(found.group(1), "%Y%m%d%H%M%S").replace(tzinfo=tz)


_INFO_IN_XMP = {
    "/Title": ".//dc:title/rdf:Alt/rdf:li",
    "/Author": ".//dc:creator/rdf:Seq/rdf:li",
    "/Subject": ".//dc:description/rdf:Alt/rdf:li",
    "/Creator": ".//xmp:CreatorTool",
    "/Producer": ".//pdf:Producer",
    "/Keywords": ".//pdf:Keywords",
}


def check_info_agrees(pdf: pikepdf.Pdf) -> list[str]:
    root = xmp_root(pdf)
    info = pdf.trailer.get("/Info", {})
    problems = []
    for key, path in _INFO_IN_XMP.items():
        theirs = root.findtext(path, namespaces=NS)
        if key in info and str(info[key]) != theirs:
            problems.append(f"Info {key} {str(info[key])!r} != XMP {theirs!r} [6.6.3]")
    if len(root.findall(".//dc:creator/rdf:Seq/rdf:li", NS)) > 1:
        problems.append("XMP dc:creator with several entries (Info /Author is one) [6.6.3]")
    for key, path in (("/CreationDate", ".//xmp:CreateDate"), ("/ModDate", ".//xmp:ModifyDate")):
        if key in info:
            theirs = root.findtext(path, namespaces=NS)
            if theirs is None or pdf_date(info[key]) != datetime.fromisoformat(theirs):
                problems.append(f"Info {key} {info[key]} != XMP {theirs} [6.6.3]")
    return problems


# --- output intent, file level, JavaScript ---------------------------------------------------


def check_output_intent(pdf: pikepdf.Pdf) -> list[str]:
    intents = [oi for oi in pdf.Root.get("/OutputIntents", []) if oi.get("/S") == "/GTS_PDFA1"]
    if len(intents) != 1:
        return [f"{len(intents)} GTS_PDFA1 output intents, 1 expected [6.2.3]"]
    profile = intents[0].get("/DestOutputProfile")
    if profile is None:
        return ["output intent without /DestOutputProfile [6.2.3]"]
    icc = profile.read_bytes()
    problems = []
    if icc[16:20] != b"RGB ":
        problems.append(f"output intent profile colour space {icc[16:20]!r}, RGB expected [6.2.3]")
    if b"sRGB" not in icc and b"s\x00R\x00G\x00B" not in icc:
        problems.append("output intent profile is not sRGB [6.2.3]")
    if int(profile.get("/N", 0)) != 3:
        problems.append("output intent profile /N is not 3 [6.2.3]")
    return problems


def check_file_level(pdf: pikepdf.Pdf, data: bytes) -> list[str]:
    problems = []
    if not re.match(rb"%PDF-1\.[4-7]\r?\n%[\x80-\xff]{4}", data):
        problems.append("header: %PDF-1.x then a comment of 4 bytes > 127 expected [6.1.2]")
    if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
        problems.append("encrypted [6.1.3-2]")
    if "/ID" not in pdf.trailer:
        problems.append("trailer without /ID [6.1.3-1]")
    if not data.rstrip(b"\r\n").endswith(b"%%EOF"):
        problems.append("no %%EOF at the end [6.1.3-3]")
    problems += [f"qpdf: {problem}" for problem in pdf.check_pdf_syntax()]
    problems += [f"catalog {key} [6.6.1]" for key in ("/AA", "/OpenAction") if key in pdf.Root]
    problems += ["page /AA [6.6.1]" for page in pdf.pages if "/AA" in page.obj]
    problems += [
        f"JavaScript in object {obj.objgen} [6.6.1]" for obj in pdf.objects if has_javascript(obj)
    ]
    return problems


def has_javascript(obj, top: bool = True) -> bool:
    """/S /JavaScript, /JS or a /JavaScript name tree in ``obj`` or its direct children."""
    if not isinstance(obj, pikepdf.Object) or (not top and obj.is_indirect):
        return False  # an indirect child is checked as an object of its own
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, pikepdf.Dictionary):
        if obj.get("/S") == "/JavaScript" or "/JS" in obj or "/JavaScript" in obj:
            return True
        return any(has_javascript(v, False) for k, v in obj.items() if k != "/Parent")
    if isinstance(obj, pikepdf.Array):
        return any(has_javascript(v, False) for v in obj)
    return False


# --- content streams and images --------------------------------------------------------------


def _appearances(page: pikepdf.Page):
    for annotation in page.obj.get("/Annots", []):
        for appearance in annotation.get("/AP", {}).values():
            if isinstance(appearance, pikepdf.Stream):
                yield appearance
            else:
                yield from appearance.values()


def _children(resources: pikepdf.Dictionary):
    """The content streams a resource dictionary brings: forms, Type3 procedures, patterns."""
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form":
            yield xobject, xobject.get("/Resources", resources)
    for font in resources.get("/Font", {}).values():
        if font.get("/Subtype") == "/Type3":
            for procedure in font.get("/CharProcs", {}).values():
                yield procedure, font.get("/Resources", resources)
    for pattern in resources.get("/Pattern", {}).values():
        if isinstance(pattern, pikepdf.Stream):
            yield pattern, pattern.get("/Resources", pikepdf.Dictionary())


def content_streams(pdf: pikepdf.Pdf):
    """(content stream owner, its resources) for every page, form XObject, Type3 font,
    pattern and annotation appearance, each once."""
    seen: set[tuple[int, int]] = set()
    stack = []
    for page in pdf.pages:
        stack.append((page.obj, page.obj.get("/Resources", pikepdf.Dictionary())))
        stack += [(s, s.get("/Resources", pikepdf.Dictionary())) for s in _appearances(page)]
    while stack:
        owner, resources = stack.pop()
        if owner.is_indirect:
            if owner.objgen in seen:
                continue
            seen.add(owner.objgen)
        yield owner, resources
        stack.extend(_children(resources))


def check_images(pdf: pikepdf.Pdf) -> list[str]:
    problems = [
        f"image {obj.objgen} with /Interpolate true [6.2.8-3]"
        for obj in pdf.objects
        if isinstance(obj, pikepdf.Stream)
        and obj.stream_dict.get("/Subtype") == "/Image"
        and obj.stream_dict.get("/Interpolate") is True
    ]
    for owner, _resources in content_streams(pdf):
        for item in pikepdf.parse_content_stream(owner, "BI"):
            if isinstance(item, pikepdf.ContentStreamInlineImage):
                flags = item.iimage.obj
                if flags.get("/I") is True or flags.get("/Interpolate") is True:
                    problems.append("inline image with Interpolate true [6.2.8-3]")
    return problems


# --- fonts -----------------------------------------------------------------------------------

_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _cmap_codes(cmap: bytes) -> set[int]:
    """The codes a ToUnicode CMap maps (bfchar and bfrange)."""
    codes: set[int] = set()
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for line in block.strip().splitlines():
            if hexes := _HEX.findall(line):
                codes.add(int(hexes[0], 16))
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for line in block.strip().splitlines():
            hexes = _HEX.findall(line)
            if len(hexes) >= 2:
                codes.update(range(int(hexes[0], 16), int(hexes[1], 16) + 1))
    return codes


def _cid_widths(w: list) -> dict[int, float]:
    """A CIDFont's /W array as CID -> width."""
    widths: dict[int, float] = {}
    i = 0
    while i < len(w):
        first = int(w[i])
        if isinstance(w[i + 1], pikepdf.Array):
            widths.update({first + k: float(width) for k, width in enumerate(w[i + 1])})
            i += 2
        else:
            widths.update({cid: float(w[i + 2]) for cid in range(first, int(w[i + 1]) + 1)})
            i += 3
    return widths


class FontProgram:
    """One font of the PDF: its embedded program, widths, ToUnicode codes and glyph map."""

    def __init__(self, font: pikepdf.Dictionary):
        self.name = str(font.get("/BaseFont", "?"))
        self.subtype = str(font.get("/Subtype"))
        self.two_byte = self.subtype == "/Type0"
        self.problems: list[str] = []
        self.tt: TTFont | None = None
        self.cid_to_gid: bytes | None = None  # None: Identity
        self.widths: dict[int, float] = {}
        self.default_width = 1000.0
        descendant = font.DescendantFonts[0] if self.two_byte else font
        self._read_program(descendant.get("/FontDescriptor"))
        if self.subtype != "/Type3" and "/ToUnicode" not in font:
            self.problems.append(f"font {self.name} without ToUnicode")
        self.unicode = _cmap_codes(font.ToUnicode.read_bytes()) if "/ToUnicode" in font else set()
        if self.two_byte:
            cid_map = descendant.get("/CIDToGIDMap")
            if isinstance(cid_map, pikepdf.Stream):
                self.cid_to_gid = cid_map.read_bytes()
            self.default_width = float(descendant.get("/DW", 1000))
            self.widths = _cid_widths(list(descendant.get("/W", [])))
        elif "/Widths" in font:
            first = int(font.get("/FirstChar", 0))
            self.widths = {first + k: float(width) for k, width in enumerate(font.Widths)}

    def _read_program(self, descriptor) -> None:
        if self.subtype == "/Type3":
            return
        if descriptor is None:
            self.problems.append(
                f"font {self.name}: no FontDescriptor, not embedded [6.2.11.4.1-1]"
            )
            return
        program = next(
            (descriptor[k] for k in ("/FontFile2", "/FontFile", "/FontFile3") if k in descriptor),
            None,
        )
        if program is None:
            self.problems.append(f"font {self.name} not embedded [6.2.11.4.1-1]")
        elif "/FontFile2" in descriptor:
            self.tt = TTFont(io.BytesIO(program.read_bytes()), lazy=True)

    def gid(self, code: int) -> int:
        """The glyph ``code`` draws; -1 when it cannot be told."""
        if self.two_byte:
            if self.cid_to_gid is None:
                return code
            return int.from_bytes(self.cid_to_gid[2 * code : 2 * code + 2], "big")
        if self.tt is not None and "cmap" in self.tt:
            for platform, encoding in ((3, 0), (1, 0), (3, 1)):
                table = self.tt["cmap"].getcmap(platform, encoding)
                if table is not None:
                    base = 0xF000 if (platform, encoding) == (3, 0) else 0
                    glyph = table.cmap.get(base + code) or table.cmap.get(code)
                    return self.tt.getGlyphID(glyph) if glyph else 0
        return -1

    def _program_problem(self, code: int, gid: int) -> str | None:
        if gid >= self.tt["maxp"].numGlyphs:
            return f"font {self.name}: glyph {gid} not in the program [6.2.11.4.1-2]"
        glyph = self.tt.getGlyphOrder()[gid]
        advance = self.tt["hmtx"][glyph][0] * 1000 / self.tt["head"].unitsPerEm
        width = self.widths.get(code, self.default_width)
        if abs(advance - width) > 1:
            return (
                f"font {self.name}: code {code:#x} width {width} != program {advance:.0f} "
                "[6.2.11.5-1]"
            )
        return None

    def check_codes(self, codes: set[int]) -> list[str]:
        problems = []
        for code in sorted(codes):
            gid = self.gid(code)
            if gid == 0:
                problems.append(f"font {self.name}: code {code:#x} draws .notdef [6.2.11.8-1]")
            if self.subtype != "/Type3" and code not in self.unicode:
                problems.append(f"font {self.name}: code {code:#x} has no ToUnicode entry")
            if self.tt is not None and gid > 0 and (problem := self._program_problem(code, gid)):
                problems.append(problem)
        return problems


def _codes(strings, two_byte: bool) -> set[int]:
    codes: set[int] = set()
    for string in strings:
        if isinstance(string, pikepdf.String):
            raw = bytes(string)
            if two_byte:
                codes.update(
                    int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw) - 1, 2)
                )
            else:
                codes.update(raw)
    return codes


def used_codes(pdf: pikepdf.Pdf) -> dict[tuple[int, int], tuple[pikepdf.Dictionary, set[int]]]:
    """Font objgen -> (font, the codes shown with it), over every content stream."""
    used: dict[tuple[int, int], tuple[pikepdf.Dictionary, set[int]]] = {}
    for owner, resources in content_streams(pdf):
        fonts = resources.get("/Font", {})
        current = None
        for operands, operator in pikepdf.parse_content_stream(owner):
            name = str(operator)
            if name == "Tf":
                current = fonts.get(str(operands[0]))
                if current is not None:
                    used.setdefault(current.objgen, (current, set()))
            elif name in ("Tj", "'", '"', "TJ") and current is not None:
                strings = operands[0] if name == "TJ" else [operands[-1]]
                two_byte = current.get("/Subtype") == "/Type0"
                used[current.objgen][1].update(_codes(strings, two_byte))
    return used


def check_fonts(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    for _owner, resources in content_streams(pdf):
        for font in resources.get("/Font", {}).values():
            encoding = font.get("/Encoding")
            if font.get("/Subtype") == "/Type0" and encoding not in ("/Identity-H", "/Identity-V"):
                problems.append(f"font {font.get('/BaseFont')}: encoding {encoding} not checked")
    for font, codes in used_codes(pdf).values():
        program = FontProgram(font)
        problems += program.problems + program.check_codes(codes)
    return problems


# --- attachments and Factur-X ----------------------------------------------------------------


def _spec_problems(spec, listed: set) -> list[str]:
    problems = [
        f"file spec {spec.objgen} without {key} [6.8]"
        for key in ("/F", "/UF", "/Desc", "/AFRelationship", "/EF")
        if key not in spec
    ]
    if spec.get("/AFRelationship") not in AF_RELATIONSHIPS:
        problems.append(f"file spec /AFRelationship {spec.get('/AFRelationship')} [6.8]")
    if spec.objgen not in listed:
        problems.append(f"file spec {spec.objgen} not in /Names /EmbeddedFiles [6.8]")
    embedded = spec.get("/EF", {}).get("/F")
    if embedded is None:
        return problems
    subtype = embedded.stream_dict.get("/Subtype")
    if subtype is None or "/" not in str(subtype)[1:]:
        problems.append(f"embedded file without a MIME /Subtype ({subtype}) [6.8-3]")
    if "/ModDate" not in embedded.stream_dict.get("/Params", {}):
        problems.append("embedded file /Params without /ModDate [6.8]")
    return problems


def _facturx_problems(pdf: pikepdf.Pdf, spec, xml: bytes | None) -> list[str]:
    embedded = spec.EF.F
    data = embedded.read_bytes()
    params = embedded.stream_dict.get("/Params", {})
    problems = []
    if xml is not None and data != xml:
        problems.append("factur-x.xml is not the expected XML")
    if spec.get("/AFRelationship") != "/Data":
        problems.append("factur-x.xml /AFRelationship is not /Data")
    if str(embedded.stream_dict.get("/Subtype")) != "/text/xml":
        problems.append("factur-x.xml /Subtype is not /text#2Fxml")
    if "/Size" in params and int(params.Size) != len(data):
        problems.append("factur-x.xml /Params /Size is wrong")
    return problems + check_fx(pdf, data)


def check_attachments(pdf: pikepdf.Pdf, xml: bytes | None = None) -> list[str]:
    af = pdf.Root.get("/AF")
    if af is None or len(af) == 0:
        return ["catalog without /AF [6.8]"]
    names = pdf.Root.get("/Names", {}).get("/EmbeddedFiles", {}).get("/Names", [])
    listed = {names[i + 1].objgen for i in range(0, len(names), 2)}
    problems = []
    for spec in af:
        problems += _spec_problems(spec, listed)
        if str(spec.get("/F")) == "factur-x.xml" and "/EF" in spec:
            problems += _facturx_problems(pdf, spec, xml)
    return problems


def check_fx(pdf: pikepdf.Pdf, xml: bytes) -> list[str]:
    """The four fx: XMP properties, each once, with the values the XML calls for."""
    root = xmp_root(pdf)
    guideline = etree.fromstring(xml).findtext(
        "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
        namespaces=NS,
    )
    expected = {
        "DocumentType": "INVOICE",
        "DocumentFileName": "factur-x.xml",
        "Version": "1.0",
        "ConformanceLevel": FX_LEVELS.get(guideline or "", f"? ({guideline})"),
    }
    problems = []
    for name, value in expected.items():
        found = [node.text for node in root.findall(f".//fx:{name}", NS)]
        if found != [value]:
            problems.append(f"XMP fx:{name} {found} != {value!r}")
    return problems


# --- the whole file --------------------------------------------------------------------------


def check_pdfa3b(data: bytes, xml: bytes | None = None, *, attachments: bool = True) -> list[str]:
    """Every check on ``data``; ``xml``: the bytes factur-x.xml must hold."""
    pdf = pikepdf.open(io.BytesIO(data))
    problems = check_file_level(pdf, data)
    xmp_problems = check_xmp(pdf)
    problems += xmp_problems
    if not any("not well-formed" in p or "without /Metadata" in p for p in xmp_problems):
        problems += check_info_agrees(pdf)
    problems += check_output_intent(pdf) + check_fonts(pdf) + check_images(pdf)
    if attachments:
        problems += check_attachments(pdf, xml)
    return problems


__all__ = [
    "NS",
    "check_attachments",
    "check_file_level",
    "check_fonts",
    "check_fx",
    "check_images",
    "check_info_agrees",
    "check_output_intent",
    "check_pdfa3b",
    "check_xmp",
    "xmp_root",
]
