"""Every page a person reaches, and every PDF it links to, reads in English under /en/.

The demo data set is loaded (both seed sellers, documents in every state), then each demo
person (the owner and the accountant of each seller, each client contact) walks every link of
the back-office or of the portal in English, and opens the PDFs they link to. What a user
wrote (names, addresses, the terms' own words, line descriptions: every text stored in a
row) is data and stays as written; French legal mentions the law wants in French are marked
``lang="fr"`` in the page. Anything else that reads French is a string the English catalogue
does not reach: the test lists each one with the page it is on.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from html.parser import HTMLParser

import pypdf
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from clausier.demo.loader import load_demo

pytestmark = pytest.mark.django_db

# Words and letters that are French and not English. A line of English never holds them,
# once the data and the lang="fr" parts are taken out.
FRENCH = re.compile(
    r"\b(le|la|les|des|du|une|est|sont|pour|avec|aucun|aucune|sans|dans|sur|vos|votre|nous|"
    r"facture|factures|devis|commande|échéance|montant|jours|mois|après|selon|soit|"
    r"acompte|avoir|payé|payée|émise|envoyé|créé|créée|ajouté|ligne|taux|intérêt|"
    r"brouillon|vendeur|heure|période|année|jusqu|lorsque|ou)\b|[éèêàçùôâîû]",
    re.IGNORECASE,
)
# The formulas the law or the seller's terms want written in French, which an English page
# quotes as they are.
# So are the payment reference a client copies onto a transfer as it is, and the names of the
# French legal acts a figure cites.
FRENCH_FORMULAS = re.compile(
    r"Bon pour accord|TVA non applicable, art\. 293 B du CGI|Autoliquidation|"
    r"pas d'escompte pour paiement anticipé|F\d{4}-\d{6} / devis D\d{4}-\d{6}(-R\d+)?|"
    r"Arrêté semestriel, Journal officiel|"
    r"TVA non applicable : hors champ d'application de la TVA, indemnité sans contrepartie",
    re.IGNORECASE,
)
# Where a link leads to a file rather than a page.
FILES = re.compile(r"(\.pdf|/pdf|/download|\.xml|/xml|\.csv|/export|\.eml)")
# Uploaded documents (evidence, a signed agreement) are the signers' words, not the product's.
SKIPPED = re.compile(r"/logout|/i18n/|/admin/|/outbox/|/evidence/|/ndas/\d+/file/")
VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col", "area"}
PAGES_PER_PERSON = 250


class _Page(HTMLParser):
    """The text a reader sees (and the attributes read aloud), without scripts, styles,
    code and the parts marked as French; and the links."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        # A link to a document in another language (the French original of a translated
        # invoice or quote) says so with hreflang: it is not an English page.
        other_language = attributes.get("hreflang", "en")[:2] != "en"
        if tag == "a" and attributes.get("href") and not other_language:
            self.links.append(attributes["href"])
        if tag in VOID:
            if not self._hidden:
                self.text.extend(attributes.get(k, "") for k in ("alt", "placeholder", "title"))
            return
        hides = tag in ("script", "style", "code", "svg", "template") or attributes.get(
            "lang", ""
        ).startswith("fr")
        if self._hidden or hides:
            self._hidden.append(tag)
            return
        self.text.extend(attributes.get(k, "") for k in ("title", "aria-label"))
        self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self._hidden:
            self._hidden.pop()
        else:
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def _stored_texts() -> re.Pattern[str]:
    """Every text a person wrote and the project stores (names, addresses, terms, line
    descriptions...), as one pattern, the longest first."""
    found: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("clausier.") and model is not get_user_model():
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            for value in row:
                for line in re.split(r"[\n\r]+", value or ""):
                    line = re.sub(r"^\s*(#+|[-*]|\d+[.)])\s+", "", line)
                    # Markdown emphasis out; an identifier's underscore (a clause id such as
                    # hosting.restore_fee) stays.
                    line = re.sub(r"[*`]+|(?<!\w)_+|_+(?!\w)", "", line).strip()
                    if len(line) >= 3:
                        found.add(_spaces(line))
    # A clause's parameters hold the seller's own words too (labels, lists of exclusions).
    from clausier.terms.models import Clause

    for parameters in Clause.objects.values_list("parameters", flat=True):
        found.update(_spaces(text) for text in _strings(parameters) if len(text) >= 3)
    ordered = sorted(found, key=len, reverse=True)
    return re.compile("|".join(re.escape(text) for text in ordered))


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    return []


