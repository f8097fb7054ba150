"""The seller's catalog: products with their price in force, HT and, when the seller states
prices TTC, TTC with its "pourquoi ?". Read through ``catalog.selectors``."""

from __future__ import annotations

from decimal import Decimal

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse

from clausier.catalog import domain as catalog_domain
from clausier.catalog import selectors as catalog_selectors
from clausier.sellers.access import render_staff, staff_view
from clausier.sellers.selectors import StaffScope

PRODUCTS_PER_PAGE = 50


@staff_view("catalog.view")
def catalog(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:100]
    archived = request.GET.get("archived") == "1"
    products = catalog_selectors.products_for_seller(
        seller=scope.seller, q=q, active_only=not archived, archived_only=archived
    ).order_by("name", "id")
    page = Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    show_ttc = catalog_selectors.shows_ttc(seller=scope.seller)
    rows = []
    for product in page.object_list:
        ht = product.current_price_ht
        ttc = None
        if ht is not None and show_ttc:
            ttc = catalog_domain.price_ttc(
                unit_price_ht=catalog_domain.tidy(Decimal(ht)),
                vat_rate=catalog_domain.tidy(product.vat_rate),
            )
        rows.append(
            {
                "product": product,
                "unit": catalog_domain.unit_words(product.unit, product.metered_unit),
                "ht": catalog_domain.tidy(Decimal(ht)) if ht is not None else None,
                "ttc": ttc,
            }
        )
    return render_staff(
        request,
        scope,
        "catalog/backoffice/catalog.html",
        {
            "page": page,
            "rows": rows,
            "q": q,
            "archived": archived,
            "show_ttc": show_ttc,
            "filtered": bool(q),
        },
    )
