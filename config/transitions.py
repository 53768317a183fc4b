"""Calling a django-fsm transition from a service: a refusal of the lifecycle becomes
IllegalTransition (HTTP 409, shown beside the form on pages), with the sentence the
caller gives, never a TransitionNotAllowed (HTTP 500)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django_fsm import TransitionNotAllowed

from .exceptions import IllegalTransition


def transition(
    instance: models.Model,
    name: str,
    refusal: str | Callable[[], str],
    /,
    *,
    code: str | None = None,
    **kwargs: Any,
) -> None:
    """Call ``instance.<name>(**kwargs)``; when refused, raise IllegalTransition with
    ``refusal`` (or what it returns, when a refusal costs queries to word)."""
    try:
        getattr(instance, name)(**kwargs)
    except TransitionNotAllowed:
        message = refusal() if callable(refusal) else refusal
        raise IllegalTransition(message, code=code) from None
