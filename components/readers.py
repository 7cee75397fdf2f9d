"""Pieces of the pages that the beneficiary and her bilan's followers both open (the action plan, the
skills map): one page, two readers, each with her own way back."""

from __future__ import annotations

import reflex as rx


def back_links(follower: rx.Var, for_follower: rx.Component, for_beneficiary: rx.Component) -> rx.Component:
    """Where the reader goes back to: the bilan's pages for a follower, her own space for the beneficiary.
    Not printed."""
    return rx.flex(rx.cond(follower, for_follower, for_beneficiary), gap="1.25rem", wrap="wrap", class_name="no-print")
