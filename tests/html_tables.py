"""Reads an HTML table of a rendered page into rows, so that a test can assert what a
particular row says (who acted on which entry) instead of looking for words anywhere."""

from __future__ import annotations

import re
from html import unescape


def _text(fragment: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def table_rows(html: str, marker: str) -> list[dict[str, str]]:
    """The body rows of the first table whose opening tag contains ``marker`` (an id or a
    data-testid), each as {column heading: cell text}."""
    start = html.index(marker)
    table = html[start : html.index("</table>", start)]
    head, _, body = table.partition("<tbody>")
    headings = [_text(th) for th in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = [_text(td) for td in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        rows.append(dict(zip(headings, cells, strict=True)))
    return rows
