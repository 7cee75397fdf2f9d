"""The page's building blocks: header (title, breadcrumb, actions), sections, cards, definition lists and lists.

Every screen composes these, so that spacing, hierarchy and landmarks are the same everywhere; the
look itself lives in assets/styles.css (the ``bc-`` custom properties).
"""

from __future__ import annotations

import reflex as rx

from components.i18n import t

Text = rx.Var | str
Crumb = tuple[Text, Text]  # (label, href); the last crumb is the current page and gets no link


def page_title(title: Text) -> rx.Component:
    """The page's one h1."""
    return rx.heading(title, as_="h1", size="7", class_name="page-title")


def breadcrumb(*crumbs: Crumb) -> rx.Component:
    """Where the page sits: links to its parents, the current page last (aria-current)."""
    items = [rx.el.li(rx.link(text, href=href)) for text, href in crumbs[:-1]]
    if crumbs:
        items.append(rx.el.li(rx.el.span(crumbs[-1][0], aria_current="page")))
    return rx.el.nav(rx.el.ol(*items), aria_label=t("layout.breadcrumb"), class_name="breadcrumb")


def page_header(
    title: Text | rx.Component,
    *,
    lead: Text | rx.Component | None = None,
    crumbs: tuple[Crumb, ...] = (),
    actions: tuple[rx.Component, ...] = (),
) -> rx.Component:
    """Breadcrumb, h1 and lead on the left, the page's primary actions on the right (below on a phone)."""
    heading = title if isinstance(title, rx.Component) else page_title(title)
    lead_part: list[rx.Component] = []
    if lead is not None:
        lead_part.append(lead if isinstance(lead, rx.Component) else rx.text(lead, class_name="page-lead"))
    return rx.box(
        breadcrumb(*crumbs) if crumbs else rx.fragment(),
        rx.box(
            rx.box(heading, *lead_part, class_name="page-header-text"),
            rx.box(*actions, class_name="page-actions") if actions else rx.fragment(),
            class_name="page-header-row",
        ),
        class_name="page-header",
    )


HEADING_SIZES: dict[int, str] = {2: "5", 3: "4", 4: "3"}


def section(
    heading_id: str | rx.Var,
    title: Text | rx.Component,
    *children: rx.Component,
    level: int = 2,
    surface: bool = True,
    class_name: Text = "",
    focusable_heading: bool = False,
    **props: object,
) -> rx.Component:
    """A titled part of the page (``<section aria-labelledby>``).

    ``title``: words, or a ready heading carrying ``heading_id``.

    ``level``: 2 for a part of the page, 3 or 4 for a part of a part. ``surface``: drawn as a card
    (the default); a subsection inside a card says ``surface=False``.
    ``focusable_heading``: the heading takes focus after an action moves the reader here (tabindex -1).
    """
    if isinstance(title, rx.Component):
        heading = title
    else:
        heading_props: dict[str, object] = {"tab_index": -1} if focusable_heading else {}
        heading = rx.heading(
            title,
            as_=f"h{level}",
            size=HEADING_SIZES[level],  # type: ignore[arg-type]
            id=heading_id,
            class_name="section-title",
            **heading_props,
        )
    return rx.el.section(
        heading,
        *children,
        aria_labelledby=heading_id,
        class_name=_classes("panel" if surface else "", class_name),
        **props,
    )


def _classes(base: str, extra: Text) -> Text:
    """``base`` and the caller's classes, either of which may be empty; ``extra`` may be a var."""
    if isinstance(extra, rx.Var):
        return f"{base} " + extra if base else extra
    return f"{base} {extra}".strip()


def card(*children: rx.Component, class_name: Text = "", **props: object) -> rx.Component:
    """An untitled surface (a form, a notice, one item of a list)."""
    return rx.box(*children, class_name=_classes("panel", class_name), **props)


def definition(term: Text, *details: rx.Component | rx.Var | str) -> rx.Component:
    """One term and its details inside :func:`definition_list`; ``term`` is a catalogue key or a var."""
    return rx.fragment(rx.el.dt(t(term) if isinstance(term, str) else term), rx.el.dd(*details))


def definition_list(*items: rx.Component, class_name: str = "", **props: object) -> rx.Component:
    """Terms and details side by side on a wide screen, stacked on a phone."""
    return rx.el.dl(*items, class_name=f"definition-list {class_name}".strip(), **props)
