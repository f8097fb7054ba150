"""The second factor as shown: the authenticator's secret as a QR code (inline SVG, drawn
on the server) and as text, grouped by four for reading aloud."""

from __future__ import annotations

import io
from base64 import b32encode

import segno
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice


def secret_text(device: TOTPDevice) -> str:
    """The secret in base 32 as authenticator apps take it, in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice, *, title: str) -> SafeString:
    """The device's otpauth:// address as an SVG QR code (no external file, no script)."""
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        buffer,
        kind="svg",
        scale=5,
        border=2,
        xmldecl=False,
        svgns=True,
        title=title,
        svgclass="qr-code",
        lineclass=None,
    )
    return mark_safe(buffer.getvalue().decode("utf-8"))
