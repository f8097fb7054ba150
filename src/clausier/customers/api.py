"""Clients of the token's seller: list, create, read, update, delete."""

from __future__ import annotations

from ninja import Query, Router, Status

from clausier.customers import selectors, services
from clausier.customers.schemas import (
    ClientIn,
    ClientKindName,
    ClientOut,
    ClientPage,
    ClientPatch,
)
from clausier.sellers.access import api_scope
from clausier.web.api import Paging, Text, responses, token_of

router = Router(tags=["clients"])


@router.get("", response=responses({200: ClientPage}, 422), summary="List clients (paginated)")
def list_clients(
    request,
    paging: Query[Paging],
    kind: ClientKindName | None = None,
    q: Text = "",
):
    filters = selectors.ClientFilters(q=q.strip(), kind=kind or "")
    clients = selectors.client_list(scope=api_scope(request), filters=filters)
    return paging.page(clients)


@router.post("", response=responses({201: ClientOut}, 400, 422), summary="Create a client")
def create_client(request, payload: ClientIn):
    token = token_of(request)
    client = services.create_client(
        seller=token.seller, fields=payload.model_dump(exclude_unset=True), by=token
    )
    return Status(201, client)


@router.get("/{client_id}", response=responses({200: ClientOut}, 404), summary="Read a client")
def get_client(request, client_id: int):
    return selectors.client_for_scope(scope=api_scope(request), client_id=client_id)


@router.patch(
    "/{client_id}",
    response=responses({200: ClientOut}, 400, 404, 422),
    summary="Update some fields of a client",
)
def update_client(request, client_id: int, payload: ClientPatch):
    client = selectors.client_for_scope(scope=api_scope(request), client_id=client_id)
    return services.update_client(
        client=client, fields=payload.model_dump(exclude_unset=True), by=token_of(request)
    )


@router.delete(
    "/{client_id}",
    response=responses({204: None}, 404, 409),
    summary="Delete a client (409 once it has accepted terms: evidence is kept)",
)
def delete_client(request, client_id: int):
    client = selectors.client_for_scope(scope=api_scope(request), client_id=client_id)
    services.delete_client(client=client, by=token_of(request))
    return Status(204, None)
