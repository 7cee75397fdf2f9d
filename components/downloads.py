"""Download links for files served by the /api routes (conventions, synthèses, the messages' files)."""

from __future__ import annotations

import reflex as rx
from reflex.constants import Dirs
from reflex.utils.imports import ImportVar
from reflex.vars import VarData

from components.i18n import t

DOWNLOAD_STYLE = {
    "display": "inline-flex",
    "align_items": "center",
    "gap": "0.5rem",
    "min_height": "2.5rem",
    "text_decoration": "underline",
    "text_underline_offset": "0.2em",
}


def api_href(path: rx.Var) -> rx.Var[str]:
    """An /api path on the backend's origin (the page's own origin in production; port 8000 under `reflex run`)."""
    return rx.Var(
        _js_expr=f"(new URL({path!s}, getBackendURL(env.PING))).href",
        _var_type=str,
        _var_data=VarData.merge(
            path._get_all_var_data(),
            VarData(
                imports={
                    f"$/{Dirs.STATE_PATH}": "getBackendURL",
                    "$/env.json": ImportVar(tag="env", is_default=True),
                }
            ),
        ),
    ).to(str)


def file_link(path: rx.Var, text: rx.Var | str, icon: str = "file-down", **props: object) -> rx.Component:
    """A link that downloads the file at the /api ``path``, named by ``text``."""
    # ``download``: the browser fetches the file without leaving the page (a navigation, even one that ends
    # in a download, makes Reflex drop and re-open its websocket, and re-run the page's on_load).
    # ``reload_document``: the router would otherwise look for an app page at this same-origin /api URL.
    return rx.link(
        rx.icon(icon, size=18, aria_hidden="true"),
        text,
        href=api_href(path),
        download="",
        reload_document=True,
        weight="medium",
        style=DOWNLOAD_STYLE,
        **props,
    )


def download_link(path: rx.Var, key: str, icon: str = "file-down") -> rx.Component:
    """A download link named by the catalogue's ``key``."""
    return file_link(path, t(key), icon)
