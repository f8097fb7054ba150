"""The threading helpers other apps use: a message's thread keys, a ticket token in a
subject, and the headers of a threaded answer."""

from __future__ import annotations

import re

from clausier.inbox.models import InboundMessage
from clausier.inbox.outgoing import new_message_id, reply_headers
from clausier.inbox.threading import msg_ids, subject_token, thread_keys

TOKEN = r"\[#(T-\d{4}-\d{6})\]"


def message(**fields) -> InboundMessage:
    return InboundMessage(**fields)


def test_thread_keys_are_the_message_id_in_reply_to_then_references_each_once():
    reply = message(
        message_id_header="<3@a>",
        in_reply_to="<2@clausier.test>",
        references=["<1@a>", "<2@clausier.test>"],
    )
    assert thread_keys(reply) == ("<3@a>", "<2@clausier.test>", "<1@a>")
    assert thread_keys(message(message_id_header="", in_reply_to="", references=[])) == ()


def test_msg_ids_reads_folded_headers_in_order():
    assert msg_ids("<a@x>\r\n <b@y>  <a@x>") == ["<a@x>", "<b@y>"]
    assert msg_ids(None) == []


def test_subject_token_finds_the_caller_s_token():
    assert subject_token("Re: [#T-2026-000123] Site inaccessible", TOKEN) == "T-2026-000123"
    assert subject_token("Re: Site inaccessible", TOKEN) is None
    assert subject_token(None, TOKEN) is None
    assert subject_token("Fwd: [#T-2026-000001]", re.compile(r"T-\d{4}-\d{6}")) == "T-2026-000001"


def test_a_new_message_id_is_unique_and_in_our_domain():
    first, second = new_message_id("clausier.test"), new_message_id("clausier.test")
    assert first != second
    assert first.startswith("<")
    assert first.endswith("@clausier.test>")


def test_reply_headers_thread_the_answer_under_the_message():
    received = message(
        message_id_header="<3@a>",
        in_reply_to="<2@clausier.test>",
        references=["<1@a>", "<2@clausier.test>"],
    )
    assert reply_headers(to=received, own_message_id="<4@clausier.test>") == {
        "Message-ID": "<4@clausier.test>",
        "In-Reply-To": "<3@a>",
        "References": "<1@a> <2@clausier.test> <3@a>",
    }


def test_a_first_message_has_only_its_message_id():
    assert reply_headers(to=None, own_message_id="<4@clausier.test>") == {
        "Message-ID": "<4@clausier.test>"
    }


def test_a_message_that_only_answers_gets_it_in_its_references():
    received = message(message_id_header="<3@a>", in_reply_to="<2@b>", references=[])
    assert reply_headers(to=received, own_message_id="<4@c>")["References"] == "<2@b> <3@a>"


def test_a_long_thread_keeps_its_root_and_the_latest_references():
    received = message(
        message_id_header="<99@a>", in_reply_to="", references=[f"<{n}@a>" for n in range(40)]
    )
    references = reply_headers(to=received, own_message_id="<x@c>")["References"].split()
    assert len(references) == 20
    assert references[0] == "<0@a>"
    assert references[-1] == "<99@a>"
