"""Set-based writes for payment runs: ``rows_insert`` (COPY) and ``rows_update``.

``rows_update`` writes new values for many rows in one statement. On PostgreSQL it is
``UPDATE … FROM (VALUES …)`` sent with ``execute_values``; Django's ``bulk_update``
builds a ``CASE WHEN`` expression per row and field, which costs more Python time than
the whole calculation of a chunk (see docs/performance.md). Other databases use
``bulk_update``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from django.db import connection, models

from ..results import JSONText

PAGE = 2000


def rows_update(*, model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple]) -> None:
    """Set ``fields`` of each row: ``rows`` are ``(pk, value_1, …, value_n)`` tuples."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        objects = []
        for pk, *values in rows:
            obj = model(pk=pk)
            for name, value in zip(fields, values, strict=True):
                obj.__dict__[model._meta.get_field(name).attname] = value
            objects.append(obj)
        model._base_manager.bulk_update(objects, list(fields), batch_size=PAGE)
        return
    meta = model._meta
    columns = [meta.get_field(name).column for name in fields]
    types = [meta.get_field(name).db_type(connection) for name in fields]
    pk_column, pk_type = meta.pk.column, meta.pk.db_type(connection)
    if pk_type.endswith("serial"):
        pk_type = "bigint" if pk_type.startswith("big") else "integer"
    assignments = ", ".join(f'"{c}" = v."{c}"' for c in columns)
    names = ", ".join(f'"{c}"' for c in [pk_column, *columns])
    # The new values go as one array per column, unnested into rows: PostgreSQL parses an
    # array literal in C, while a ``VALUES`` list of a chunk's 4,000 rows took it ~70 ms
    # to parse and plan (and psycopg2 ~60 ms to ``mogrify`` row by row).
    arrays = [_array(column) for column in zip(*rows, strict=True)]
    unnest = ", ".join(f"%s::{t}[]" for t in [pk_type, *types])
    sql = (
        f'UPDATE "{meta.db_table}" AS t SET {assignments} '  # noqa: S608 - identifiers from _meta
        f"FROM unnest({unnest}) AS v({names}) "
        f'WHERE t."{pk_column}" = v."{pk_column}"'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, arrays)


def _array(values: Sequence) -> str:
    """One column as the text of a PostgreSQL array (``{1,2,NULL}``): the types a run
    updates (ints, Decimals, dates, strings, booleans); anything else is refused rather
    than guessed."""
    return "{" + ",".join(map(_element, values)) + "}"


def _element(value) -> str:
    kind = value.__class__
    if value is None:
        return "NULL"
    if kind is int or kind is Decimal:
        if kind is Decimal and not value.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        return str(value)
    if kind is date:
        return value.isoformat()
    if isinstance(value, str):
        return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
    if kind is bool:
        return "t" if value else "f"
    raise TypeError(f"rows_update cannot write {kind.__name__} values")


def rows_insert(
    *, model: type[models.Model], rows: Sequence[dict], returning: bool = False
) -> list[int] | None:
    """Insert ``rows`` (field name → value; every non-null column given) set-based. A JSON
    field's value may be ``results.JSONText``, JSON serialised already.

    On PostgreSQL the ids are drawn from the table's sequence in one query when
    ``returning`` is set, and the rows are sent with ``COPY … FROM STDIN``; elsewhere
    ``bulk_create`` inserts them. Returns the new ids in row order when ``returning``.
    Constraint violations surface as Django's ``IntegrityError`` either way.
    """
    if not rows:
        return [] if returning else None
    if connection.vendor != "postgresql":
        objects = [
            model(**{k: json.loads(v) if v.__class__ is JSONText else v for k, v in row.items()})
            for row in rows
        ]
        created = model._base_manager.bulk_create(objects, batch_size=PAGE)
        return [obj.pk for obj in created] if returning else None
    meta = model._meta
    names = list(rows[0])
    ids = None
    if returning:
        with connection.cursor() as cursor:
            # The sequence looked up once, not per id (that took PostgreSQL 8 ms of 9 for
            # a chunk's 3,000 payment ids).
            cursor.execute(
                "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq)"
                " SELECT nextval(s.seq) FROM s, generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        names = [meta.pk.attname, *names]
    fields = [meta.get_field(name) for name in names]
    columns = ", ".join(f'"{field.column}"' for field in fields)
    # Column by column (rows share their key order): each column's values are converted
    # with one converter, and dates and strings, which repeat, once per distinct value.
    values = list(zip(*(row.values() for row in rows), strict=True))
    if ids is not None:
        values.insert(0, ids)
    converted = [_column(field, column) for field, column in zip(fields, values, strict=True)]
    lines = list(map(",".join, zip(*converted, strict=True)))
    lines.append("")
    sql = f"COPY \"{meta.db_table}\" ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    _copy(sql, "\n".join(lines))
    return ids


def _copy(sql: str, data: str) -> None:
    """Send ``data`` with one ``COPY … FROM STDIN`` statement (tests read the statements
    here to check their column lists against the models)."""
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.cursor.copy_expert(sql, io.StringIO(data))


# Types whose equal values always print equally (a datetime does not: equal instants in
# two time zones print differently; a Decimal neither: 1.1 and 1.10).
_BY_VALUE = frozenset({str, date, type(None)})


def _column(field: models.Field, values: Sequence) -> list[str]:
    """One column's values in PostgreSQL's CSV format (``\\N`` for NULL)."""
    convert = _converter(field)
    if convert is str and None not in values:  # numbers and keys: the common case, in C
        return list(map(str, values))
    if convert is str or convert is _json or convert is _bool:
        return ["\\N" if value is None else convert(value) for value in values]
    # Dates, times and strings: a chunk repeats a few periods, codes and one timestamp
    # thousands of times, so each distinct value is converted once and the column mapped
    # through the results (in C: ``dict.fromkeys``, ``map``). Plain strings and dates are
    # told apart by value; anything else (choices, datetimes) by identity, which is safe
    # because ``values`` keeps every object alive meanwhile.
    if _BY_VALUE.issuperset(map(type, values)):
        texts = {
            value: "\\N" if value is None else convert(value) for value in dict.fromkeys(values)
        }
        return list(map(texts.__getitem__, values))
    keys = list(map(id, values))
    texts = {
        key: "\\N" if value is None else convert(value)
        for key, value in dict(zip(keys, values, strict=True)).items()
    }
    return list(map(texts.__getitem__, keys))


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


# One encoder for every value: ``json.dumps`` with these options builds a new one per call.
_JSON_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _json(value) -> str:
    """A JSON column's value: ``JSONText`` (serialised already) as it is, else encoded."""
    if value.__class__ is JSONText:
        return _quote(value)
    return _quote(_JSON_ENCODER.encode(value))


def _iso(value: date | datetime) -> str:
    return value.isoformat()


def _bool(value: bool) -> str:
    return "t" if value else "f"


def _converter(field: models.Field):
    """How one column's values are written in PostgreSQL's CSV format. Strings are always
    quoted, so that only the unquoted ``\\N`` is NULL."""
    if isinstance(field, models.JSONField):
        return _json
    if isinstance(field, models.BooleanField):
        return _bool
    if isinstance(field, models.DateField):  # DateTimeField is a DateField
        return _iso
    if isinstance(field, models.DecimalField | models.IntegerField | models.AutoField) or (
        field.is_relation
    ):
        return str
    return lambda value: _quote(str(value))
