"""Logging filters (settings.LOGGING)."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied


class PermissionDeniedWithoutTraceback(logging.Filter):
    """A refused role check is routine: Django logs it as "Forbidden (Permission denied)"
    with the whole traceback. Keep the one warning line, drop the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc_info = record.exc_info
        if exc_info and exc_info[0] is not None and issubclass(exc_info[0], PermissionDenied):
            record.exc_info = None
            record.exc_text = None
        return True
