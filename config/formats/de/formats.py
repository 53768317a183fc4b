"""Output formats of German pages (the primary language): 05.01.2026 and 05.01.2026 09:05.
Input formats stay Django's (date fields use ISO ``<input type="date">``). See
config/formats/__init__.py."""

DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
