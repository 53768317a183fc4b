"""Home page, health check and the API's 404 for unknown URLs."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

from . import home_sections


@login_required
def home(request):
    """The caseworker's start page: what needs attention, and where to go next."""
    return render(request, "home.html", {"sections": home_sections.for_user(request.user)})


@never_cache
@require_GET
def healthz(request):
    """Reports the database and, when configured, the Celery broker. 503 when one is down."""
    checks: dict[str, str] = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - a health check reports, it does not raise
        checks["database"] = f"error: {exc.__class__.__name__}"
        healthy = False
    if settings.CELERY_BROKER_URL:
        try:
            from config.celery import app

            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["broker"] = f"error: {exc.__class__.__name__}"
            healthy = False
    else:
        checks["broker"] = "eager (no broker configured)"
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
@schema(None)
def api_not_found(request, *args, **kwargs):
    """Any other URL under /api/: a JSON 404 like the API's own, not the HTML error page
    (an id that is no number, for example, matches no route)."""
    raise NotFound()
