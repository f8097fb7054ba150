"""Withdrawal fixtures: the PaaS host's consumer's portal login, mail and tasks run at once
on a real SMTP server."""

from __future__ import annotations

import pytest

from tests.factories import make_contact


@pytest.fixture
def consumer_login(paas_consumer):
    return make_contact(
        paas_consumer, name="Émilie Durand", email="emilie.durand@example.test"
    ).user


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
