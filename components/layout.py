"""The page shell: skip link, header with role navigation and language switch, main, footer."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from reflex.event import EventType

from components import page
from components.i18n import t, tf
from components.referentiel import demo_referentiel_banner
from services import routes
from services.i18n import FR
from state.session import SessionState

MAIN_ID = "contenu"


def skip_link() -> rx.Component:
    return rx.el.a(t("layout.skip"), href=f"#{MAIN_ID}", class_name="skip-link")


# Navigation links that carry a count: the session's var, and the catalogue key naming the link with it.
NAV_COUNTS: dict[str, tuple[rx.Var[int], str]] = {routes.MESSAGES: (SessionState.unread_messages, "msg.nav_unread")}


def count_badge(count: rx.Var[int]) -> rx.Component:
    """A number beside a link (the bell's, the messages'), shown when above 0; the link's name says it too."""
    return rx.cond(count > 0, rx.el.span(count, class_name="count-badge", aria_hidden="true"))


def _nav_link(screen: routes.Screen) -> rx.Component:
    """A screen's link, shown to the roles that may open it (with its count, when it has one)."""
    visible = rx.Var.create(sorted(screen.roles())).contains(SessionState.role)
    counted = NAV_COUNTS.get(screen.route)
    if counted is None:
        link = rx.link(t(screen.nav), href=screen.route, class_name="nav-link")
    else:
        count, key = counted
        link = rx.link(
            t(screen.nav),
            count_badge(count),
            href=screen.route,
            class_name="nav-link",
            aria_label=rx.cond(count > 0, tf(key, count=count.to_string()), t(screen.nav)),
        )
    return rx.cond(visible, rx.el.li(link), rx.fragment())


def language_switch() -> rx.Component:
    return rx.button(
        t("layout.switch_language"),
        on_click=SessionState.switch_locale,
        variant="soft",
        size="2",
        aria_label=t("layout.switch_language_label"),
        lang=rx.cond(SessionState.locale == "fr", "en", "fr"),
        type="button",
    )


def header() -> rx.Component:
    return rx.el.header(
        rx.flex(
            rx.flex(
                rx.link(
                    t("app.name"),
                    href=rx.cond(SessionState.is_logged_in, SessionState.home_route, routes.HOME),
                    class_name="brand",
                ),
                rx.cond(
                    SessionState.organisation_name != "",
                    rx.text(SessionState.organisation_name, class_name="org-name", size="2"),
                ),
                direction="column",
                spacing="0",
            ),
            rx.flex(
                language_switch(),
                rx.cond(SessionState.is_logged_in, notification_bell()),
                rx.cond(
                    SessionState.is_logged_in,
                    rx.button(
                        t("layout.logout"), on_click=SessionState.logout, variant="outline", size="2", type="button"
                    ),
                    rx.link(t("home.login"), href=routes.LOGIN, class_name="nav-link"),
                ),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            justify="between",
            align="center",
            wrap="wrap",
            spacing="3",
            class_name="header-bar",
        ),
        rx.cond(
            SessionState.is_logged_in,
            rx.el.nav(
                rx.el.ul(*[_nav_link(screen) for screen in routes.NAVIGATION], class_name="nav-list"),
                aria_label=t("layout.nav_label"),
            ),
        ),
        class_name="site-header",
    )


def notification_bell() -> rx.Component:
    """The link to the notification centre, with the number of unread notifications (in its name too)."""
    count = SessionState.unread_notifications
    return rx.link(
        rx.icon("bell", size=18, aria_hidden="true"),
        count_badge(count),
        href=routes.NOTIFICATIONS,
        aria_label=rx.cond(count > 0, tf("notif.bell_unread", count=count.to_string()), t("notif.bell")),
        class_name="bell-link",
        id="notification-bell",
    )


def footer() -> rx.Component:
    return rx.el.footer(
        rx.el.ul(
            rx.el.li(rx.link(t("footer.legal"), href=routes.LEGAL)),
            rx.el.li(rx.link(t("footer.privacy"), href=routes.PRIVACY)),
            rx.el.li(rx.link(t("footer.accessibility"), href=routes.ACCESSIBILITY)),
            class_name="footer-list",
        ),
        rx.text(t("footer.copyright"), size="1"),
        class_name="site-footer",
    )


def shell(*children: rx.Component) -> rx.Component:
    return rx.box(
        skip_link(),
        header(),
        rx.el.main(demo_referentiel_banner(), *children, id=MAIN_ID, tab_index=-1, class_name="site-main"),
        footer(),
        lang=SessionState.locale,
        class_name="site",
        # Radix soft badges and callouts write step-11 text, under 4.5:1 for green and blue: use step 12 (axe).
    )


def page_title(key: str) -> rx.Component:
    """The page's h1 from a catalogue key (components.page.page_header for a title with actions)."""
    return page.page_title(t(key))


def loading() -> rx.Component:
    return rx.flex(rx.spinner(size="3"), rx.text(t("layout.loading")), spacing="2", align="center", role="status")


def denied_panel() -> rx.Component:
    return rx.box(
        page.page_title(t("denied.title")),
        rx.text(t("denied.body")),
        rx.link(t("denied.home"), href=SessionState.home_route),
        role="alert",
        class_name="panel",
    )


def _protected(route: str, content: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
    """Wrap a page that only renders once the guard has allowed this very route."""

    def render() -> rx.Component:
        return shell(
            rx.cond(
                SessionState.authorized_route == route,
                content(),
                rx.cond(SessionState.denied_route == route, denied_panel(), loading()),
            )
        )

    render.__name__ = content.__name__
    return render


def _public(content: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
    def render() -> rx.Component:
        return shell(content())

    render.__name__ = content.__name__
    return render


APP_NAME = "BilanCompetence.AI"


def screen(
    route: str, on_load: EventType[()] | None = None
) -> Callable[[Callable[[], rx.Component]], Callable[[], rx.Component]]:
    """Register a page for its screen in ``routes.SCREENS``: the shell, the guard's verdict and the title
    come from that declaration. ``on_load`` is the page state's load, which re-checks the permission."""
    declared = routes.SCREEN_BY_ROUTE[route]  # a page without a declared screen fails here

    def register(content: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        render = _public(content) if declared.is_public else _protected(route, content)
        rx.page(route=route, title=f"{FR[declared.title]} · {APP_NAME}", on_load=on_load)(render)
        return content

    return register