def _spaces(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


# A text cut short for a table ("Hébergement chez un fournisseur tiers…"), or quoted
# ("« Rétractation du… »").
CUT = re.compile(r"([^\s«»·][^\n…]{8,})…")


def _uncut(line: str, data: re.Pattern[str]) -> str:
    """``line`` with the texts cut short that start a stored text taken out."""
    stored = data.pattern.split("|")

    def cut(match: re.Match[str]) -> str:
        start = re.escape(match.group(1).strip())
        return " " if any(text.startswith(start) for text in stored) else match.group(0)

    return CUT.sub(cut, line)


def _french_lines(text: str, data: re.Pattern[str]) -> list[str]:
    lines = []
    for raw in text.splitlines():
        line = _spaces(raw)
        if not line:
            continue
        # The formulas out first (a reference holding a stored number), or the stored texts
        # first (a stored text quoting a formula): French only if both leave French.
        lefts = [
            _spaces(data.sub(" ", _uncut(FRENCH_FORMULAS.sub(" ", line), data))),
            _spaces(FRENCH_FORMULAS.sub(" ", _uncut(data.sub(" ", line), data))),
        ]
        if not all(FRENCH.search(left) for left in lefts):
            continue
        left = lefts[0]
        found = FRENCH.search(left)
        if found:
            # A long line (a PDF's page) is shown around what reads French.
            lines.append(line if len(line) < 200 else left[max(0, found.start() - 80) :][:200])
    return lines


def _pdf_lines(text: str) -> str:
    """A PDF's text as one line per paragraph: the printer's line breaks and hyphens undone
    (so that a stored text broken over two lines is still found), a blank line kept."""
    text = text.replace("\u00ad", "")
    text = re.sub(r"(?<=[a-zà-ÿ])-\n(?=[a-zà-ÿ])", "", text)
    return re.sub(r"(?<!\n)\n(?!\n)", " ", text)


def _pdf_text(content: bytes, url: str) -> str:
    try:
        reader = pypdf.PdfReader(io.BytesIO(content))
    except pypdf.errors.PdfReadError as error:
        raise AssertionError(f"{url} is not a readable PDF: {error}") from error
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _walk(client, start: str, data: re.Pattern[str], found: dict[str, set[str]]) -> int:
    queue, seen = [start], set()
    while queue and len(seen) < PAGES_PER_PERSON:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        kind = response.get("Content-Type", "")
        if "pdf" in kind:
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert body.startswith(b"%PDF"), (url, body[:200])
            for line in _french_lines(_pdf_lines(_pdf_text(body, url)), data):
                found[line].add(url)
            continue
        if "html" not in kind:
            continue
        page = _Page()
        page.feed(response.content.decode())
        for line in _french_lines("".join(page.text), data):
            found[line].add(url)
        for link in page.links:
            link = link.split("#")[0]
            if not link.startswith("/en/") or SKIPPED.search(link):
                continue
            if (link.startswith(start) or FILES.search(link)) and link not in seen:
                queue.append(link)
    return len(seen)


def test_every_page_and_pdf_reads_in_english(client, media):
    load_demo()
    data = _stored_texts()
    people = get_user_model().objects.filter(
        username__in=[
            "cc-owner",
            "neo7-owner",
            "expert-comptable",
            "cc-client-company",
            "cc-client-consumer",
            "neo7-client-company",
            "neo7-client-consumer",
        ]
    )
    assert people.count() == 7
    found: dict[str, set[str]] = defaultdict(set)
    walked = {}
    for person in people:
        client.force_login(person)
        start = "/en/portal/" if "client" in person.username else "/en/backoffice/"
        walked[person.username] = _walk(client, start, data, found)
        client.logout()
    assert all(count > 5 for count in walked.values()), walked
    report = "\n".join(
        f"{line[:140]}  <- {sorted(urls)[0]} (+{len(urls) - 1})"
        for line, urls in sorted(found.items())
    )
    assert not found, f"{len(found)} French lines in English pages:\n{report}"
