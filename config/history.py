"""Who changed a row and why, for django-simple-history: the one place that sets them.

Services stamp the instance before saving it; without a user the history takes the
request's user (HistoryRequestMiddleware), or none in tasks. The reason column keeps
100 characters."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import models

REASON_LENGTH = 100


def _acting(user: User | None) -> User | None:
    return user if getattr(user, "is_authenticated", False) else None


def history_stamp(instance: models.Model, *, user: User | None, reason: str = "") -> models.Model:
    """Stamp the next history row of ``instance`` with ``user`` and ``reason``."""
    if _acting(user) is not None:
        instance._history_user = user
    if reason:
        instance._change_reason = str(reason)[:REASON_LENGTH]
    return instance


def history_bulk(rows: Iterable[models.Model], *, user: User | None, reason: str) -> None:
    """One "changed" history row for each of ``rows`` (all of one model), written after a
    bulk update that simple-history does not see."""
    rows = list(rows)
    if not rows:
        return
    type(rows[0]).history.bulk_history_create(
        rows,
        update=True,
        default_user=_acting(user),
        default_change_reason=str(reason)[:REASON_LENGTH],
    )
