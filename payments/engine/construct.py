"""Fast construction of the engine's frozen dataclasses (issue #13).

The payment run builds about a dozen result objects per case; a frozen dataclass's
``__init__`` sets each field with ``object.__setattr__``, which made up a third of the
engine's time. ``fast_constructor`` makes a function that builds the same object for a
fraction of that, so the types stay what callers rely on: frozen, slotted dataclasses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, fields


def fast_constructor(cls: type, *, checked_by_caller: bool = False) -> Callable[..., object]:
    """A function that builds an instance of the frozen, slotted dataclass ``cls`` from
    the same arguments as ``cls(...)`` (by keyword, with the same defaults; or by position
    in field order), without its ``__init__``'s cost.

    A frozen dataclass's ``__init__`` sets every field through ``object.__setattr__``; the
    payment run builds ~11 results per case, 120 fields, and that was a third of the
    engine's time. This builds the instance as a plain slotted object of the same layout
    (``__slots__`` identical, so the same memory layout) with ordinary attribute stores, and
    then gives it its class: the result *is* a ``cls`` instance — same type, equality, hash,
    ``repr``, pickling, ``dataclasses.replace``/``fields``/``asdict`` — and frozen like any
    other (assignment raises ``FrozenInstanceError``).

    ``__post_init__`` is not called: only for classes without one (results: nothing to
    validate, the engine computes every field), or with ``checked_by_caller`` where every
    caller builds values that pass it by construction (``periods_due``'s periods).
    tests/payments/engine/test_fast_construction.py checks field by field that it builds
    what ``cls(...)`` builds.
    """
    names = tuple(field.name for field in fields(cls))
    if getattr(cls, "__slots__", None) != names:
        raise TypeError(f"{cls.__name__}: not a slotted dataclass")
    if hasattr(cls, "__post_init__") and not checked_by_caller:
        raise TypeError(f"{cls.__name__}: has a __post_init__ that this would skip")
    if not all(field.init for field in fields(cls)):
        raise TypeError(f"{cls.__name__}: every field must be an __init__ argument")
    builder = type(f"_{cls.__name__}Builder", (), {"__slots__": names})
    defaults: dict[str, object] = {}
    parameters = []
    for field in fields(cls):
        if field.default_factory is not MISSING:
            raise TypeError(f"{cls.__name__}.{field.name}: default factories are not supported")
        if field.default is MISSING:
            parameters.append(field.name)
        else:
            defaults[f"_default_{field.name}"] = field.default
            parameters.append(f"{field.name}=_default_{field.name}")
    stores = "".join(f"    self.{name} = {name}\n" for name in names)
    source = (
        f"def new_{cls.__name__}({', '.join(parameters)}):\n"
        "    self = _builder()\n"
        f"{stores}"
        "    self.__class__ = _cls\n"
        "    return self\n"
    )
    namespace: dict[str, object] = {"_builder": builder, "_cls": cls, **defaults}
    exec(source, namespace)  # noqa: S102 - source built above from the field names only
    constructor = namespace[f"new_{cls.__name__}"]
    constructor.__doc__ = f"Build a {cls.__name__} like {cls.__name__}(...), faster."
    return constructor
