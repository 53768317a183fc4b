"""Hooks: what a lower app asks of a higher one, without an import against the layers
(docs/architecture.md). The lower app declares the hook (in its `hooks.py`) and calls it;
the higher app provides the function in its AppConfig.ready (its `provides.py`).

Each hook has exactly one provider. Calling a hook nobody provides is a configuration
error, except for hooks declared with a default (a page that then shows nothing)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured


class Hook:
    """One function a higher app lends to a lower one."""

    def __init__(self, name: str, *, default: Callable[[], Any] | None = None) -> None:
        self.name = name
        self._default = default
        self._function: Callable | None = None

    def provide(self, function: Callable) -> None:
        """Called once, by the providing app's AppConfig.ready."""
        self._function = function

    @property
    def provided(self) -> bool:
        return self._function is not None

    def __call__(self, *args, **kwargs):
        if self._function is not None:
            return self._function(*args, **kwargs)
        if self._default is not None:
            return self._default()
        raise ImproperlyConfigured(f"No installed app provides the hook {self.name!r}.")

    def __repr__(self) -> str:
        return f"<Hook {self.name}>"


# LI-3: the payoff forecast the liability, deduction and case pages of cases and deductions
# show, provided by payments; {} (nothing shown) without the payments app.
forecasts = Hook("liability_forecasts", default=dict)


def liability_forecasts(liability_ids) -> dict:
    """LI-3: ``{liability id: forecast}`` for the given ids ({} without a provider)."""
    ids = sorted({pk for pk in liability_ids if pk is not None})
    if not ids:
        return {}
    return forecasts(liability_ids=ids)
