"""Project configuration: settings, URLs, the Celery app, and cross-cutting pieces
(roles, errors, home page) that belong to no single domain app."""

from .celery import app as celery_app

__all__ = ["celery_app"]
