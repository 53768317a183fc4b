"""Page helpers shared by the participants and cases pages: role decorators (RO-1) and
showing service errors beside form fields."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from config import roles
from config.exceptions import ApplicationError, ValidationFailed


def role_required(check):
    """403 unless `check(user)`; anonymous users never get here (login middleware)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied(_("Für diese Seite fehlt Ihnen die Berechtigung."))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def can_read_casework(user) -> bool:
    return roles.is_caseworker(user) or roles.is_administrator(user)


casework_required = role_required(roles.is_caseworker)
casework_read_required = role_required(can_read_casework)


def apply_errors(form, exc: ApplicationError, mapping: dict[str, str] | None = None) -> None:
    """Put a service error beside the form field it names (else above the form)."""
    mapping = mapping or {}
    if isinstance(exc, ValidationFailed):
        items = exc.errors.items()
    else:
        items = [(exc.field or "detail", [exc.message])]
    for key, messages in items:
        name = mapping.get(key, key)
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
