"""Automatic messages and mail loops: each rule named, with the standard it comes from.

A message any rule matches is ``automatic``: it is stored and announced like any other, but
never answered (answering an out-of-office or a bounce starts a loop). The rules are data,
:data:`RULES`, in the order they are tried; the first that matches is the message's reason.
Pure: reads the headers of a parsed :class:`email.message.EmailMessage`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses

LOOP = "loop"
BOUNCE = "bounce"
AUTO_SUBMITTED = "auto_submitted"
PRECEDENCE = "precedence"
X_AUTOREPLY = "x_autoreply"
X_AUTORESPOND = "x_autorespond"
AUTO_RESPONSE_SUPPRESS = "x_auto_response_suppress"
NULL_SENDER = "null_sender"
MAILER_DAEMON = "mailer_daemon"
LIST = "list"


@dataclass(frozen=True)
class Context:
    """What the rules know besides the message: our own Message-ID domain and the addresses
    we receive at (an X-Loop naming one of them is our own mail coming back)."""

    own_domain: str
    own_addresses: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rule:
    code: str
    source: str  # the standard (or the de-facto convention) the rule applies
    test: Callable[[EmailMessage, Context], bool]


def _header(message: EmailMessage, name: str) -> str:
    value = message.get(name)
    return "" if value is None else str(value).strip()


def _own_message_id(message: EmailMessage, context: Context) -> bool:
    found = re.search(r"@([^>\s]+)>?\s*$", _header(message, "Message-ID"))
    return bool(context.own_domain) and bool(found) and found[1].lower() == context.own_domain


def _x_loop_names_us(message: EmailMessage, context: Context) -> bool:
    names = {context.own_domain, *context.own_addresses} - {""}
    for value in message.get_all("X-Loop") or []:
        text = str(value).lower()
        if any(name in text for name in names):
            return True
    return False


def _loop(message: EmailMessage, context: Context) -> bool:
    return _own_message_id(message, context) or _x_loop_names_us(message, context)


def _delivery_report(message: EmailMessage, context: Context) -> bool:
    return (
        message.get_content_type() == "multipart/report"
        and message.get_param("report-type", "").lower() == "delivery-status"
    )


def _auto_submitted(message: EmailMessage, context: Context) -> bool:
    value = _header(message, "Auto-Submitted").lower()
    return bool(value) and value.split(";")[0].strip() != "no"


def _precedence(message: EmailMessage, context: Context) -> bool:
    return _header(message, "Precedence").lower() in {"bulk", "junk", "list", "auto_reply"}


def _present(name: str) -> Callable[[EmailMessage, Context], bool]:
    def test(message: EmailMessage, context: Context) -> bool:
        return bool(_header(message, name)) and _header(message, name).lower() != "no"

    return test


def _auto_response_suppress(message: EmailMessage, context: Context) -> bool:
    values = {v.strip().lower() for v in _header(message, "X-Auto-Response-Suppress").split(",")}
    return bool(values & {"all", "oof"})


def _null_sender(message: EmailMessage, context: Context) -> bool:
    return "Return-Path" in message and _header(message, "Return-Path") in {"<>", ""}


def _sender_addresses(message: EmailMessage) -> list[str]:
    values = [_header(message, name) for name in ("From", "Sender", "Return-Path")]
    return [address.lower() for _, address in getaddresses([v for v in values if v])]


def _mailer_daemon(message: EmailMessage, context: Context) -> bool:
    return any(
        address.split("@")[0] in {"mailer-daemon", "postmaster"}
        for address in _sender_addresses(message)
    )


RULES: tuple[Rule, ...] = (
    Rule(LOOP, "own Message-ID domain (RFC 5322 3.6.4) or X-Loop naming us", _loop),
    Rule(BOUNCE, "RFC 3464: multipart/report; report-type=delivery-status", _delivery_report),
    Rule(AUTO_SUBMITTED, 'RFC 3834 5: Auto-Submitted other than "no"', _auto_submitted),
    Rule(PRECEDENCE, "RFC 3834 3.1.8: Precedence bulk, junk, list or auto_reply", _precedence),
    Rule(X_AUTOREPLY, "X-Autoreply (de-facto, vacation programs)", _present("X-Autoreply")),
    Rule(X_AUTORESPOND, "X-Autorespond (de-facto, autoresponders)", _present("X-Autorespond")),
    Rule(
        AUTO_RESPONSE_SUPPRESS,
        "MS-OXCMAIL 2.2.3.2.14: X-Auto-Response-Suppress All or OOF",
        _auto_response_suppress,
    ),
    Rule(NULL_SENDER, "RFC 5321 4.5.5: empty reverse path (Return-Path: <>)", _null_sender),
    Rule(MAILER_DAEMON, "RFC 3834 2: MAILER-DAEMON or postmaster sender", _mailer_daemon),
    Rule(LIST, "RFC 2919: List-Id (mailing-list traffic)", _present("List-Id")),
)
CODES = tuple(rule.code for rule in RULES)


def automatic_reason(message: EmailMessage, context: Context) -> str:
    """The code of the first rule ``message`` matches, or "" for a message a person wrote."""
    for rule in RULES:
        if rule.test(message, context):
            return rule.code
    return ""
