"""Temporary: the cases pages still import these names from here (moved to config)."""

from config.access import casework_read_required, casework_required
from config.forms import add_service_errors


def apply_errors(form, exc, mapping=None) -> None:
    add_service_errors(form, exc, fields=mapping)


__all__ = ["apply_errors", "casework_read_required", "casework_required"]
