"""DRF permissions for the roles of RO-1.

The default: caseworkers and supervisors read and write casework endpoints;
administrators may read them. Administration endpoints (products, deduction
types, payment runs, event mappings) use `IsAdministratorOrReadOnly`.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from . import roles


class IsCaseworkerOrReadOnlyStaff(BasePermission):
    message = "Nur Fallbearbeiter und Fall-Supervisoren dürfen Fälle und Abzüge bearbeiten."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if roles.is_caseworker(user):
            return True
        return request.method in SAFE_METHODS and roles.is_administrator(user)


class IsAdministratorOrReadOnly(BasePermission):
    message = "Nur Administratoren dürfen die Konfiguration ändern."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if roles.is_administrator(user):
            return True
        return request.method in SAFE_METHODS and roles.is_caseworker(user)


class IsAdministrator(BasePermission):
    message = "Nur Administratoren dürfen diese Aktion ausführen."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated) and roles.is_administrator(
            request.user
        )


class IsSupervisor(BasePermission):
    message = "Nur Fall-Supervisoren dürfen diese Aktion ausführen."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated) and roles.is_supervisor(
            request.user
        )


class IsAuthenticatedUser(BasePermission):
    """Any signed-in user with a role (tasks inbox, notifications)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and roles.user_roles(user))
