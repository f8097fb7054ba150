"""Confidential documents (seed 002 art. 9): a quote or a contract flagged ``confidential``
is seen only by the staff named on it (``confidential_staff``) and by the seller's owner.

Shared by the quotes and contracts selectors (one reach rule for every screen and the API):

- :func:`visible_to` narrows a queryset of documents to those ``scope`` may read (a list);
- :func:`may_see` answers for one document (a page, a download);
- :func:`refusal` is the 403 a staff member gets on a document they may not read: it says
  the document is confidential and who may grant access, never what the document holds.

An API token names no person (its ``created_by`` is who made it, not who calls with it): a
token's scope (``user`` None) never reaches a confidential document, whatever its role.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from clausier.audit.services import record_on
from clausier.kernel.errors import DomainError
from clausier.sellers.domain import OWNER
from clausier.sellers.models import StaffMembership


def sees_everything(scope) -> bool:
    """The owner sees every confidential document of their seller (a person, not a token)."""
    return scope.user is not None and scope.role == OWNER


def visible_to(documents: QuerySet, scope) -> QuerySet:
    """``documents`` (a model with ``confidential`` and ``confidential_staff``) that
    ``scope`` may read: every one for the owner; for anyone else those not confidential and
    those naming them; for a token (no person) those not confidential."""
    if sees_everything(scope):
        return documents
    if scope.user is None:
        return documents.filter(confidential=False)
    model = documents.model
    through = model.confidential_staff.through
    named = through.objects.filter(user=scope.user).values(f"{model._meta.model_name}_id")
    return documents.filter(Q(confidential=False) | Q(pk__in=named))


def hidden_from(documents: QuerySet, scope) -> QuerySet:
    """``documents`` that ``scope`` may not read (their audit trail is kept from it too)."""
    return documents.filter(confidential=True).exclude(
        pk__in=visible_to(documents, scope).values("pk")
    )


def may_see(scope, document) -> bool:
    if not document.confidential or sees_everything(scope):
        return True
    if scope.user is None:
        return False
    return document.confidential_staff.filter(pk=scope.user.pk).exists()


def owner_names(*, seller) -> list[str]:
    """The names of the seller's owners: who may always grant access."""
    members = StaffMembership.objects.filter(seller=seller, role=OWNER).select_related("user")
    return sorted(m.user.get_full_name() or m.user.get_username() for m in members)


def staff_choices(*, seller) -> QuerySet:
    """The people who may be named on a confidential document: the seller's staff
    (``seller`` a seller or its id)."""
    return (
        get_user_model()
        .objects.filter(memberships__seller=seller)
        .order_by("last_name", "first_name", "username")
        .distinct()
    )


def refusal(*, seller, article: str = "") -> PermissionDenied:
    """The 403 of a confidential document: what it is and who may grant access."""
    where = _(" (%(article)s de vos CGV)") % {"article": article} if article else ""
    return PermissionDenied(
        _(
            "Ce document est confidentiel%(where)s : seuls le propriétaire du compte et les "
            "personnes nommées sur le document peuvent le consulter. Pour y accéder, "
            "demandez à %(who)s ou à une personne déjà autorisée de vous ajouter."
        )
        % {"where": where, "who": ", ".join(owner_names(seller=seller)) or _("le propriétaire")}
    )


def member_role(*, seller_id: int, user) -> str | None:
    membership = StaffMembership.objects.filter(seller_id=seller_id, user=user).first()
    return membership.role if membership else None


def change_refusal(document, *, by) -> str | None:
    """Why ``by`` may not change the flag or the names of ``document``, or None: the owner,
    or anyone of the seller while the document is not confidential; once confidential, the
    owner or a person already named. An API token names no person: never."""
    if not isinstance(by, AbstractBaseUser):
        return _("Seule une personne de l'équipe peut changer la confidentialité d'un document.")
    role = member_role(seller_id=document.seller_id, user=by)
    if role is None:
        return _("Vous ne faites pas partie de l'équipe de ce vendeur.")
    if (
        document.confidential
        and role != OWNER
        and not document.confidential_staff.filter(pk=by.pk).exists()
    ):
        return _(
            "Seuls le propriétaire et les personnes déjà nommées peuvent changer la "
            "confidentialité de ce document."
        )
    return None


def named_staff(*, seller_id: int, user_ids, by, confidential: bool) -> list:
    """The people named on a confidential document: each must be of the seller's staff
    (a ``ValidationError`` on ``confidential_staff`` otherwise). Whoever makes a document
    confidential without being the owner stays named (they would lose it otherwise)."""
    if not confidential:
        return []
    wanted = {int(pk) for pk in user_ids}
    found = list(staff_choices(seller=seller_id).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError(
            {"confidential_staff": _("chaque personne nommée doit faire partie de l'équipe")}
        )
    if member_role(seller_id=seller_id, user=by) != OWNER and by.pk not in wanted:
        found.append(by)
    return found


def audit_state(document) -> dict:
    """What the audit trail keeps of a document's confidentiality (data, no prose)."""
    return {
        "confidential": document.confidential,
        "confidential_staff": sorted(u.get_username() for u in document.confidential_staff.all()),
    }


def change(document, *, confidential: bool, staff_ids: Iterable[int], by, verb: str):
    """Flag ``document`` (a quote or a contract, locked by its own service's transaction)
    confidential or not and name the staff who may read it: refused to someone who may not
    change it, audited under ``verb`` when something changed."""
    if refusal := change_refusal(document, by=by):
        raise DomainError(refusal)
    staff = named_staff(
        seller_id=document.seller_id, user_ids=staff_ids, by=by, confidential=bool(confidential)
    )
    before = audit_state(document)
    document.confidential = bool(confidential)
    document.save(update_fields=["confidential", "updated_at"])
    document.confidential_staff.set(staff)
    after = audit_state(document)
    if after != before:
        record_on(obj=document, actor=by, verb=verb, before=before, after=after)
    return document
