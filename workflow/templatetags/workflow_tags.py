"""Template tags of the workflow app: the open-task count of the header badge (WF-3)."""

from django import template

from workflow import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def open_task_count(context) -> int:
    """One COUNT query per page, cached on the request."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    if request is not None:
        cached = getattr(request, "_open_task_count", None)
        if cached is None:
            cached = request._open_task_count = selectors.task_open_count(user=user)
        return cached
    return selectors.task_open_count(user=user)
