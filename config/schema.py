"""OpenAPI schema rules that hold for every operation, kept in one place.

drf-spectacular describes what a view declares; this module adds what the project does
everywhere and the views do not declare:

- every operation answers errors with one body shape (`{"detail": "...", "code": "..."}`
  or `{"field": ["message"], "codes": {"field": ["code"]}}`, see config.exceptions),
  documented as the shared `Error` component for 400, 401, 403, 404 and 429 everywhere,
  409 on every write and 413/415 where a body is read (the API reads JSON only); every
  code is listed in the `ErrorCode` enum (config.errors, docs/errors.md);
- a read-only field whose value comes through a nullable relation (`third_party.name`)
  or defaults to None is null when the relation is empty, so it is marked nullable;
- a number filter on an id (`?case=`) is an integer of 1..MAX_ID, not any number, so
  clients do not send `?case=3.0`.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

from .errors import all_codes
from .ids import MAX_ID, _targets_id

ERROR_COMPONENT = "Error"
ERROR_CODE_COMPONENT = "ErrorCode"


def error_schema(code_ref: dict) -> dict:
    """The `Error` body: messages as before, and their codes (`code_ref`: the enum)."""
    return {
        "type": "object",
        "description": (
            'Fehler: {"detail": "...", "code": "..."} oder je Eingabefeld eine Liste von '
            'Meldungen ({"amount": ["..."]}) und dazu unter "codes" je Feld die Liste der '
            'Codes ({"codes": {"amount": ["..."]}}, in derselben Reihenfolge); '
            "verschachtelte Eingaben melden verschachtelt. Die Codes: docs/errors.md."
        ),
        "properties": {
            "detail": {
                "oneOf": [
                    {"type": "string"},
                    {"type": "array", "items": {"type": "string"}},
                ],
            },
            "code": code_ref,
            "codes": {
                "type": "object",
                "description": "Je Feld die Codes zu den Meldungen (verschachtelt wie diese).",
                "additionalProperties": {
                    "anyOf": [
                        {"type": "array", "items": code_ref},
                        {"type": "object"},
                        {"type": "array", "items": {"type": "object"}},
                    ],
                },
            },
        },
        "additionalProperties": {},
    }


def error_code_schema() -> dict:
    return {
        "type": "string",
        "enum": all_codes(),
        "description": "Der Code eines Fehlers (stabil, englisch); docs/errors.md erklärt jeden.",
    }


ERROR_DESCRIPTIONS = {
    "400": "Ungültige Eingabe (Meldungen je Feld).",
    "401": "Nicht angemeldet (Sitzung oder `Authorization: Token …`).",
    "403": "Die Rolle erlaubt diese Aktion nicht.",
    "404": "Nicht gefunden.",
    "405": "Diese Methode wird nicht angeboten.",
    "409": "Im aktuellen Zustand nicht möglich (unzulässiger Statuswechsel, Konflikt).",
    "413": "Der Anfragekörper ist zu groß.",
    "415": "Nur `application/json` wird angenommen.",
    "429": "Zu viele Anfragen; `Retry-After` nennt die Sekunden bis zum nächsten Versuch.",
}

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
BODY_METHODS = ("POST", "PUT", "PATCH")


class ProjectAutoSchema(AutoSchema):
    """The project's AutoSchema (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"])."""

    def _error_codes(self) -> list[str]:
        codes = ["400", "401", "403", "404", "429"]
        if self.method in WRITE_METHODS:
            codes.append("409")
        if self.method in BODY_METHODS and self.get_request_serializer() is not None:
            codes.extend(["413", "415"])
        return codes

    def _error_ref(self) -> dict:
        code = ResolvedComponent(
            name=ERROR_CODE_COMPONENT,
            type=ResolvedComponent.SCHEMA,
            schema=error_code_schema(),
            object=ERROR_CODE_COMPONENT,
        )
        self.registry.register_on_missing(code)
        component = ResolvedComponent(
            name=ERROR_COMPONENT,
            type=ResolvedComponent.SCHEMA,
            schema=error_schema(code.ref),
            object=ERROR_COMPONENT,
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        ref = self._error_ref()
        for code in self._error_codes() + [c for c in responses if c in ERROR_DESCRIPTIONS]:
            response = responses.setdefault(code, {"description": ERROR_DESCRIPTIONS[code]})
            if not response.get("content"):
                response["content"] = {"application/json": {"schema": ref}}
        return dict(sorted(responses.items()))

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            schema is not None
            and direction == "response"
            and field.read_only
            and "$ref" not in schema
            and _may_be_null(field)
        ):
            schema["nullable"] = True
        return schema


def _may_be_null(field) -> bool:
    """Whether a read-only field can render None: it defaults to None, or its dotted
    source passes a nullable relation (DRF renders None when the chain breaks)."""
    if getattr(field, "default", serializers.empty) is None:
        return True
    attrs = list(getattr(field, "source_attrs", None) or [])
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    if model is None or len(attrs) < 2:
        return False
    for attr in attrs[:-1]:
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False
        if not model_field.is_relation or model_field.related_model is None:
            return False
        reverse_one_to_one = model_field.one_to_one and model_field.auto_created
        if getattr(model_field, "null", False) or reverse_one_to_one:
            return True
        model = model_field.related_model
    return False


class IdFilterExtension(DjangoFilterExtension):
    """Types number filters that compare ids as integers of 1..MAX_ID (config.ids)."""

    target_class = "config.ids.IdFilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        from django_filters import filters

        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        if isinstance(filter_field, filters.NumberFilter) and _targets_id(
            model, filter_field.field_name
        ):
            for parameter in parameters:
                schema = parameter["schema"]
                target = schema.get("items", schema) if schema.get("type") == "array" else schema
                target.update({"type": "integer", "minimum": 1, "maximum": MAX_ID})
                target.pop("format", None)
        return parameters
