"""Pages of the tasks inbox (WF-3): my open and closed tasks, one task, closing it, and my
notifications. Thin: reads through selectors, writes through services."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.access import any_role_required
from config.exceptions import ApplicationError

from . import selectors, services
from .models import TaskStatus

PAGE_SIZE = 50


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@require_GET
@any_role_required
def task_list(request):
    tab = "closed" if request.GET.get("tab") == "closed" else "open"
    status = TaskStatus.CLOSED if tab == "closed" else TaskStatus.OPEN
    qs = selectors.tasks_for_user(user=request.user, status=status)
    if tab == "closed":
        qs = qs.order_by("-closed_at", "-id")
    else:
        qs = qs.order_by("due_date", "created_at", "id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workflow/task_list.html",
        {
            "tab": tab,
            "page": page,
            "tasks": page.object_list,
            "open_count": selectors.task_open_count(user=request.user),
        },
    )


@require_GET
@any_role_required
def task_detail(request, pk: int):
    task = get_object_or_404(selectors.tasks_for_user(user=request.user), pk=pk)
    return render(request, "workflow/task_detail.html", {"task": task})


@require_POST
@any_role_required
def task_close(request, pk: int):
    task = get_object_or_404(selectors.tasks_for_user(user=request.user), pk=pk)
    try:
        services.task_close(task=task, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Die Aufgabe „%(subject)s“ ist geschlossen.") % {"subject": task.subject}
        )
    return redirect(_safe_next(request, "workflow:task-list"))


@require_GET
@any_role_required
def notification_list(request):
    qs = selectors.notifications_for_user(user=request.user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workflow/notification_list.html",
        {"page": page, "notifications": page.object_list},
    )


@require_POST
@any_role_required
def notification_read(request, pk: int):
    notification = get_object_or_404(selectors.notifications_for_user(user=request.user), pk=pk)
    services.notification_mark_read(notification=notification, user=request.user)
    return redirect(_safe_next(request, "workflow:notification-list"))
