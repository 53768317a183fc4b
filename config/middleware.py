"""Request middleware: anonymous users see only the login page (RO-1); page language."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _

from .errors import CommonError

# Paths open to everybody (RO-1: anonymous users see only the login page): login, health,
# language switching, static files. The OpenAPI schema answers anonymous clients 401 like
# the rest of the API (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]); its UI is a page.
PUBLIC_PREFIXES = ("/accounts/login/", "/healthz", "/i18n/")
# Pages under /api/ (which otherwise answers 401 itself): behind the login page.
LOGIN_PAGES_UNDER_API = ("/api/docs/",)


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        public = path.startswith(PUBLIC_PREFIXES) or path.startswith("/" + settings.STATIC_URL)
        api = path.startswith("/api/") and not path.startswith(LOGIN_PAGES_UNDER_API)
        if public or request.user.is_authenticated or api:
            # The API authenticates per request (session or token) and answers 401 itself.
            return self.get_response(request)
        if request.headers.get("HX-Request"):
            return JsonResponse({"detail": "login required"}, status=401)
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)


class ApiBodyLimitMiddleware:
    """API bodies over DATA_UPLOAD_MAX_MEMORY_SIZE: a JSON 413 at once, before anything
    reads them (Django's own check answered with an HTML 400, and DRF reads the stream
    past it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and request.path_info.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return payload_too_large()
        return self.get_response(request)


def payload_too_large() -> JsonResponse:
    message = _("Der Inhalt ist zu groß (höchstens %(limit)s Bytes).") % {
        "limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    }
    return JsonResponse({"detail": message, "code": CommonError.PAYLOAD_TOO_LARGE}, status=413)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Pages speak German unless the user switched language (cookie); the browser's
    Accept-Language is ignored there, since caseworkers' browsers are often English.
    The API honours Accept-Language for its `*_display` labels (api.md)."""

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
