"""Every write of login security: the second factor's enrolment, use, renewal and removal,
and the security events of the audit trail (logins, refusals, lockouts)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clausier.audit.services import record_event
from clausier.security import domain, selectors
from clausier.security.selectors import RECOVERY_NAME, TOTP_NAME


def record_security_event(
    *, user, verb: str, actor: Any = None, after: dict[str, Any] | None = None
) -> None:
    """Write ``verb`` about ``user`` in each trail their security events go to (their
    sellers', or the platform's), in one transaction."""
    with transaction.atomic():
        for seller in selectors.security_trails(user=user):
            record_event(actor=actor, seller=seller, obj=user, verb=verb, after=after)


def record_login(*, user, ip_address: str) -> None:
    record_security_event(
        user=user, actor=user, verb="login.succeeded", after={"ip_address": ip_address}
    )


def record_failed_login(*, username: str, ip_address: str) -> None:
    """A refused password for ``username``: in the trail of that person when they exist
    (an unknown name is kept by the lockout's own log only)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return
    record_security_event(user=user, verb="login.failed", after={"ip_address": ip_address})


def record_lockout(*, username: str, ip_address: str, failures: int) -> None:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return
    record_security_event(
        user=user,
        verb="login.locked_out",
        after={"ip_address": ip_address, "failures": failures},
    )


def start_enrolment(*, user) -> TOTPDevice:
    """The authenticator being enrolled: a new secret, kept unconfirmed until its first code
    is typed (the same one again while the person reloads the page)."""
    with transaction.atomic():
        pending = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False)
        device = pending.order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
        return device


def new_recovery_codes(*, user) -> list[str]:
    """Replace the person's recovery codes by :data:`domain.RECOVERY_CODE_COUNT` new ones,
    returned once (inside the caller's transaction)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(domain.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def confirm_enrolment(*, user, code: str) -> list[str] | None:
    """Confirm the authenticator being enrolled with its first ``code``: it becomes the
    person's second factor and its recovery codes are returned (to be shown once). None
    when the code is wrong (nothing changes but the device's throttle)."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None or not device.verify_token(domain.normalized_code(code)):
            return None
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(user=user)
        record_security_event(
            user=user, actor=user, verb="mfa.enrolled", after={"recovery_codes": len(codes)}
        )
        return codes


def check_code(*, user, code: str) -> TOTPDevice | StaticDevice | None:
    """The device of ``user`` that accepts ``code`` (the authenticator's code, or a recovery
    code, used up), or None. A recovery code used and a refused code are recorded."""
    code = domain.normalized_code(code)
    with transaction.atomic():
        if domain.is_totp_code(code):
            app = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            if app is not None and app.verify_token(code):
                return app
        recovery = StaticDevice.objects.select_for_update().filter(user=user).first()
        if recovery is not None and recovery.verify_token(code):
            record_security_event(
                user=user,
                actor=user,
                verb="mfa.recovery_code_used",
                after={"recovery_codes": recovery.token_set.count()},
            )
            return recovery
        record_security_event(user=user, actor=user, verb="mfa.refused")
        return None


def regenerate_recovery_codes(*, user, code: str) -> list[str] | None:
    """New recovery codes for ``user``, confirmed by a ``code`` of their authenticator (or a
    recovery code); None when the code is refused."""
    with transaction.atomic():
        if check_code(user=user, code=code) is None:
            return None
        codes = new_recovery_codes(user=user)
        record_security_event(
            user=user,
            actor=user,
            verb="mfa.recovery_codes_renewed",
            after={"recovery_codes": len(codes)},
        )
        return codes


def remove_second_factor(*, user, code: str) -> bool:
    """Remove the person's authenticator and recovery codes, confirmed by one of their codes;
    False when the code is refused."""
    with transaction.atomic():
        if check_code(user=user, code=code) is None:
            return False
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record_security_event(user=user, actor=user, verb="mfa.removed")
        return True
