"""Request middleware: anonymous users see only the login page (RO-1); page language."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation

# Paths open to everybody: login, health, the OpenAPI schema and its UI, static files.
PUBLIC_PREFIXES = ("/accounts/login/", "/healthz", "/api/schema/", "/api/docs/", "/i18n/")


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        public = path.startswith(PUBLIC_PREFIXES) or path.startswith("/" + settings.STATIC_URL)
        if public or request.user.is_authenticated or path.startswith("/api/"):
            # The API authenticates per request (session or token) and answers 401 itself.
            return self.get_response(request)
        if request.headers.get("HX-Request"):
            return JsonResponse({"detail": "login required"}, status=401)
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)


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
