"""The référentiel pages: métier search and fiche (any logged-in user), installation (platform operator)."""

from __future__ import annotations

import reflex as rx

from components.i18n import label, t, tf
from components.layout import loading, page_title, screen
from components.listing import PLAIN_LIST_STYLE, list_or_empty
from components.page import section
from services import routes
from services.rome.upload import MAX_UPLOAD_BYTES
from state.referentiel import UPLOAD_ID, MetierSearchState, MetierState, ReferentielAdminState

LIST_STYLE = {"padding_left": "1.25rem", "margin": "0.5rem 0 0", "line_height": "1.6"}
# White on dark blue: 10:1.
CORE_BADGE_STYLE = {
    "display": "inline-block",
    "background": "#1e3a8a",
    "color": "#ffffff",
    "font_size": "0.8rem",
    "font_weight": "600",
    "padding": "0.05rem 0.45rem",
    "border_radius": "999px",
    "margin_left": "0.5rem",
    "white_space": "nowrap",
}
DEMO_BADGE_STYLE = {**CORE_BADGE_STYLE, "background": "#92400e"}


def _counts(rows: rx.Var) -> rx.Component:
    return rx.el.dl(
        rx.foreach(
            rows,
            lambda row: rx.box(rx.el.dt(label("", row["key"])), rx.el.dd(row["value"])),
        ),
        class_name="definition-list",
        style={"display": "grid", "grid_template_columns": "repeat(auto-fill, minmax(11rem, 1fr))", "gap": "0 1rem"},
    )


# ---------------------------------------------------------------- the platform operator's page


def _installed() -> rx.Component:
    installed = ReferentielAdminState.installed
    return section(
        "referentiel-installed",
        t("ref.admin.installed_title"),
        rx.cond(
            installed.is_not_none(),
            rx.box(
                rx.el.dl(
                    rx.el.dt(t("ref.admin.version")),
                    rx.el.dd(
                        installed["version"],
                        rx.cond(
                            installed["demo"],
                            rx.el.span(t("ref.admin.demo_badge"), style=DEMO_BADGE_STYLE),
                        ),
                        id="referentiel-version",
                    ),
                    rx.el.dt(t("ref.admin.imported_at")),
                    rx.el.dd(installed["date"]),
                    rx.el.dt(t("ref.admin.source")),
                    rx.el.dd(installed["source"]),
                    class_name="definition-list",
                ),
                rx.cond(installed["demo"], rx.text(t("ref.admin.demo_note"))),
                _counts(ReferentielAdminState.installed_counts),
            ),
            rx.text(t("ref.admin.none")),
        ),
    )


