"""Home page, health check, the API docs page, the 400 handler and the API's 404 for
unknown URLs."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

from . import home_sections


@login_required
def home(request):
    """The caseworker's start page: what needs attention, and where to go next."""
    return render(
        request,
        "home.html",
        {
            "sections": home_sections.for_user(request.user),
            "panels": home_sections.panels_for_user(request.user),
        },
    )


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


def bad_request(request, exception=None):
    """400 handler: JSON on API paths (a body over the upload limit is 413), the usual
    page elsewhere."""
    from django.core.exceptions import RequestDataTooBig

    from .errors import CommonError
    from .middleware import payload_too_large

    if request.path_info.startswith("/api/"):
        if isinstance(exception, RequestDataTooBig):
            return payload_too_large()
        return JsonResponse(
            {"detail": "Ungültige Anfrage.", "code": CommonError.BAD_REQUEST}, status=400
        )
    return defaults.bad_request(request, exception)


SWAGGER_CDN = "https://cdn.jsdelivr.net"


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI without inline script or style (CSP): the init script is a separate
    request (drf-spectacular's split view), the page template has no <style> block, and
    this page alone may load Swagger UI from its CDN."""

    template_name = "api_docs.html"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response._csp_update = {
            "script-src": [SWAGGER_CDN],
            "style-src": [SWAGGER_CDN],
            "img-src": [SWAGGER_CDN],
        }
        return response


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
@schema(None)
def api_not_found(request, *args, **kwargs):
    """Any other URL under /api/: a JSON 404 like the API's own, not the HTML error page
    (an id that is no number, for example, matches no route)."""
    raise NotFound()
