"""The user's recent cases in full (the home page shows the first few)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from config.access import casework_required

from .. import selectors

# The list is the user's working set, not a search: the newest hundred are enough.
RECENT_LIMIT = 100


@require_GET
@casework_required
def recent_cases(request):
    cases = selectors.recent_cases_for_user(user=request.user, limit=RECENT_LIMIT)
    return render(request, "cases/recent_cases.html", {"cases": cases, "limit": RECENT_LIMIT})
