"""Output formats of English pages: "5 Jan 2026" and "5 Jan 2026 09:05" — the month by
name, so neither a British nor an American reader can swap day and month. Input formats
stay Django's (date fields use ISO ``<input type="date">``). See config/formats/__init__.py."""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
