"""Reads about a person's login security: their roles, their second factor, the trails their
security events go to."""

from __future__ import annotations

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from clausier.customers.selectors import contact_of
from clausier.security import domain
from clausier.sellers.domain import OWNER
from clausier.sellers.models import Seller, StaffMembership

# The names of the devices clausier creates, one of each per person.
TOTP_NAME = "totp"
RECOVERY_NAME = "recovery"


def staff_roles(*, user) -> set[str]:
    """Every role ``user`` holds at any seller; a superuser acts as an owner everywhere."""
    roles = set(StaffMembership.objects.filter(user=user).values_list("role", flat=True))
    if user.is_superuser:
        roles.add(OWNER)
    return roles


def mfa_required_for(*, user) -> bool:
    return domain.mfa_required(
        roles=staff_roles(user=user), required_roles=settings.MFA_REQUIRED_ROLES
    )


def totp_device(*, user, confirmed: bool = True) -> TOTPDevice | None:
    """The person's authenticator app (``confirmed``), or the one being enrolled."""
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def recovery_device(*, user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_second_factor(*, user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(*, user) -> int:
    device = recovery_device(user=user)
    return device.token_set.count() if device is not None else 0


def session_step(*, user) -> str:
    """What a new session of ``user`` owes after the password (:mod:`.domain`)."""
    if not getattr(user, "is_authenticated", False):
        return domain.DONE
    return domain.second_factor_step(
        has_device=has_second_factor(user=user), required=mfa_required_for(user=user)
    )


def security_trails(*, user) -> list[Seller | None]:
    """The audit trails a person's security events go to: those of the sellers they work
    for, or their client's seller for a client contact; the platform's (``None``, read in
    the admin) for anyone else, a superuser for one."""
    sellers = list(Seller.objects.filter(memberships__user=user).distinct().order_by("pk"))
    if sellers:
        return sellers
    contact = contact_of(user=user)
    if contact is not None:
        return [contact.client.seller]
    return [None]
