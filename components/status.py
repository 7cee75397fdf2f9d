"""Status badges: a tone (colour), a lucide icon and the words, never the colour alone.

``STATUSES`` is the one mapping from a status to its tone and icon; a screen asks for
``status_badge("bilan", row["status"])`` and gets the same badge as every other screen.
"""

from __future__ import annotations

import reflex as rx

from components.i18n import label

# tone → Radix colour; soft badges print step-12 text (assets/styles.css), above 4.5:1 in every tone.
TONES: dict[str, str] = {
    "neutral": "gray",
    "info": "blue",
    "progress": "indigo",
    "success": "green",
    "warning": "amber",
    "danger": "red",
}
TONE_ICONS: dict[str, str] = {
    "neutral": "circle-dashed",
    "info": "info",
    "progress": "circle-dot",
    "success": "circle-check",
    "warning": "triangle-alert",
    "danger": "circle-x",
}

# kind → (catalogue prefix of the words, {status value: (tone, icon)})
STATUSES: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "bilan": (
        "bilanstatus.",
        {
            "demande": ("info", "inbox"),
            "preliminaire": ("progress", "compass"),
            "investigation": ("progress", "search"),
            "conclusion": ("progress", "flag"),
            "suivi": ("info", "calendar-check"),
            "termine": ("success", "circle-check"),
            "abandonne": ("neutral", "circle-slash"),
            "annule": ("neutral", "ban"),
        },
    ),
    "session": (
        "sessionstatus.",
        {
            "planned": ("info", "calendar"),
            "recorded": ("warning", "hourglass"),
            "held": ("success", "circle-check"),
            "cancelled": ("neutral", "ban"),
        },
    ),
    "convention": (
        "convention.status.",
        {
            "awaiting_signatures": ("warning", "clock"),
            "signed": ("success", "circle-check"),
            "expired": ("neutral", "circle-x"),
            "cancelled": ("neutral", "circle-x"),
        },
    ),
    "mail": (
        "mailstatus.",
        {
            "pending": ("info", "clock"),
            "sent": ("success", "send"),
            "outbox": ("neutral", "inbox"),
            "failed": ("danger", "circle-x"),
            "sending": ("info", "send"),
            "uncertain": ("warning", "circle-alert"),
        },
    ),
    "invitation": (
        "status.",
        {"pending": ("info", "mail"), "expired": ("warning", "clock"), "accepted": ("success", "circle-check")},
    ),
    "proposal": (
        "llm.status.",
        {
            "proposed": ("warning", "sparkles"),
            "accepted": ("success", "check"),
            "edited": ("success", "pencil"),
            "rejected": ("neutral", "x"),
        },
    ),
    "action": (
        "action_plan.status.",
        {
            "a_faire": ("neutral", "circle"),
            "en_cours": ("info", "circle-dot"),
            "faite": ("success", "circle-check"),
            "abandonnee": ("neutral", "circle-slash"),
        },
    ),
    "synthese": ("synthese.status.", {"draft": ("neutral", "pencil"), "validated": ("success", "lock")}),
    "account": ("status.", {"active": ("success", "circle-check"), "inactive": ("neutral", "circle-slash")}),
}


def tone_badge(text: rx.Var | str, tone: str = "neutral", icon: str | None = None, **props: object) -> rx.Component:
    """A badge of one tone; ``icon`` defaults to the tone's."""
    return rx.badge(
        rx.icon(icon or TONE_ICONS[tone], size=14, aria_hidden="true"),
        text,
        color_scheme=TONES[tone],  # type: ignore[arg-type]
        variant="soft",
        class_name=f"status-badge {props.pop('class_name', '')}".strip(),
        **props,
    )


def status_badge(kind: str, status: rx.Var, text: rx.Var | None = None, **props: object) -> rx.Component:
    """The badge of a status held in a var; ``text`` overrides the catalogue's words (a display-ready label)."""
    prefix, styles = STATUSES[kind]
    words = text if text is not None else label(prefix, status)
    cases = [(value, tone_badge(words, tone, icon, **props)) for value, (tone, icon) in styles.items()]
    return rx.match(status.to(str), *cases, tone_badge(words, "neutral", **props))
