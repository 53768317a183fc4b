"""Helpers of the money-entry tests: the page language as the app's switch sets it, and
the part of a page that belongs to one form field."""

from django.conf import settings


def use_language(client, language: str) -> None:
    """What the language switch in the header does: the app keeps the choice in a cookie
    (pages ignore the browser's Accept-Language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


def field_block(html: str, name: str) -> str:
    """The markup of the field whose input is named `name`: from its `<div class="field`
    to the next field (or the end of the form), so a message found there is beside it."""
    at = html.index(f'name="{name}"')
    start = html.rindex('<div class="field', 0, at)
    ends = [i for i in (html.find('<div class="field', at), html.find("</form>", at)) if i > 0]
    return html[start : min(ends)]
