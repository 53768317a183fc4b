"""Reads a higher app lends to the pages of a lower one, without an import against the
layer direction (design.md): the payments app provides the payoff forecast (LI-3) that the
liability, deduction and case pages of cases and deductions show. A page whose provider is
not installed simply shows nothing."""

from __future__ import annotations

from collections.abc import Callable

_providers: dict[str, Callable] = {}

LIABILITY_FORECASTS = "liability_forecasts"
# The deductions app: the cases whose deductions a user changed last (home page).
CASES_TOUCHED_BY_USER = "cases_touched_by_user"


def provide(name: str, function: Callable) -> None:
    _providers[name] = function


def call(name: str, *args, default=None, **kwargs):
    function = _providers.get(name)
    return default if function is None else function(*args, **kwargs)


def liability_forecasts(liability_ids) -> dict:
    """LI-3: ``{liability id: forecast}`` for the given ids ({} without a provider)."""
    ids = sorted({pk for pk in liability_ids if pk is not None})
    if not ids:
        return {}
    return call(LIABILITY_FORECASTS, liability_ids=ids, default={})


def cases_touched_by_user(*, user, limit: int) -> list[tuple[int, object]]:
    """``[(case id, latest change)]`` of the cases whose deductions ``user`` changed, newest
    first, at most ``limit`` ([] without a provider)."""
    return call(CASES_TOUCHED_BY_USER, user=user, limit=limit, default=[])
