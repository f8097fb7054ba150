"""The token's own seller."""

from __future__ import annotations

from ninja import Router

from clausier.sellers.schemas import SellerOut
from clausier.web.api import responses, token_of

router = Router(tags=["sellers"])


@router.get("/me", response=responses({200: SellerOut}), summary="The seller the token acts for")
def seller_me(request):
    return token_of(request).seller
