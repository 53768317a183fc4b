"""Shared by the cases pages: service errors shown beside the form's fields."""

from __future__ import annotations

from config.exceptions import ApplicationError
from participants.access import apply_errors


def _errors(form, exc: ApplicationError) -> None:
    apply_errors(form, exc, getattr(form, "error_map", None))
