"""Output formats for this language; input formats stay Django's (date fields use ISO
``<input type="date">``). Shared with the other language: see config/formats/__init__.py."""

DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
