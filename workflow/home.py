"""The home page panel of the workflow app: the signed-in user's open tasks (WF-3)."""

from config import roles

from . import selectors

HOME_LIMIT = 10


def open_tasks_panel(user) -> dict | None:
    """The most urgent open tasks (due first); two queries whatever the number of tasks."""
    if not roles.has_role_any(user):
        return None
    tasks = list(
        selectors.tasks_for_user(user=user, status="open").order_by("due_date", "created_at", "id")[
            :HOME_LIMIT
        ]
    )
    total = selectors.task_open_count(user=user) if len(tasks) == HOME_LIMIT else len(tasks)
    return {
        "template": "home/_open_tasks.html",
        "context": {"tasks": tasks, "total": total, "more": total - len(tasks)},
    }
