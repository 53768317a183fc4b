from . import roles as role_checks


def roles(request):
    """Role flags for templates: navigation and buttons show only what a user may do."""
    user = request.user
    return {
        "role_names": sorted(role_checks.user_roles(user)),
        "is_caseworker": role_checks.is_caseworker(user),
        "is_supervisor": role_checks.is_supervisor(user),
        "is_administrator": role_checks.is_administrator(user),
    }
