"""Reads scoped to the user asking. Anything outside the user's sellers is a 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from clausier.sellers.domain import OWNER, role_can
from clausier.sellers.models import Seller, StaffMembership


@dataclass(frozen=True)
class StaffScope:
    """A user acting for one seller, with the role they hold there."""

    user: object
    seller: Seller
    role: str

    def can(self, permission: str) -> bool:
        return role_can(self.role, permission)


@dataclass(frozen=True, slots=True)
class DocumentFilters:
    """What a list of a seller's documents (quotes, orders) is narrowed to: ``search`` (part
    of its number or of its client's name), ``status`` (one of its statuses, "" for all) and
    ``client_id``."""

    search: str = ""
    status: str = ""
    client_id: int | None = None

    def narrow(self, documents: QuerySet, *, number: str = "number") -> QuerySet:
        """``documents`` whose ``number`` field or client's name holds ``search``, of the
        client ``client_id``; the status is the caller's, read with the seller's documents."""
        if self.search:
            documents = documents.filter(
                Q(**{f"{number}__icontains": self.search}) | Q(client__name__icontains=self.search)
            )
        if self.client_id is not None:
            documents = documents.filter(client_id=self.client_id)
        return documents


def sellers_for_user(*, user) -> QuerySet[Seller]:
    if not user.is_authenticated:
        return Seller.objects.none()
    if user.is_superuser:
        return Seller.objects.all()
    return Seller.objects.filter(memberships__user=user).distinct()


def staff_scope(*, user, seller_slug: str) -> StaffScope:
    """The user's scope at ``seller_slug``; 404 when they are not staff there."""
    if not user.is_authenticated:
        raise Http404
    if user.is_superuser:
        seller = Seller.objects.filter(slug=seller_slug).first()
        if seller is None:
            raise Http404
        return StaffScope(user=user, seller=seller, role=OWNER)
    membership = (
        StaffMembership.objects.select_related("seller")
        .filter(user=user, seller__slug=seller_slug)
        .first()
    )
    if membership is None:
        raise Http404
    return StaffScope(user=user, seller=membership.seller, role=membership.role)


def is_staff_anywhere(*, user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or StaffMembership.objects.filter(user=user).exists()
    )
