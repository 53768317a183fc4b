"""The Celery app. Safe defaults (acks late, reject on worker loss, prefetch 1,
time limits, ignored results) live in settings under the CELERY_ namespace.

Services send tasks through `enqueue` / `enqueue_each` by the task's name, so a service
never imports its app's tasks module (which calls the services)."""

import os
from collections.abc import Iterable

from celery import Celery, group

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _task(name: str):
    """The registered task called `name`. The apps' task modules are imported (Celery's
    autodiscovery) the first time a web process sends a task; an unknown name raises
    KeyError rather than sending a message no worker knows."""
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def enqueue(name: str, *args) -> None:
    """Send one task (run in place when tasks are eager: development and tests)."""
    _task(name).apply_async(args=args)


def enqueue_each(name: str, args_list: Iterable[tuple]) -> None:
    """Send the task once per argument tuple, as one group."""
    task = _task(name)
    group(task.si(*args) for args in args_list).apply_async()
