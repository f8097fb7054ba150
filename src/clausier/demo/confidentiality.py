"""The agency's confidentiality (seed 002 art. 9): one sent quote kept confidential, its
salesperson named on it (the owner sees it too, the rest of the team does not), and one
confidentiality agreement signed with the company client, its PDF stored. Through the
services; each looks up before it writes, so loading twice changes nothing."""

from __future__ import annotations

import io
from datetime import timedelta

import pypdf
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from clausier.contracts import services
from clausier.contracts.models import Nda
from clausier.customers.models import Client
from clausier.demo.stories import today
from clausier.quotes import services as quote_services
from clausier.quotes.models import Quote, QuoteStatus
from clausier.sellers.models import Seller

NDA_TITLE = "Refonte de la boutique en ligne (maquettes et données clients)"


def agency_confidentiality(seller: Seller, *, prefix: str) -> None:
    _confidential_quote(seller, prefix=prefix)
    _signed_nda(seller, prefix=prefix)


def _confidential_quote(seller: Seller, *, prefix: str) -> None:
    if Quote.objects.filter(seller=seller, confidential=True).exists():
        return
    quote = Quote.objects.filter(seller=seller, status=QuoteStatus.SENT).order_by("-id").first()
    if quote is None:
        return
    users = get_user_model().objects
    quote_services.set_confidentiality(
        quote=quote,
        confidential=True,
        staff_ids=[users.get(username=f"{prefix}-sales").pk],
        by=users.get(username=f"{prefix}-owner"),
    )


def _pdf(title: str) -> ContentFile:
    """The signed agreement as its scan would come: a real one-page A4 PDF (blank, as a scan
    holds no text), titled."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": f"Accord de confidentialité : {title}"})
    out = io.BytesIO()
    writer.write(out)
    return ContentFile(out.getvalue(), name="accord-de-confidentialite.pdf")


def _signed_nda(seller: Seller, *, prefix: str) -> None:
    if Nda.objects.filter(seller=seller, title=NDA_TITLE).exists():
        return
    client = Client.objects.filter(seller=seller, kind="company").order_by("id").first()
    if client is None:
        return
    signed = today() - timedelta(days=20)
    services.record_signed_nda(
        client=client,
        title=NDA_TITLE,
        scope="Maquettes, cahier des charges et fichier clients transmis pour le projet.",
        file=_pdf(NDA_TITLE),
        signed_on=signed,
        effective_from=signed,
        effective_until=None,
        by=get_user_model().objects.get(username=f"{prefix}-owner"),
    )
