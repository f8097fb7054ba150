"""The automatic-message and loop rules, one by one, each with the standard it applies; and
what is not automatic."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from clausier.inbox import loops

CONTEXT = loops.Context(
    own_domain="clausier.test", own_addresses=frozenset({"support@hebergeur.test"})
)
HUMAN = "From: Marie <marie@example.org>\r\nTo: support@hebergeur.test\r\nSubject: Aide\r\n"


def reason(headers: str, body: str = "Bonjour\r\n", content_type: str = "text/plain") -> str:
    raw = f"{HUMAN}{headers}Content-Type: {content_type}\r\n\r\n{body}".encode()
    return loops.automatic_reason(message_from_bytes(raw, policy=policy.default), CONTEXT)


@pytest.mark.parametrize(
    ("headers", "content_type", "code"),
    [
        ("Message-ID: <abc.123@clausier.test>\r\n", "text/plain", loops.LOOP),
        ("X-Loop: support@hebergeur.test\r\n", "text/plain", loops.LOOP),
        (
            "",
            'multipart/report; report-type=delivery-status; boundary="b"',
            loops.BOUNCE,
        ),
        ("Auto-Submitted: auto-replied\r\n", "text/plain", loops.AUTO_SUBMITTED),
        ("Auto-Submitted: auto-generated\r\n", "text/plain", loops.AUTO_SUBMITTED),
        ("Precedence: bulk\r\n", "text/plain", loops.PRECEDENCE),
        ("Precedence: junk\r\n", "text/plain", loops.PRECEDENCE),
        ("Precedence: list\r\n", "text/plain", loops.PRECEDENCE),
        ("Precedence: auto_reply\r\n", "text/plain", loops.PRECEDENCE),
        ("X-Autoreply: yes\r\n", "text/plain", loops.X_AUTOREPLY),
        ("X-Autorespond: Vacation\r\n", "text/plain", loops.X_AUTORESPOND),
        ("X-Auto-Response-Suppress: All\r\n", "text/plain", loops.AUTO_RESPONSE_SUPPRESS),
        ("X-Auto-Response-Suppress: DR, OOF\r\n", "text/plain", loops.AUTO_RESPONSE_SUPPRESS),
        ("Return-Path: <>\r\n", "text/plain", loops.NULL_SENDER),
        ("Sender: MAILER-DAEMON@mx.example.org\r\n", "text/plain", loops.MAILER_DAEMON),
        ("Sender: postmaster@example.org\r\n", "text/plain", loops.MAILER_DAEMON),
        ("List-Id: Clients <clients.example.org>\r\n", "text/plain", loops.LIST),
    ],
)
def test_each_rule_recognises_its_header(headers, content_type, code):
    body = (
        "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n"
        if "report" in content_type
        else "x\r\n"
    )
    assert reason(headers, body, content_type) == code


@pytest.mark.parametrize(
    "headers",
    [
        "",
        "Auto-Submitted: no\r\n",
        "Precedence: first-class\r\n",
        "X-Auto-Response-Suppress: DR, RN\r\n",
        "Message-ID: <abc@example.org>\r\nIn-Reply-To: <ours@clausier.test>\r\n",
        "X-Loop: someone-else@example.org\r\n",
        "Return-Path: <marie@example.org>\r\n",
    ],
)
def test_a_person_s_message_is_not_automatic(headers):
    assert reason(headers) == ""


def test_a_multipart_report_of_another_kind_is_not_a_bounce():
    body = "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n"
    content_type = 'multipart/report; report-type=disposition-notification; boundary="b"'
    assert reason("", body, content_type) == ""


def test_every_rule_names_its_source_and_codes_are_unique():
    assert all(rule.source for rule in loops.RULES)
    assert len(set(loops.CODES)) == len(loops.CODES)


def test_the_loop_rule_comes_first():
    both = "Message-ID: <x@clausier.test>\r\nAuto-Submitted: auto-replied\r\n"
    assert reason(both) == loops.LOOP
