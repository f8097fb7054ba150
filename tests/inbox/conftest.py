"""Inbox fixtures: the seller's support mailbox, our own Message-ID domain."""

from __future__ import annotations

import pytest

from tests.factories.inbox import make_mailbox


@pytest.fixture(autouse=True)
def _own_domain(settings):
    settings.INBOX_MESSAGE_ID_DOMAIN = "clausier.test"


@pytest.fixture
def mailbox(seller):
    return make_mailbox(seller)
