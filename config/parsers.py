"""The API's only parser: JSON with a nesting limit.

Python's json module recurses once per nesting level, so a body like
`{"name": [[[…100,000 deep…]]]}` raised RecursionError (a 500). The depth is counted
first, over the brackets outside strings, and a body nested deeper than
`API_JSON_MAX_DEPTH` is a 400 with a JSON message. Only JSON is registered as a parser,
so form-encoded and multipart bodies get 415 (the contract says JSON only).
"""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from .errors import CommonError

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether `text` nests arrays/objects deeper than `limit` (strings ignored)."""
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


class JSONParser(parsers.JSONParser):
    """DRF's JSONParser with a depth limit; NaN/Infinity refused as in DRF's strict mode."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
        except UnicodeDecodeError:
            raise ParseError(
                _("Der Inhalt ist kein gültiges JSON (Zeichenkodierung)."),
                code=CommonError.JSON_ENCODING,
            )
        limit = settings.API_JSON_MAX_DEPTH
        if json_depth_exceeds(text, limit):
            raise ParseError(
                _("Der JSON-Inhalt ist tiefer als %(limit)s Ebenen verschachtelt.")
                % {"limit": limit},
                code=CommonError.JSON_TOO_DEEP,
            )
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError(
                _("Der Inhalt ist kein gültiges JSON: %(error)s") % {"error": exc},
                code=CommonError.JSON_INVALID,
            )
