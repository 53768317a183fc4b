"""German is the source language; the English catalogue must translate every message and
be compiled, or English users meet German fragments."""

import gettext
import re
from pathlib import Path

import pytest

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries(text: str):
    """(msgid, msgstrs, flags) per entry of a .po file; enough of the format for checks."""
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields: dict[str, str] = {}
        key = None
        for line in lines:
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if "msgid" in fields and fields["msgid"]:
            strs = [v for k, v in fields.items() if k.startswith("msgstr")]
            yield fields["msgid"], strs, flags


def test_every_message_translated_and_none_fuzzy():
    entries = list(_entries(PO.read_text(encoding="utf-8")))
    assert len(entries) > 500
    untranslated = [msgid for msgid, strs, _ in entries if not all(strs)]
    fuzzy = [msgid for msgid, _, flags in entries if "fuzzy" in flags]
    assert untranslated == [] and fuzzy == []


def test_compiled_catalogue_matches_the_po_file():
    with PO.with_suffix(".mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for msgid, strs, _ in _entries(PO.read_text(encoding="utf-8")):
        if "\\" in msgid:  # escapes would need unquoting; the rest proves the point
            continue
        assert catalogue.gettext(msgid) == strs[0] or len(strs) > 1, msgid


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "english"),
    [("/", "Home"), ("/participants/", "Participants"), ("/tasks/", "Tasks")],
)
def test_pages_in_english_after_switch(client, caseworker, path, english):
    client.force_login(caseworker)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert english in client.get(path).content.decode()
