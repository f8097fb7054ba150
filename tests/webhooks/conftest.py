"""Webhook fixtures: a seller with an endpoint, and a real HTTP receiver."""

from __future__ import annotations

import pytest

from clausier.webhooks import services
from tests.factories import make_seller, make_staff
from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


@pytest.fixture
def seller(db):
    return make_seller("paas-host")


@pytest.fixture
def staff(seller):
    return make_staff(seller)


@pytest.fixture
def endpoint(seller, staff, receiver):
    return services.create_endpoint(
        seller=seller, url=receiver.url, events=["service.activate"], by=staff
    )


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
