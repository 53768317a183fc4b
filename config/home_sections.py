"""What the home page shows each role. Apps add their own sections here as they grow:
a section is a title, a short text and links, all German by default. An app that lists
the user's own things (e.g. planned activities) registers a panel in its AppConfig.ready:
a callable taking the user and returning the template and context to include, or None."""

from collections.abc import Callable

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from . import roles

# (role check, title, text, [(label, url name)]) — url names that do not exist yet are left out.
SECTIONS = [
    (
        roles.is_caseworker,
        _("Beteiligte"),
        _("Personen und andere Beteiligte suchen und registrieren."),
        [
            (_("Beteiligte suchen"), "participants:search"),
            (_("Person registrieren"), "participants:create"),
        ],
    ),
    (
        roles.is_caseworker,
        _("Fälle"),
        _("Integrierte Fälle, Produktbereitstellungsfälle und ihre Abzüge."),
        [
            (_("Integrierte Fälle"), "cases:integrated-case-list"),
            (_("Integrierten Fall anlegen"), "cases:integrated-case-create"),
            (_("Anträge"), "cases:application-list"),
        ],
    ),
    (
        roles.has_role_any,
        _("Aufgaben"),
        _("Ihre offenen Aufgaben aus Workflowereignissen."),
        [(_("Meine Aufgaben"), "workflow:task-list")],
    ),
    (
        roles.is_administrator,
        _("Administration"),
        _("Leistungsprodukte, Abzugstypen, Ereigniszuordnungen und Zahlungsläufe pflegen."),
        [
            (_("Django-Administration"), "admin:index"),
            (_("Zahlungsläufe"), "payments:run-list"),
            (_("Behördenkonto"), "payments:agency-account"),
        ],
    ),
]


def for_user(user) -> list[dict]:
    result = []
    for check, title, text, links in SECTIONS:
        if not check(user):
            continue
        resolved = []
        for label, url_name in links:
            try:
                resolved.append({"label": str(label), "url": reverse(url_name)})
            except NoReverseMatch:
                continue
        result.append({"title": str(title), "text": str(text), "links": resolved})
    return result


Panel = Callable[[object], dict | None]
# (order, panel): the home page shows panels by order, whatever order the apps load in.
_panels: list[tuple[int, Panel]] = []

# Suggested orders: what the user must do first, then what they worked on, then the run.
ORDER_TASKS = 10
ORDER_RECENT_CASES = 20
ORDER_ACTIVITIES = 30
ORDER_SKIPS = 40
ORDER_PAYMENT_RUN = 50


def register_panel(panel: Panel, *, order: int = 100) -> None:
    if all(existing is not panel for _, existing in _panels):
        _panels.append((order, panel))
        _panels.sort(key=lambda entry: entry[0])


def panels_for_user(user) -> list[dict]:
    """Each registered panel's {"template": …, "context": {…}} for the user, if it shows.
    Every panel keeps to a fixed number of queries (tested with the home page's budget)."""
    return [shown for _, panel in _panels if (shown := panel(user))]
