"""Domain errors and their mapping to HTTP.

Services raise `ApplicationError` subclasses; the DRF handler turns them into
400 (validation, with the field named) or 409 (illegal state change), and forms
show the same messages beside the field.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class ApplicationError(Exception):
    """Base of every domain error. `field` names the input at fault, if any."""

    code = "error"
    http_status = status.HTTP_400_BAD_REQUEST

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code

    def as_dict(self) -> dict:
        if self.field:
            return {self.field: [self.message]}
        return {"detail": self.message}


class ValidationFailed(ApplicationError):
    """Input that breaks a rule. Carries one or more field messages."""

    code = "invalid"

    def __init__(self, message: str = "", *, field: str | None = None, errors=None, code=None):
        self.errors: dict[str, list[str]] = dict(errors or {})
        if message:
            self.errors.setdefault(field or "detail", []).append(message)
        first = next(iter(self.errors.values()), [""])[0] if self.errors else message
        super().__init__(first, field=field, code=code)

    def as_dict(self) -> dict:
        if list(self.errors) == ["detail"]:
            return {"detail": self.errors["detail"][0]}
        return self.errors

    @classmethod
    def from_django(cls, exc: DjangoValidationError) -> ValidationFailed:
        if hasattr(exc, "error_dict"):
            errors = {
                ("detail" if key == "__all__" else key): [str(m) for e in errs for m in e]
                for key, errs in exc.error_dict.items()
            }
        else:
            errors = {"detail": [str(m) for m in exc.messages]}
        return cls(errors=errors)


class IllegalTransition(ApplicationError):
    """A state change the lifecycle does not allow (HTTP 409)."""

    code = "illegal_transition"
    http_status = status.HTTP_409_CONFLICT


class Conflict(ApplicationError):
    """The request clashes with the current state (a duplicate, for example)."""

    code = "conflict"
    http_status = status.HTTP_409_CONFLICT


def api_exception_handler(exc, context):
    """DRF handler: domain errors to 400/409, Django validation to 400, never a 500 for input."""
    if isinstance(exc, ApplicationError):
        return Response(exc.as_dict(), status=exc.http_status)
    if isinstance(exc, DjangoValidationError):
        return Response(ValidationFailed.from_django(exc).as_dict(), status=400)
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": "Die Änderung widerspricht dem aktuellen Datenstand."},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = drf_exceptions.PermissionDenied()
    return exception_handler(exc, context)
