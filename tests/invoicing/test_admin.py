"""The admin shows invoices and never changes them: they change through the services."""

from __future__ import annotations

import pytest

from tests.factories import make_draft_invoice, make_issued_invoice, make_user
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def test_issued_invoices_are_shown_read_only(admin_client, shop, shopper):
    invoice = make_issued_invoice(shop, shopper, now=paris(2026, 5, 22, 10))
    listing = admin_client.get("/admin/invoicing/invoice/")
    assert listing.status_code == 200
    assert "F2026-000001" in listing.content.decode()
    page = admin_client.get(f"/admin/invoicing/invoice/{invoice.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.get("/admin/invoicing/invoice/add/").status_code == 403
    delete = admin_client.post(f"/admin/invoicing/invoice/{invoice.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403


def test_drafts_are_not_edited_in_the_admin_either(admin_client, shop, shopper):
    draft = make_draft_invoice(shop, shopper)
    page = admin_client.get(f"/admin/invoicing/invoice/{draft.pk}/change/")
    assert 'name="_save"' not in page.content.decode()
