"""Human-readable reference numbers ("B-0000001", "IF-0000001", "PBF-0000001").

The next number is the highest existing one with the same prefix plus one. On
PostgreSQL a transaction-scoped advisory lock per prefix serialises the pick-and-insert,
so parallel registrations wait for each other instead of colliding; the lock ends with
the caller's transaction. Elsewhere (SQLite serialises writers anyway) a collision on the
unique index is retried inside a savepoint with a fresh number.
"""

from __future__ import annotations

import zlib

from django.db import IntegrityError, connection, models, transaction

ATTEMPTS = 10


def next_reference(
    model: type[models.Model], prefix: str, *, width: int = 7, field: str = "reference"
) -> str:
    """The next free reference for `prefix` (zero-padded, so text order is number order)."""
    last = (
        model.objects.filter(**{f"{field}__startswith": prefix})
        .order_by(f"-{field}")
        .values_list(field, flat=True)
    )
    number = 0
    for reference in last[:20]:
        suffix = reference[len(prefix) :]
        if suffix.isdigit() and len(suffix) == width:
            number = int(suffix)
            break
    return f"{prefix}{number + 1:0{width}d}"


def save_with_reference(
    instance: models.Model, *, prefix: str, width: int = 7, field: str = "reference"
) -> models.Model:
    """Insert `instance` with the next reference; retry when a parallel insert took it."""
    model = type(instance)
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            key = zlib.crc32(f"{model._meta.db_table}:{prefix}".encode())
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
    for attempt in range(ATTEMPTS):
        value = next_reference(model, prefix, width=width, field=field)
        setattr(instance, field, value)
        try:
            with transaction.atomic():
                instance.save()
        except IntegrityError:
            taken = model.objects.filter(**{field: value}).exists()
            if not taken or attempt == ATTEMPTS - 1:
                raise
            instance.pk = None
            instance._state.adding = True
            continue
        return instance
    raise AssertionError("unreachable")  # pragma: no cover
