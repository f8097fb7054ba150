"""The official e-invoicing rules, run on a Factur-X XML: the FNFE-MPE Factur-X 1.08 EN16931
schematron (with the EN 16931 business rules and code lists) and the AFNOR XP Z12-012 BR-FR
rules (v1.3.0, the French 2026-2027 reform), both as XSLT from ``../shared/validation/`` (the
folder beside the repository; the project does not copy them), run by Saxon (``saxonche``).

    rules = OfficialRules()               # compiles both stylesheets once (1-2 s)
    findings = rules.run(xml)             # {"FACTUR-X_EN16931": [Finding...], "BR-FR": [...]}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from saxonche import PySaxonProcessor

VALIDATION = Path(__file__).resolve().parent.parent.parent / "shared" / "validation"
STYLESHEETS = {
    # Loads FACTUR-X_EN16931_codedb.xml from its own folder.
    "FACTUR-X_EN16931": "FACTUR-X_EN16931.xslt",
    "BR-FR": "20260216_BR-FR-Flux2-Schematron-CII_V1.3.0.xsl",
}
SVRL = "http://purl.oclc.org/dsdl/svrl"
ABSENT = (
    f"the official rules are not there ({VALIDATION}: FACTUR-X_EN16931.xslt and the BR-FR "
    "rules): the Factur-X XML was NOT checked against them"
)


def available() -> bool:
    return all((VALIDATION / name).is_file() for name in STYLESHEETS.values())


@dataclass(frozen=True)
class Finding:
    """A failed assert or a successful report of the SVRL output."""

    rule: str  # the rule's id, e.g. "BR-CO-15", "BR-FR-13_BT-34"
    flag: str  # fatal / error / warning / information; "" when the rule gives none
    location: str
    text: str

    @property
    def is_error(self) -> bool:
        return self.flag in ("fatal", "error", "")

    def __str__(self) -> str:
        return f"[{self.flag or 'error'}] {self.rule}: {self.text[:200]}"


class OfficialRules:
    def __init__(self) -> None:
        self.processor = PySaxonProcessor(license=False)
        xslt = self.processor.new_xslt30_processor()
        # Compiled from the file: the stylesheet's base URI is its folder (its code list).
        self.executables = {
            name: xslt.compile_stylesheet(stylesheet_file=str(VALIDATION / file))
            for name, file in STYLESHEETS.items()
        }

    def run(self, xml: bytes) -> dict[str, list[Finding]]:
        node = self.processor.parse_xml(xml_text=xml.decode("utf-8"))
        report = {}
        for name, executable in self.executables.items():
            svrl = etree.fromstring(executable.transform_to_string(xdm_node=node).encode())
            report[name] = [
                Finding(
                    rule=found.get("id") or "",
                    flag=found.get("flag") or "",
                    location=found.get("location") or "",
                    text=" ".join("".join(found.itertext()).split()),
                )
                for found in svrl.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report")
            ]
        return report
