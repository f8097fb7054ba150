"""The Standard Webhooks signature and the retry schedule, pure."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from clausier.webhooks import domain
from tests.webhooks.receiver import standard_webhooks_valid


def test_the_signature_reproduces_the_standard_webhooks_test_vector():
    # The specification's published vector (also in every Standard Webhooks library's tests).
    signature = domain.sign(
        secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        msg_id="msg_p5jXN8AQM9LWM0D4loKWxJek",
        timestamp=1614265330,
        body=b'{"test": 2432232314}',
    )
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_signed_headers_verify_with_an_independent_implementation():
    secret = domain.generate_secret()
    body = domain.encode({"type": "service.activate", "data": {"name": "Émilie"}})
    headers = domain.signed_headers(secret=secret, msg_id="msg_1", timestamp=1778572800, body=body)
    lowered = {k.lower(): v for k, v in headers.items()}
    assert lowered["webhook-id"] == "msg_1"
    assert lowered["webhook-timestamp"] == "1778572800"
    assert lowered["content-type"] == "application/json"
    assert standard_webhooks_valid(secret=secret, headers=lowered, body=body)
    assert not standard_webhooks_valid(secret=secret, headers=lowered, body=body + b" ")
    other = domain.generate_secret()
    assert not standard_webhooks_valid(secret=other, headers=lowered, body=body)


def test_a_generated_secret_is_whsec_and_32_random_bytes():
    secret = domain.generate_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert secret != domain.generate_secret()


@pytest.mark.parametrize("secret", ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_***"])
def test_a_malformed_secret_is_refused(secret):
    with pytest.raises(ValueError, match="secret"):
        domain.secret_key(secret)


def test_retries_wait_1_min_5_min_30_min_2_h_8_h_then_give_up():
    waits = [domain.retry_delay(n) for n in range(1, domain.MAX_ATTEMPTS + 1)]
    assert waits == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=8),
        None,
    ]
    assert domain.MAX_ATTEMPTS == 6


@pytest.mark.parametrize(
    ("status", "delivered"),
    [
        (200, True),
        (204, True),
        (299, True),
        (301, False),
        (404, False),
        (500, False),
        (None, False),
    ],
)
def test_only_a_2xx_answer_delivers(status, delivered):
    assert domain.is_success(status) is delivered
