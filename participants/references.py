"""Human-readable reference numbers ("B-0000001", "IF-0000001", "PBF-0000001").

The next number is the highest existing one with the same prefix plus one. Two
transactions that pick the same number collide on the unique index; the loser retries
inside a savepoint with a fresh number, so references stay unique and dense enough
without a counter table.
"""

from __future__ import annotations

from django.db import IntegrityError, models, transaction

ATTEMPTS = 5


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
