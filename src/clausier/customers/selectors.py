"""Reads of clients, scoped to a staff member's seller or to a portal contact's client."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from clausier.customers.models import Client, ClientKind, Contact
from clausier.sellers.selectors import StaffScope


@dataclass(frozen=True, slots=True)
class ClientFilters:
    """What a list of clients is narrowed to: ``q`` searches the name, the e-mail, the
    billing city and the start of the SIREN; ``kind`` is a :class:`ClientKind` value ("" for
    every kind). The API builds it; the back-office still calls :func:`clients_for_scope`,
    which builds it too."""

    q: str = ""
    kind: str = ""


def client_list(*, scope: StaffScope, filters: ClientFilters) -> QuerySet[Client]:
    """The scope's seller's clients narrowed by ``filters`` (unordered: the caller sorts)."""
    clients = Client.objects.filter(seller=scope.seller)
    if filters.q:
        q = filters.q
        clients = clients.filter(
            Q(name__icontains=q)
            | Q(email__icontains=q)
            | Q(siren__startswith=q.replace(" ", ""))
            | Q(billing_city__icontains=q)
        )
    if filters.kind:
        if filters.kind not in ClientKind.values:
            raise ValueError(
                f"kind: unknown client kind {filters.kind!r}; expected one of {ClientKind.values}"
            )
        clients = clients.filter(kind=filters.kind)
    return clients


def clients_for_scope(*, scope: StaffScope, q: str = "", kind: str = "") -> QuerySet[Client]:
    """:func:`client_list` with its filters as keywords."""
    return client_list(scope=scope, filters=ClientFilters(q=q, kind=kind))


def client_for_scope(*, scope: StaffScope, client_id: int) -> Client:
    return get_object_or_404(Client.objects.filter(seller=scope.seller, pk=client_id))


def client_named(*, scope: StaffScope, client_id: int) -> Client:
    """The client an input names by its id: an unknown one is an invalid ``client_id`` (a
    ``ValidationError``), not a missing page (404)."""
    try:
        return client_for_scope(scope=scope, client_id=client_id)
    except Http404:
        raise ValidationError({"client_id": "unknown client"}) from None


def portal_contact(*, user) -> Contact:
    """The contact a portal user logs in as; 404 for anyone else."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        Contact.objects.select_related("client", "client__seller").filter(user=user)
    )


def contact_of(*, user) -> Contact | None:
    """The client contact ``user`` logs in as, with its client and seller; None for staff."""
    return Contact.objects.select_related("client__seller").filter(user=user).first()


def is_portal_user(*, user) -> bool:
    """Whether ``user`` logs in as a client contact (to the portal)."""
    return user.is_authenticated and Contact.objects.filter(user=user).exists()


def contact_for_client(*, client: Client, contact_id: int) -> Contact:
    return get_object_or_404(client.contacts.filter(pk=contact_id))


def contacts_for_client(*, client: Client) -> QuerySet[Contact]:
    return client.contacts.select_related("user")


def document_language(*, client: Client) -> str:
    """The language of ``client``'s documents and e-mails: its preference, else its seller's
    default language (``Seller.default_language``), else the site's."""
    language = client.preferred_language or client.seller.default_language
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def suspension_refusal(*, client: Client) -> str:
    """Why ``client`` may not accept a quote nor place an order now: it is suspended for
    non-payment (seed 002 art. 6: « surseoir à toute nouvelle commande »), citing the clause;
    ``""`` when it is not."""
    if client.suspended_for_non_payment_since is None:
        return ""
    return _(
        "Commandes suspendues pour impayé (%(clause)s) : le client doit d'abord régler ses "
        "factures en retard."
    ) % {"clause": client.suspension_reason or _("CGV, conséquences du retard de paiement")}
