"""API tokens: created with a secret shown once, stored as SHA-256 only."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from clausier.api.models import ApiToken
from clausier.audit.services import record_event, record_on
from clausier.kernel.actor import Actor
from clausier.sellers.models import Seller

TOKEN_PREFIX = "clsr_"


def hash_token(*, secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def create_token(*, seller: Seller, name: str, by: Actor) -> tuple[ApiToken, str]:
    """A new token and its secret (``clsr_<prefix>_<random>``); the secret is not stored."""
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        seller=seller, name=name, prefix=prefix, token_sha256=hash_token(secret=secret)
    )
    token.created_by = by if getattr(by, "is_authenticated", False) else None
    token.full_clean()
    token.save()
    record_event(actor=by, seller=seller, obj=token, verb="api_token.created", after={"name": name})
    return token, secret


@transaction.atomic
def revoke_token(*, token: ApiToken, by: Actor) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_on(obj=token, actor=by, verb="api_token.revoked")
    return token


def authenticate(*, secret: str) -> ApiToken | None:
    """The live token for ``secret``, or None. Updates its last use (at most once a minute)."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("seller")
        .filter(token_sha256=hash_token(secret=secret), revoked_at__isnull=True)
        .first()
    )
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
