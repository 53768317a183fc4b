"""Roles (RO-1) as Django groups, and the checks every view and endpoint uses.

Caseworker: cases, nominees, components, deductions, simulations.
Case supervisor: as caseworker, plus tasks and overriding the maximum deduction rate.
Administrator: products, deduction types, links, event mappings, payment runs, users.
Superusers hold every role.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, Group, Permission, User

CASEWORKER = "Caseworker"
SUPERVISOR = "Case supervisor"
ADMINISTRATOR = "Administrator"
ROLES = (CASEWORKER, SUPERVISOR, ADMINISTRATOR)

# App labels whose models each role maintains (add/change/delete/view) in admin.
_CASEWORK_APPS = ("participants", "cases", "deductions")
_CASEWORK_VIEW_APPS = ("products", "payments", "workflow")
# "axes": administrators unlock logins locked after failed attempts (delete the attempt).
_ADMIN_APPS = (
    "products",
    "workflow",
    "payments",
    "django_celery_beat",
    "auth",
    "authtoken",
    "axes",
)
_ADMIN_VIEW_APPS = ("participants", "cases", "deductions", "core")


def user_roles(user: User | AnonymousUser) -> set[str]:
    """The role names a user holds (cached on the user object per request)."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return set(ROLES)
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._role_names = cached
    return cached


def has_role(user: User | AnonymousUser, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def is_caseworker(user) -> bool:
    """Caseworkers and case supervisors maintain cases and deductions."""
    return has_role(user, CASEWORKER, SUPERVISOR)


def is_supervisor(user) -> bool:
    return has_role(user, SUPERVISOR)


def is_administrator(user) -> bool:
    return has_role(user, ADMINISTRATOR)


def can_read_casework(user) -> bool:
    """Casework pages and endpoints: caseworkers act, administrators may read."""
    return is_caseworker(user) or is_administrator(user)


def _perms(app_labels: tuple[str, ...], actions: tuple[str, ...] | None = None):
    qs = Permission.objects.filter(content_type__app_label__in=app_labels)
    if actions:
        from django.db.models import Q

        cond = Q()
        for action in actions:
            cond |= Q(codename__startswith=f"{action}_")
        qs = qs.filter(cond)
    return list(qs)


def sync_role_permissions() -> None:
    """Create the three groups and (re)assign their model permissions. Idempotent."""
    caseworker, _ = Group.objects.get_or_create(name=CASEWORKER)
    supervisor, _ = Group.objects.get_or_create(name=SUPERVISOR)
    administrator, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    casework = _perms(_CASEWORK_APPS, ("add", "change", "view")) + _perms(
        _CASEWORK_VIEW_APPS, ("view",)
    )
    caseworker.permissions.set(casework)
    supervisor.permissions.set(casework)
    administrator.permissions.set(_perms(_ADMIN_APPS) + _perms(_ADMIN_VIEW_APPS, ("view",)))


def sync_role_permissions_signal(sender, **kwargs) -> None:
    """After migrate: make sure every app's permissions exist, then assign them."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=kwargs.get("using", "default"))
    sync_role_permissions()


def has_role_any(user) -> bool:
    """Signed in and holding at least one role."""
    return bool(user_roles(user))
