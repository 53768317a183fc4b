"""Error codes: the stable, English names an API client matches instead of German messages.

Each app lists the codes of its refusals in one `StrEnum` in its own `errors.py` and
registers it here (`@register`); `config` imports no app, so the list of every code is
collected by importing each installed app's `errors` module (`all_codes`). The API's error
bodies carry the codes beside the messages (config.exceptions), the OpenAPI schema lists
them as an enum (config.schema) and `docs/errors.md` explains each one.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.module_loading import autodiscover_modules

_REGISTERED: list[type[StrEnum]] = []


def register(enum: type[StrEnum]) -> type[StrEnum]:
    """Class decorator: make an app's codes part of the API's list of codes."""
    if enum not in _REGISTERED:
        _REGISTERED.append(enum)
    return enum


def registered() -> list[type[StrEnum]]:
    """Every registered enum, the apps' `errors` modules imported first."""
    autodiscover_modules("errors")
    return list(_REGISTERED)


def all_codes() -> list[str]:
    """Every code an error body may carry, sorted (the schema's enum)."""
    return sorted({str(member) for enum in registered() for member in enum})


@register
class CommonError(StrEnum):
    """Codes shared by every app: the fallbacks of the domain errors, input checks of
    `config`, and the refusals the API itself gives before a view runs."""

    ERROR = "error"
    ILLEGAL_TRANSITION = "illegal_transition"
    CONFLICT = "conflict"
    INVALID_ID = "invalid_id"
    NUMBER_NOT_ASCII = "number_not_ascii"
    SIGNED_ZERO = "signed_zero"
    DATE_OUT_OF_RANGE = "date_out_of_range"
    STATUS_THROUGH_ACTIONS = "status_through_actions"
    JSON_INVALID = "json_invalid"
    JSON_ENCODING = "json_encoding"
    JSON_TOO_DEEP = "json_too_deep"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    BAD_REQUEST = "bad_request"


@register
class FrameworkError(StrEnum):
    """Codes given by Django REST framework and Django themselves: serializer fields,
    validators, filters and the API's exceptions (401, 403, 404, 405, 406, 415, 429).
    `tests/config/test_error_codes.py` checks that the installed versions give no other."""

    # API exceptions
    AUTHENTICATION_FAILED = "authentication_failed"
    NOT_AUTHENTICATED = "not_authenticated"
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    THROTTLED = "throttled"
    PARSE_ERROR = "parse_error"
    # fields, validators and filters
    INVALID = "invalid"
    REQUIRED = "required"
    NULL = "null"
    BLANK = "blank"
    EMPTY = "empty"
    INVALID_CHOICE = "invalid_choice"
    INCORRECT_TYPE = "incorrect_type"
    DOES_NOT_EXIST = "does_not_exist"
    NOT_A_LIST = "not_a_list"
    NOT_A_DICT = "not_a_dict"
    NOT_A_STRING = "not_a_string"
    MAX_LENGTH = "max_length"
    MIN_LENGTH = "min_length"
    MAX_VALUE = "max_value"
    MIN_VALUE = "min_value"
    MAX_DIGITS = "max_digits"
    MAX_DECIMAL_PLACES = "max_decimal_places"
    MAX_WHOLE_DIGITS = "max_whole_digits"
    MAX_STRING_LENGTH = "max_string_length"
    STEP_SIZE = "step_size"
    LIMIT_VALUE = "limit_value"
    OVERFLOW = "overflow"
    DATE = "date"
    DATETIME = "datetime"
    INVALID_DATE = "invalid_date"
    INVALID_DATETIME = "invalid_datetime"
    INVALID_TIME = "invalid_time"
    MAKE_AWARE = "make_aware"
    INVALID_NULLABLE = "invalid_nullable"
    INVALID_UNICODE = "invalid_unicode"
    INVALID_IMAGE = "invalid_image"
    INVALID_EXTENSION = "invalid_extension"
    INVALID_FORMAT = "invalid_format"
    INVALID_JSON = "invalid_json"
    INVALID_LIST = "invalid_list"
    INVALID_PK_VALUE = "invalid_pk_value"
    INVALID_VALUES = "invalid_values"
    ITEM_INVALID = "item_invalid"
    NESTED_ARRAY_MISMATCH = "nested_array_mismatch"
    NO_NAME = "no_name"
    NO_MATCH = "no_match"
    INCORRECT_MATCH = "incorrect_match"
    INCOMPLETE = "incomplete"
    MISSING = "missing"
    CONTRADICTION = "contradiction"
    BOUND_ORDERING = "bound_ordering"
    LOOKUP_REQUIRED = "lookup_required"
    UNIQUE = "unique"
    UNIQUE_FOR_DATE = "unique_for_date"
    NULL_CHARACTERS_NOT_ALLOWED = "null_characters_not_allowed"
    SURROGATE_CHARACTERS_NOT_ALLOWED = "surrogate_characters_not_allowed"
