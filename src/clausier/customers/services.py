"""Writes on clients and contacts: validated, atomic, audited."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from clausier.audit.services import record_event, save_changes
from clausier.customers.models import Client, Contact
from clausier.kernel.accounts import ensure_user, login_exists
from clausier.kernel.actor import Actor
from clausier.kernel.errors import Conflict, only_fields, what_protects
from clausier.rules.identifiers import compact_identifier
from clausier.sellers.models import Seller

CLIENT_FIELDS = frozenset(
    f.name
    for f in Client._meta.get_fields()
    if getattr(f, "editable", False) and f.name not in {"id", "seller", "created_at", "updated_at"}
)
CONTACT_FIELDS = frozenset({"name", "role", "email", "phone", "is_billing"})


IDENTIFIER_FIELDS = ("siren", "vat_number")
UPPER_FIELDS = ("billing_country", "delivery_country")


def _normalized(fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` as stored: registration numbers without the spaces typed for readability,
    country codes in upper case."""
    fields = dict(fields)
    for name in IDENTIFIER_FIELDS:
        if name in fields:
            fields[name] = compact_identifier(fields[name])
    for name in UPPER_FIELDS:
        if isinstance(fields.get(name), str):
            fields[name] = fields[name].strip().upper()
    return fields


class ClientInUse(Conflict):
    """A client with documents or acceptances cannot be deleted (they are evidence)."""


@transaction.atomic
def create_client(*, seller: Seller, fields: dict[str, Any], by: Actor) -> Client:
    fields = _normalized(only_fields(fields, CLIENT_FIELDS))
    if fields.get("preferred_language") is None:
        # The language proposed for a new client of this seller.
        fields["preferred_language"] = seller.default_language
    client = Client(seller=seller, **fields)
    client.full_clean()
    client.save()
    record_event(actor=by, seller=seller, obj=client, verb="client.created", after=fields)
    return client


@transaction.atomic
def update_client(*, client: Client, fields: dict[str, Any], by: Actor) -> Client:
    client = Client.objects.select_for_update().get(pk=client.pk)
    save_changes(
        instance=client,
        fields=_normalized(only_fields(fields, CLIENT_FIELDS)),
        by=by,
        seller=client.seller,
        verb="client.updated",
    )
    return client


@transaction.atomic
def delete_client(*, client: Client, by: Actor) -> None:
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.acceptances.exists():
        raise ClientInUse(
            _(
                "Ce client a accepté des CGV : ces preuves doivent être conservées, il ne peut "
                "pas être supprimé."
            )
        )
    record_event(
        actor=by,
        seller=client.seller,
        obj=client,
        verb="client.deleted",
        before={"name": client.name},
    )
    try:
        with transaction.atomic():
            client.delete()
    except ProtectedError as protected:
        raise ClientInUse(
            _(
                "Ce client a des documents qui doivent être conservés (%(documents)s) : il ne "
                "peut pas être supprimé."
            )
            % {"documents": what_protects(protected)}
        ) from None


@transaction.atomic
def add_contact(
    *,
    client: Client,
    fields: dict[str, Any],
    by: Actor,
    user=None,
    portal_access: bool = False,
    password: str | None = None,
) -> Contact:
    """Add a contact to ``client``; with ``portal_access`` it gets its portal login in the same
    transaction (see :func:`grant_portal_access`): both, or neither."""
    contact = Contact(client=client, user=user, **only_fields(fields, CONTACT_FIELDS))
    contact.full_clean()
    contact.save()
    record_event(actor=by, seller=client.seller, obj=contact, verb="contact.created", after=fields)
    if portal_access:
        grant_portal_access(contact=contact, by=by, password=password)
    return contact


@transaction.atomic
def update_contact(*, contact: Contact, fields: dict[str, Any], by: Actor) -> Contact:
    contact = (
        Contact.objects.select_for_update().select_related("client__seller").get(pk=contact.pk)
    )
    save_changes(
        instance=contact,
        fields=only_fields(fields, CONTACT_FIELDS),
        by=by,
        seller=contact.client.seller,
        verb="contact.updated",
    )
    return contact


@transaction.atomic
def grant_portal_access(*, contact: Contact, by: Actor, password: str | None = None):
    """Give ``contact`` a portal login (username = e-mail). Without ``password`` the login gets
    a random secret nobody knows: the contact chooses a password through "Mot de passe
    oublié ou première connexion ?" (Django's reset flow only serves usable passwords)."""
    contact = (
        Contact.objects.select_for_update().select_related("client__seller").get(pk=contact.pk)
    )
    if contact.user_id is not None:
        return contact.user
    username = contact.email.lower()
    if login_exists(username=username):
        # Linking the contact to that login would hand someone else's account (another
        # client's contact, a staff member) to this client.
        raise ValidationError(
            {
                "email": _(
                    "l'adresse %(email)s est déjà l'identifiant d'une autre connexion : "
                    "donnez à ce contact une adresse qui lui est propre"
                )
                % {"email": contact.email}
            }
        )
    user = ensure_user(
        username=username,
        email=contact.email,
        password=password or secrets.token_urlsafe(32),
    )
    contact.user = user
    contact.save(update_fields=["user"])
    record_event(
        actor=by,
        seller=contact.client.seller,
        obj=contact,
        verb="contact.portal_access_granted",
        after={"username": user.get_username()},
    )
    return user


# --- suspension for non-payment (seed 002 art. 6), decided by collections ------------------


@transaction.atomic
def mark_suspended(*, client: Client, since, reason: str, by: Actor) -> Client:
    """Record that ``client`` is suspended for non-payment since ``since``; ``reason`` cites
    the clause. Quotes and orders refuse acceptances and new orders while it lasts."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    before = {"suspended_for_non_payment_since": client.suspended_for_non_payment_since}
    client.suspended_for_non_payment_since = since
    client.suspension_reason = reason[:500]
    client.save(update_fields=["suspended_for_non_payment_since", "suspension_reason"])
    record_event(
        actor=by,
        seller=client.seller,
        obj=client,
        verb="client.suspended",
        before={k: v.isoformat() if v else None for k, v in before.items()},
        after={"suspended_for_non_payment_since": since.isoformat(), "reason": reason},
    )
    return client


@transaction.atomic
def mark_resumed(*, client: Client, reason: str, by: Actor) -> Client:
    """Lift ``client``'s suspension for non-payment; ``reason`` says why (settled, staff)."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.suspended_for_non_payment_since is None:
        return client
    since = client.suspended_for_non_payment_since
    client.suspended_for_non_payment_since = None
    client.suspension_reason = ""
    client.save(update_fields=["suspended_for_non_payment_since", "suspension_reason"])
    record_event(
        actor=by,
        seller=client.seller,
        obj=client,
        verb="client.resumed",
        before={"suspended_for_non_payment_since": since.isoformat()},
        after={"suspended_for_non_payment_since": None, "reason": reason},
    )
    return client
