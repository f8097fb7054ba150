"""Reads of clients, scoped to a staff member's seller or to a portal contact's client."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from clausier.customers.models import Client, ClientKind, Contact
from clausier.sellers.selectors import StaffScope


def clients_for_scope(*, scope: StaffScope, q: str = "", kind: str = "") -> QuerySet[Client]:
    clients = Client.objects.filter(seller=scope.seller)
    if q:
        clients = clients.filter(
            Q(name__icontains=q)
            | Q(email__icontains=q)
            | Q(siren__startswith=q.replace(" ", ""))
            | Q(billing_city__icontains=q)
        )
    if kind:
        if kind not in ClientKind.values:
            raise ValueError(
                f"kind: unknown client kind {kind!r}; expected one of {ClientKind.values}"
            )
        clients = clients.filter(kind=kind)
    return clients


def client_for_scope(*, scope: StaffScope, client_id: int) -> Client:
    client = Client.objects.filter(seller=scope.seller, pk=client_id).first()
    if client is None:
        raise Http404
    return client


def portal_contact(*, user) -> Contact:
    """The contact a portal user logs in as; 404 for anyone else."""
    if not user.is_authenticated:
        raise Http404
    contact = Contact.objects.select_related("client", "client__seller").filter(user=user).first()
    if contact is None:
        raise Http404
    return contact


def is_portal_user(*, user) -> bool:
    """Whether ``user`` logs in as a client contact (to the portal)."""
    return user.is_authenticated and Contact.objects.filter(user=user).exists()


def contact_for_client(*, client: Client, contact_id: int) -> Contact:
    contact = client.contacts.filter(pk=contact_id).first()
    if contact is None:
        raise Http404
    return contact


def contacts_for_client(*, client: Client) -> QuerySet[Contact]:
    return client.contacts.select_related("user")
