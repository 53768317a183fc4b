"""What the deductions app lends the home page of the cases app (config.providers): the
cases whose deductions the user changed last."""

from __future__ import annotations

from django.db.models import Max

from .models import Deduction


def cases_touched_by_user(*, user, limit: int) -> list[tuple[int, object]]:
    """``[(case id, latest change)]``, newest first: one read over the history's user and
    date indexes, at most ``limit`` rows."""
    return list(
        Deduction.history.filter(history_user=user)
        .values("case_id")
        .annotate(last=Max("history_date"))
        .order_by("-last")
        .values_list("case_id", "last")[:limit]
    )
