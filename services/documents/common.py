"""What every bilan document shares: the organisation's branding, hours as written, the render call."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.models import Organisation
from services.pdf import PDF_UA, render_pdf

DEFAULT_COLOUR = "#1d4ed8"
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# Logos are embedded as data: URLs; only these formats, recognised by their first bytes.
_LOGO_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))
CONFIDENTIAL = "Document remis au seul bénéficiaire (article L6313-4 du Code du travail)"
FOOTER_CONFIDENTIAL = "confidentiel, remis au seul bénéficiaire (art. L6313-4 du Code du travail)"


@dataclass(frozen=True)
class Branding:
    """The organisation as its documents show it."""

    name: str
    colour: str = DEFAULT_COLOUR  # "#rrggbb"
    logo: bytes | None = None  # PNG or JPEG
    siret: str = ""
    nda_number: str = ""
    address: str = ""


def branding_of(organisation: Organisation, logo: bytes | None = None) -> Branding:
    """The branding of an organisation row (its logo, when one is stored, is passed by the caller)."""
    return Branding(
        name=organisation.name,
        colour=organisation.brand_primary_color,
        logo=logo,
        siret=organisation.siret,
        nda_number=organisation.nda_number or "",
        address=organisation.address,
    )


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def readable_colour(colour: str) -> str:
    """The brand colour, darkened until text in it on white reaches the WCAG AA contrast (4.5:1).

    Anything that is not "#rrggbb" gives the default colour (it is written into the CSS).
    """
    if not _HEX_COLOUR.fullmatch(colour or ""):
        return DEFAULT_COLOUR
    channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    while True:
        candidate = "#" + "".join(f"{value:02x}" for value in channels)
        if 1.05 / (_luminance(candidate) + 0.05) >= 4.5:
            return candidate
        channels = [int(value * 0.9) for value in channels]


def logo_data_url(logo: bytes | None) -> str:
    """A ``data:`` URL of a PNG or JPEG logo; "" for anything else (or no logo)."""
    if not logo:
        return ""
    for signature, mime in _LOGO_SIGNATURES:
        if logo.startswith(signature):
            return f"data:{mime};base64,{base64.b64encode(logo).decode('ascii')}"
    return ""


def brand_context(branding: Branding) -> dict[str, str]:
    return {
        "name": branding.name,
        "colour": readable_colour(branding.colour),
        "logo": logo_data_url(branding.logo),
        "siret": branding.siret,
        "nda_number": branding.nda_number,
        "address": branding.address,
    }


def format_hours(minutes: int) -> str:
    """A duration as written in French documents: "24 h", "22 h 30", "0 h 45"."""
    hours, rest = divmod(max(0, int(minutes)), 60)
    return f"{hours}\u00a0h" + (f"\u00a0{rest:02d}" if rest else "")


def render_document(template: str, context: dict[str, Any], *, created: datetime) -> bytes:
    """A tagged PDF/UA document; ``created`` (aware) is its date, so the same input gives the same bytes."""
    if created.tzinfo is None:
        raise ValueError("created must be timezone-aware")
    return render_pdf(template, {**context, "created": created}, variant=PDF_UA)
