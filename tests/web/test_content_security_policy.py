"""Every page clausier renders keeps to its Content-Security-Policy: no inline script, no
inline event handler (onclick=...), no style attribute, and a <style> element only with the
request's nonce, the one the header names. The pages are those of the permission matrix
(tests/test_permission_matrix.py): every back-office and portal URL reached by a GET, with
the objects of one seller's world, plus the public pages, the platform screens and an error
page. The browser test (tests/browser/test_csp_browser.py) checks Chromium reports nothing."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from clausier.sellers.models import Role
from tests.factories import make_staff, make_user
from tests.test_permission_matrix import BACKOFFICE, PORTAL, backoffice_url, world

pytestmark = pytest.mark.django_db

# Elements whose content a browser never runs: data for scripts (json_script) and templates.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}


class InlineCode(HTMLParser):
    """What a page carries inline that its policy must allow: each finding in words."""

    def __init__(self, nonce: str | None) -> None:
        super().__init__()
        self.nonce = nonce
        self.findings: list[str] = []
        self.in_script = False
        self.script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}={value!r}>: inline event handler")
            if name == "style":
                self.findings.append(f"<{tag} style={value!r}>: style attribute")
            if name in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.findings.append(f"<{tag} {name}={value!r}>: javascript: URL")
            if name.startswith(("hx-on", "data-hx-on")):
                self.findings.append(f"<{tag} {name}>: htmx inline handler")
        if tag == "script" and not attributes.get("src"):
            kind = (attributes.get("type") or "").lower()
            if kind not in DATA_SCRIPT_TYPES and not self.nonced(attributes):
                self.findings.append("<script> with inline code and no nonce")
        if tag == "style" and not self.nonced(attributes):
            self.findings.append("<style> without the request's nonce")

    def nonced(self, attributes: dict) -> bool:
        return bool(self.nonce) and attributes.get("nonce") == self.nonce


def policy_of(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = (part.split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in directives}


def findings(response) -> list[str]:
    policy = policy_of(response)
    problems = []
    if policy.get("default-src") != ["'self'"]:
        problems.append(f"default-src is {policy.get('default-src')}")
    for directive in ("script-src", "style-src"):
        if "'unsafe-inline'" in policy.get(directive, []) or "'unsafe-eval'" in policy.get(
            directive, []
        ):
            problems.append(f"{directive} allows {policy[directive]}")
    nonces = {
        match.group(1)
        for value in policy.get("style-src", []) + policy.get("script-src", [])
        if (match := re.fullmatch(r"'nonce-([^']+)'", value))
    }
    parser = InlineCode(next(iter(nonces), None))
    parser.feed(response.content.decode())
    return problems + parser.findings


def check_pages(client, urls: dict[str, str], **headers) -> list[str]:
    problems = []
    for name, url in urls.items():
        response = client.get(url, headers=headers)
        if "text/html" not in response.headers.get("Content-Type", ""):
            continue
        assert response.status_code < 500, f"{name}: {response.status_code}"
        problems += [f"{name} ({url}): {problem}" for problem in findings(response)]
    return problems


def get_urls(table: dict, build) -> dict[str, str]:
    return {name: build(name) for name, row in table.items() if row[0] == "get"}


def test_the_back_office_pages_carry_no_inline_code(client):
    own = world("own")
    client.force_login(make_staff(own["seller"], Role.OWNER))
    urls = get_urls(BACKOFFICE, lambda name: backoffice_url(name, own))
    urls["index"] = reverse("backoffice:index")
    rendered = check_pages(client, urls)
    # The pages htmx asks for (a list's results, a page of it) as well.
    lists = {name: urls[name] for name in ("clients", "quotes", "invoices", "orders", "audit")}
    assert check_pages(client, lists, HX_Request="true") == []
    assert rendered == []


def test_the_portal_pages_carry_no_inline_code(client):
    own = world("own")
    client.force_login(own["portal_contact"].user)
    urls = get_urls(PORTAL, lambda name: reverse(f"portal:{name}", kwargs=PORTAL[name][1](own)))
    response = client.get(urls["home"])
    # The seller's colour is the one inline style, and it bears the nonce of the header.
    assert f"--brand: {own['seller'].brand_color}" in response.content.decode()
    assert re.search(r"<style nonce=\"[^\"]+\">:root", response.content.decode())
    assert check_pages(client, urls) == []


def test_the_public_and_platform_pages_carry_no_inline_code(client, settings):
    settings.OUTBOX_PAGE = True
    public = {
        "home": reverse("home"),
        "login": reverse("login"),
        "missing": "/backoffice/no-such-seller/",
        "api docs": "/api/v1/docs",
    }
    assert check_pages(client, public) == []
    client.force_login(make_user("platform-admin", is_staff=True, is_superuser=True))
    platform = {
        "legal rates": reverse("backoffice:legal_rates"),
        "outbox": reverse("backoffice:outbox"),
        "admin": reverse("admin:index"),
        "admin sellers": reverse("admin:sellers_seller_changelist"),
        "admin seller": reverse("admin:sellers_seller_add"),
    }
    assert check_pages(client, platform) == []


def test_the_check_finds_inline_code():
    class Page:
        def __init__(self, html: str) -> None:
            self.headers = {"Content-Security-Policy": "default-src 'self'; style-src 'nonce-abc'"}
            self.content = html.encode()

    assert findings(Page('<style nonce="abc">p{}</style><script src="/s.js"></script>')) == []
    assert findings(Page('<script type="application/json">{"a": 1}</script>')) == []
    bad = (
        '<script>alert(1)</script><select onchange="go()"></select><p style="color:red">'
        '<style>p{}</style><style nonce="xyz">p{}</style><a href="javascript:go()">x</a>'
        '<button hx-on:click="go()">b</button>'
    )
    assert len(findings(Page(bad))) == 7
