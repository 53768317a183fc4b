"""The access decorator of every page (RO-1): 403 unless the signed-in user's role allows
the page. Anonymous users never get here (the login middleware sends them to log in).
API endpoints use the DRF permissions of config/permissions.py instead."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from . import roles

RoleCheck = Callable[..., bool]
View = Callable[..., HttpResponse]
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def role_required(check: RoleCheck, *, to_write: RoleCheck | None = None) -> Callable[[View], View]:
    """Page decorator: 403 unless ``check(user)``; with ``to_write``, requests that change
    something (POST and the like) need ``to_write(user)`` instead."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            allowed = check if to_write is None or request.method in SAFE_METHODS else to_write
            if not allowed(request.user):
                raise PermissionDenied(_("Für diese Seite fehlt Ihnen die Berechtigung."))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# The combinations the pages use.
any_role_required = role_required(roles.has_role_any)
casework_required = role_required(roles.is_caseworker)
casework_read_required = role_required(roles.can_read_casework)
# Caseworkers act; administrators may look.
casework_page = role_required(roles.can_read_casework, to_write=roles.is_caseworker)
administrator_required = role_required(roles.is_administrator)
