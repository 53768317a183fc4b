"""The home page panels of the cases app: the signed-in user's recent cases and planned
activities (IC-11)."""

from config import roles

from . import selectors

HOME_LIMIT = 20
RECENT_CASES_LIMIT = 8


def recent_cases_panel(user) -> dict | None:
    """Cases the user changed or supervises, most recent first (see the selector)."""
    if not roles.is_caseworker(user):
        return None
    cases = selectors.recent_cases_for_user(user=user, limit=RECENT_CASES_LIMIT)
    return {"template": "home/_recent_cases.html", "context": {"cases": cases}}


def planned_activities_panel(user) -> dict | None:
    if not roles.is_caseworker(user):
        return None
    activities = list(selectors.activities_planned_for_user(user=user)[: HOME_LIMIT + 1])
    return {
        "template": "cases/_home_activities.html",
        "context": {
            "activities": activities[:HOME_LIMIT],
            "more": max(0, selectors.activities_planned_for_user(user=user).count() - HOME_LIMIT)
            if len(activities) > HOME_LIMIT
            else 0,
        },
    }
