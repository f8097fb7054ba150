"""The seller's settings screen: the owner edits identity, tax, bank, branding and numbering;
every other role is refused; a refused value changes nothing; the next invoice prints the new
identity, the issued one keeps its own."""

from __future__ import annotations

import io
import re
import struct
import zlib

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clausier.audit.models import Event
from clausier.invoicing.delivery import render_pdf
from clausier.sellers.domain import SETTINGS_FIELDS
from clausier.sellers.models import Role, Seller
from tests.factories import make_client, make_staff
from tests.factories.invoicing import invoicing_seller, issued

pytestmark = pytest.mark.django_db


def png(width: int = 2, height: int = 2) -> bytes:
    """A whole PNG image (RGB, white), as a file a logo upload carries."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def settings_url(seller: Seller) -> str:
    return reverse("backoffice:settings", kwargs={"slug": seller.slug})


def form_data(seller: Seller, **changes) -> dict:
    """What the settings form posts when nothing is touched but ``changes``."""
    data = {name: getattr(seller, name) for name in SETTINGS_FIELDS}
    data = {k: "" if v is None else str(v) for k, v in data.items()}
    return data | changes


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return re.sub(r"[ \u00a0\u202f]+", " ", "\n".join(p.extract_text() for p in reader.pages))


@pytest.fixture
def shop():
    return invoicing_seller("boutique")


def test_the_owner_changes_the_identity_and_it_is_audited(client, shop):
    owner = make_staff(shop, Role.OWNER)
    client.force_login(owner)
    page = client.get(settings_url(shop))
    assert page.status_code == 200
    html = page.content.decode()
    assert "C. com. art. R123-237" in html
    assert "242 nonies A" in html
    assert "293 B" in html

    response = client.post(
        settings_url(shop),
        form_data(
            shop,
            legal_name="Boutique Atlantique SAS",
            share_capital="15000",
            rcs_city="Nantes",
            iban="FR7630006000011234567890189",
            invoice_prefix="FA",
        ),
    )
    assert response.status_code == 302
    shop.refresh_from_db()
    assert (shop.legal_name, str(shop.share_capital), shop.rcs_city, shop.invoice_prefix) == (
        "Boutique Atlantique SAS",
        "15000.00",
        "Nantes",
        "FA",
    )
    event = Event.objects.filter(seller=shop, verb="seller.settings_updated").get()
    assert event.actor == owner
    assert event.summary["after"]["legal_name"] == "Boutique Atlantique SAS"
    assert event.summary["before"]["invoice_prefix"] == "F"
    assert set(event.summary["after"]) == {
        "legal_name",
        "share_capital",
        "rcs_city",
        "iban",
        "invoice_prefix",
    }


@pytest.mark.parametrize("role", [r for r in Role if r != Role.OWNER])
def test_every_other_role_is_refused(client, shop, role):
    client.force_login(make_staff(shop, role))
    assert client.get(settings_url(shop)).status_code == 403
    response = client.post(settings_url(shop), form_data(shop, legal_name="Pirate SAS"))
    assert response.status_code == 403
    shop.refresh_from_db()
    assert shop.legal_name != "Pirate SAS"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siren", "524172698", "clé de contrôle invalide"),
        ("iban", "FR7630006000011234567890180", "IBAN"),
        ("brand_color", "bleu", "#RRVVBB"),
        ("share_capital", "-100", "négatif"),
    ],
)
def test_an_invalid_value_is_named_next_to_its_field_and_changes_nothing(
    client, shop, field, value, message
):
    client.force_login(make_staff(shop, Role.OWNER))
    before = Seller.objects.filter(pk=shop.pk).values().get()
    response = client.post(
        settings_url(shop), form_data(shop, legal_name="Autre nom SAS", **{field: value})
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert Seller.objects.filter(pk=shop.pk).values().get() == before
    assert not Event.objects.filter(seller=shop, verb="seller.settings_updated").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a" + b"\x00" * 40, "doit être une image PNG ou JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "illisible"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (512 * 1024 + 1), "512 Ko"),
    ],
)
def test_a_logo_that_is_not_a_small_png_or_jpeg_is_refused(client, shop, content, message):
    client.force_login(make_staff(shop, Role.OWNER))
    upload = SimpleUploadedFile("logo.png", content, "image/png")
    response = client.post(
        settings_url(shop), form_data(shop, legal_name="Autre nom SAS") | {"logo": upload}
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["logo"])
    shop.refresh_from_db()
    assert not shop.logo
    assert shop.legal_name != "Autre nom SAS"


def test_a_png_logo_is_stored_and_can_be_removed(client, shop):
    client.force_login(make_staff(shop, Role.OWNER))
    upload = SimpleUploadedFile("logo.png", png(), "image/png")
    assert client.post(settings_url(shop), form_data(shop) | {"logo": upload}).status_code == 302
    shop.refresh_from_db()
    assert shop.logo.read() == png()
    data = form_data(shop) | {"remove_logo": "on"}
    assert client.post(settings_url(shop), data).status_code == 302
    shop.refresh_from_db()
    assert not shop.logo


def test_the_next_invoice_prints_the_new_identity_the_issued_one_keeps_its_own(client, shop):
    buyer = make_client(shop, "company", siren="552081317")
    before = issued(shop, buyer, days=2)
    client.force_login(make_staff(shop, Role.OWNER))
    changes = {
        "legal_name": "Boutique Atlantique",
        "legal_form": "SARL",
        "share_capital": "8000",
        "rcs_city": "Saint-Nazaire",
        "address_line1": "3 quai Demange",
    }
    assert client.post(settings_url(shop), form_data(shop, **changes)).status_code == 302
    after = issued(shop, buyer, days=0)

    new = pdf_text(render_pdf(after))
    assert "Boutique Atlantique" in new
    assert "SARL au capital de 8 000,00 €" in new
    assert "RCS Saint-Nazaire" in new
    assert "3 quai Demange" in new
    old = pdf_text(render_pdf(before))
    assert "Boutique Atlantique" not in old
    assert "3 quai Demange" not in old


def test_a_demo_identity_is_shown_as_fictitious_until_the_owner_writes_a_real_one(client, shop):
    from clausier.sellers.services import upsert_seller

    upsert_seller(slug=shop.slug, fields={"demo_identity": True}, by=None)
    client.force_login(make_staff(shop, Role.OWNER))
    assert "Données fictives de démonstration" in client.get(settings_url(shop)).content.decode()
    # A change of branding alone leaves the identity fictitious.
    branding = form_data(shop, brand_color="#123456")
    assert client.post(settings_url(shop), branding).status_code == 302
    shop.refresh_from_db()
    assert shop.demo_identity
    response = client.post(settings_url(shop), form_data(shop, siren="552081317"))
    assert response.status_code == 302
    shop.refresh_from_db()
    assert (shop.siren, shop.demo_identity) == ("552081317", False)
    assert "Données fictives" not in client.get(settings_url(shop)).content.decode()
