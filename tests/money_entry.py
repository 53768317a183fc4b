"""Helpers of the money-entry tests: the page language as the app's switch sets it, and
the part of a page that belongs to one form field."""

from django.conf import settings

# Where a field's markup starts: the pages' field include, or a row of Django admin.
_FIELD_STARTS = ('<div class="field', '<div class="form-row')


def use_language(client, language: str) -> None:
    """What the language switch in the header does: the app keeps the choice in a cookie
    (pages ignore the browser's Accept-Language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


def field_block(html: str, name: str) -> str:
    """The markup of the field whose input is named `name`: from the start of its field
    (or admin row) to the start of the next one or the end of the form, so a message
    found there is shown beside that field."""
    at = html.index(f'name="{name}"')
    start = max(html.rfind(marker, 0, at) for marker in _FIELD_STARTS)
    assert start >= 0, f"no field markup around {name}"
    ends = [html.find(marker, at) for marker in (*_FIELD_STARTS, "</form>")]
    return html[start : min(i for i in ends if i > 0)]