def _dropzone() -> rx.Component:
    zone = rx.upload.root(
        rx.flex(
            rx.button(t("ref.admin.choose"), type="button", variant="soft"),
            rx.text(
                rx.cond(
                    rx.selected_files(UPLOAD_ID).length() > 0,
                    rx.selected_files(UPLOAD_ID).join(", "),
                    t("ref.admin.no_file"),
                ),
                size="2",
            ),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        id=UPLOAD_ID,
        accept={"application/zip": [".zip"], "application/x-zip-compressed": [".zip"]},
        max_files=1,
        no_keyboard=True,
        disabled=ReferentielAdminState.importing,
    )
    # react-dropzone's file input is only visually hidden: it needs a name of its own (axe "label").
    zone.children[0].children[0].custom_attrs["aria-label"] = t("ref.admin.file_label")
    return zone


def _progress() -> rx.Component:
    state = ReferentielAdminState
    return rx.box(
        rx.match(
            state.phase,
            (
                "upload",
                rx.box(
                    rx.text(tf("ref.admin.uploading", percent=state.upload_percent.to_string())),
                    rx.progress(value=state.upload_percent, max=100, aria_label=t("ref.admin.file_label")),
                ),
            ),
            (
                "import",
                rx.flex(
                    rx.spinner(size="2"),
                    rx.text(tf("ref.admin.importing", seconds=state.elapsed.to_string())),
                    spacing="2",
                    align="center",
                ),
            ),
            rx.fragment(),
        ),
        rx.cond(
            state.summary_title != "",
            rx.box(
                rx.heading(t("ref.admin.summary_title"), as_="h3", size="4"),
                rx.text(state.summary_title, id="referentiel-summary"),
                rx.cond(state.summary_replaced != "", rx.text(state.summary_replaced)),
                _counts(state.summary_counts),
                class_name="panel",
                style={"border_color": "#15803d", "margin_top": "0.75rem"},
            ),
        ),
        role="status",
        aria_live="polite",
        style={"margin_top": "0.75rem"},
    )


def _upload() -> rx.Component:
    state = ReferentielAdminState
    return section(
        "referentiel-upload",
        t("ref.admin.upload_title"),
        rx.text(tf("ref.admin.upload_help", limit=str(MAX_UPLOAD_BYTES // (1024 * 1024))), class_name="muted"),
        _dropzone(),
        rx.button(
            t("ref.admin.start"),
            type="button",
            margin_top="0.75em",
            loading=state.importing,
            disabled=state.importing,
            on_click=state.receive_upload(
                rx.upload_files(upload_id=UPLOAD_ID, on_upload_progress=state.upload_progress)
            ),
        ),
        rx.cond(
            state.import_error != "",
            rx.box(
                rx.text(rx.el.strong(t("ref.admin.failed"))),
                rx.text(state.import_error, id="referentiel-error"),
                role="alert",
                class_name="panel",
                style={"border_color": "#b91c1c", "color": "#7f1d1d", "margin_top": "0.75rem"},
            ),
        ),
        _progress(),
    )


def _referentiel_admin() -> rx.Component:
    return rx.box(
        page_title("ref.admin.title"),
        rx.text(t("ref.admin.lead"), class_name="lead"),
        _installed(),
        _upload(),
        rx.box(rx.link(t("ref.admin.search_link"), href=routes.METIERS, underline="always"), margin_top="1em"),
    )


screen(routes.PLATFORM_REFERENTIEL, on_load=ReferentielAdminState.load)(_referentiel_admin)


# ---------------------------------------------------------------- métier search


def _hit(item: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.link(item["libelle"], href=item["href"], weight="medium"),
        rx.text(" ", item["code"], as_="span", class_name="muted", size="2"),
        rx.cond(
            item["via"] != "",
            rx.text(tf("ref.search.via", appellation=item["via"].to(str)), size="2", class_name="muted"),
        ),
        style={"padding": "0.5rem 0", "border_bottom": "1px solid var(--gray-5)"},
    )


def _search() -> rx.Component:
    state = MetierSearchState
    form = rx.form(
        rx.flex(
            rx.box(
                rx.el.label(t("ref.search.label"), html_for="metier-query", class_name="field-label"),
                rx.el.input(
                    id="metier-query",
                    name="q",
                    type="search",
                    default_value=state.query,
                    auto_complete="off",
                    aria_describedby="metier-query-help",
                    class_name="field-input",
                ),
                rx.text(t("ref.search.help"), id="metier-query-help", class_name="field-help"),
                class_name="field",
                flex_grow="1",
            ),
            rx.button(t("ref.search.submit"), type="submit", size="3"),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        on_submit=state.search,
        role="search",
        class_name="panel",
    )
    results = rx.box(
        rx.cond(
            state.searched,
            rx.cond(
                state.results.length() > 0,
                rx.text(
                    tf("ref.search.count", count=state.results.length().to_string(), query=state.query),
                    id="metier-results-count",
                ),
                rx.text(tf("ref.search.none", query=state.query), id="metier-results-count"),
            ),
        ),
        role="status",
        aria_live="polite",
    )
    return rx.box(
        page_title("ref.search.title"),
        rx.text(t("ref.search.lead"), class_name="lead"),
        rx.match(
            state.referentiel_status,
            ("none", rx.text(t("ref.search.no_referentiel"), role="alert", class_name="panel")),
            ("demo", rx.text(t("ref.search.demo"), class_name="muted")),
            rx.fragment(),
        ),
        form,
        results,
        rx.cond(
            state.results.length() > 0,
            section(
                "metier-results",
                rx.heading(t("ref.search.results"), as_="h2", size="5", id="metier-results", class_name="sr-only"),
                rx.el.ul(rx.foreach(state.results, _hit), style=PLAIN_LIST_STYLE),
                surface=False,
            ),
        ),
    )


screen(routes.METIERS, on_load=MetierSearchState.load)(_search)


# ---------------------------------------------------------------- fiche métier


def _skill(item: rx.Var) -> rx.Component:
    return rx.el.li(
        item["libelle"],
        rx.cond(item["core"], rx.el.span(t("ref.metier.core"), style=CORE_BADGE_STYLE)),
    )


def _skill_group(kind: str, rows: rx.Var) -> rx.Component:
    return rx.cond(
        rows.length() > 0,
        rx.box(
            rx.heading(t(f"rome.kind.{kind}"), as_="h3", size="4", margin_top="0.75em"),
            rx.el.ul(rx.foreach(rows, _skill), style=LIST_STYLE),
        ),
    )


def _context(item: rx.Var) -> rx.Component:
    return rx.el.li(
        item["libelle"],
        rx.cond(item["categorie"] != "", rx.text(" (", item["categorie"], ")", as_="span", class_name="muted")),
    )


def _riasec(item: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.strong(item["letter"]),
        " — ",
        label("ref.riasec.", item["letter"]),
        " (",
        rx.cond(item["rank"] == "major", t("ref.metier.riasec_major"), t("ref.metier.riasec_minor")),
        ")",
    )


def _mobility(item: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.link(item["libelle"], href=item["href"]),
        rx.text(" ", item["code"], as_="span", class_name="muted", size="2"),
    )


def _text_list(items: rx.Var) -> rx.Component:
    return rx.el.ul(rx.foreach(items, lambda item: rx.el.li(item)), style=LIST_STYLE)


def _metier_ready() -> rx.Component:
    state = MetierState
    return rx.box(
        rx.heading(state.libelle, as_="h1", size="7", margin_bottom="0.25em"),
        rx.text(
            tf("ref.metier.code", code=state.code),
            rx.cond(state.domaine != "", rx.text(" · ", t("ref.metier.domaine"), " : ", state.domaine, as_="span")),
            class_name="muted",
        ),
        rx.cond(state.regulated, rx.text(t("ref.metier.regulated"), margin_top="0.5em")),
        section(
            "metier-definition",
            t("ref.metier.definition"),
            rx.foreach(state.definition, lambda sentence: rx.text(sentence, margin_bottom="0.4em")),
        ),
        section(
            "metier-acces",
            t("ref.metier.acces"),
            rx.foreach(state.acces, lambda sentence: rx.text(sentence, margin_bottom="0.4em")),
        ),
        section(
            "metier-skills",
            t("ref.metier.skills"),
            rx.text(t("ref.metier.core_legend"), class_name="muted", size="2"),
            _skill_group("savoir_faire", state.savoir_faire),
            _skill_group("savoir_etre", state.savoir_etre),
            _skill_group("savoir", state.savoirs),
        ),
        section(
            "metier-contexts",
            t("rome.kind.contexte"),
            list_or_empty(state.contextes, _context, rx.text(t("ref.metier.none")), style=LIST_STYLE),
        ),
        section(
            "metier-riasec",
            t("ref.metier.riasec"),
            list_or_empty(state.riasec, _riasec, rx.text(t("ref.metier.none")), style=LIST_STYLE),
        ),
        section("metier-appellations", t("ref.metier.appellations"), _text_list(state.appellations)),
        section(
            "metier-mobilites",
            t("ref.metier.mobilites"),
            list_or_empty(state.mobilites, _mobility, rx.text(t("ref.metier.mobilites_none")), style=LIST_STYLE),
        ),
        rx.cond(
            state.centres.length() > 0,
            section("metier-centres", t("ref.metier.centres"), _text_list(state.centres)),
        ),
        rx.box(rx.link(t("ref.metier.back"), href=routes.METIERS, underline="always"), margin_top="1em"),
    )


def _metier() -> rx.Component:
    state = MetierState
    return rx.match(
        state.metier_status,
        ("ready", _metier_ready()),
        (
            "unknown",
            rx.box(
                page_title("ref.metier.not_found_title"),
                rx.text(tf("ref.metier.not_found", code=state.requested_code), role="alert"),
                rx.box(rx.link(t("ref.metier.back"), href=routes.METIERS, underline="always"), margin_top="0.75em"),
                class_name="panel",
            ),
        ),
        loading(),
    )


screen(routes.METIER_PAGE, on_load=MetierState.load)(_metier)
