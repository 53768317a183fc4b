"""Domain errors and their mapping to HTTP.

Services raise `ApplicationError` subclasses, each with a code from its app's enum
(config.errors); the DRF handler turns them into 400 (validation, with the field named)
or 409 (illegal state change) with the codes beside the messages, and forms show the
same messages beside the field.
"""

from __future__ import annotations

import functools
import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from .errors import CommonError, FrameworkError, all_codes

logger = logging.getLogger(__name__)


class ApplicationError(Exception):
    """Base of every domain error. `field` names the input at fault, if any; `code` is the
    stable English name of the refusal (an app's enum in its errors.py, docs/errors.md)."""

    code: str = CommonError.ERROR
    http_status = status.HTTP_400_BAD_REQUEST

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = str(code)

    def as_dict(self) -> dict:
        if self.field:
            return {self.field: [self.message]}
        return {"detail": self.message}

    def codes_dict(self) -> dict:
        """The codes parallel to `as_dict()`: `{"codes": {field: [code]}}` or `{"code": …}`."""
        if self.field:
            return {"codes": {self.field: [self.code]}}
        return {"code": self.code}


# A field message as given to ValidationFailed: the message, or (message, code).
Entry = str | tuple[str, str]


class ValidationFailed(ApplicationError):
    """Input that breaks a rule. Carries one or more field messages, each with its code.

    `errors` maps a field to its messages (the shape of the API's 400 body and what forms
    show); `codes` maps the same fields to the parallel codes. Entries given without a
    code get the error's `code`."""

    code: str = FrameworkError.INVALID

    def __init__(
        self,
        message: str = "",
        *,
        field: str | None = None,
        errors: dict[str, list[Entry]] | None = None,
        code: str | None = None,
    ):
        fallback = str(code or type(self).code)
        self.errors: dict[str, list[str]] = {}
        self.codes: dict[str, list[str]] = {}
        for key, entries in (errors or {}).items():
            for entry in entries:
                text, entry_code = entry if isinstance(entry, tuple) else (entry, fallback)
                self._add(key, text, entry_code)
        if message:
            self._add(field or "detail", message, fallback)
        first = next(iter(self.errors), None)
        if first is None:
            super().__init__(message, field=field, code=code)
            return
        super().__init__(self.errors[first][0], field=field, code=self.codes[first][0])

    def _add(self, key: str, text, code) -> None:
        self.errors.setdefault(key, []).append(str(text))
        self.codes.setdefault(key, []).append(str(code))

    def pairs(self) -> dict[str, list[tuple[str, str]]]:
        """{field: [(message, code)]}: to pass the errors on into another ValidationFailed."""
        return {
            key: list(zip(messages, self.codes[key], strict=True))
            for key, messages in self.errors.items()
        }

    def as_dict(self) -> dict:
        if list(self.errors) == ["detail"]:
            return {"detail": self.errors["detail"][0]}
        return self.errors

    def codes_dict(self) -> dict:
        if list(self.errors) == ["detail"]:
            return {"code": self.codes["detail"][0]}
        if not self.errors:
            return {"code": self.code}
        return {"codes": self.codes}

    @classmethod
    def from_django(cls, exc: DjangoValidationError) -> ValidationFailed:
        """Django's ValidationError (a model's clean()) with its messages and codes."""
        if hasattr(exc, "error_dict"):
            errors = {
                ("detail" if key == "__all__" else key): _django_entries(errs)
                for key, errs in exc.error_dict.items()
            }
        else:
            errors = {"detail": _django_entries(exc.error_list)}
        return cls(errors=errors)


def _django_entries(errors) -> list[tuple[str, str]]:
    fallback = str(FrameworkError.INVALID)
    return [(message, error.code or fallback) for error in errors for message in error]


class IllegalTransition(ApplicationError):
    """A state change the lifecycle does not allow (HTTP 409)."""

    code: str = CommonError.ILLEGAL_TRANSITION
    http_status = status.HTTP_409_CONFLICT


class Conflict(ApplicationError):
    """The request clashes with the current state (a duplicate, for example)."""

    code: str = CommonError.CONFLICT
    http_status = status.HTTP_409_CONFLICT


def api_exception_handler(exc, context):
    """DRF handler: domain errors to 400/409, Django validation to 400, never a 500 for
    input; every error body carries its codes (`code` beside `detail`, `codes` parallel to
    the field messages), so clients need not match German sentences."""
    if isinstance(exc, DjangoValidationError):
        exc = ValidationFailed.from_django(exc)
    if isinstance(exc, ApplicationError):
        body = {**exc.as_dict(), **_known_codes(exc.codes_dict())}
        return Response(body, status=exc.http_status)
    if isinstance(exc, IntegrityError):
        return Response(
            {
                "detail": "Die Änderung widerspricht dem aktuellen Datenstand.",
                "code": CommonError.CONFLICT.value,
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = drf_exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, drf_exceptions.APIException):
        response.data = _framework_body(exc)
    return response


def _framework_body(exc: drf_exceptions.APIException) -> dict:
    """A DRF exception's body as DRF gives it, plus the codes (`exc.get_codes()`). A bare
    list of messages (a ValidationError raised outside a serializer) becomes `detail`."""
    detail, codes = exc.detail, exc.get_codes()
    if isinstance(detail, list):
        detail, codes = {"detail": detail}, {"detail": codes}
    if not isinstance(detail, dict):
        return {"detail": detail, **_known_codes({"code": codes})}
    if list(detail) == ["detail"] and not isinstance(detail["detail"], list | dict):
        return {**detail, **_known_codes({"code": codes["detail"]})}
    return {**detail, **_known_codes({"codes": codes})}


@functools.cache
def _code_set() -> frozenset[str]:
    return frozenset(all_codes())


def _known_codes(value):
    """The codes with any code missing from the list (config.errors) replaced by
    "invalid" and logged: clients only ever see codes the schema and docs name."""
    if isinstance(value, dict):
        return {key: _known_codes(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_known_codes(item) for item in value]
    code = str(value)
    if code in _code_set():
        return code
    logger.warning("error code %r is not registered (config.errors); sent as 'invalid'", code)
    return FrameworkError.INVALID.value
