"""The home page panel of the cases app (IC-11): the signed-in user's planned activities."""

from config import roles

from . import selectors

HOME_LIMIT = 20


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
