"""URLs: pages per app, the versioned REST API, schema and docs, health, admin."""

from importlib import import_module

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from . import views
from .api import router

DOMAIN_APPS = ("participants", "products", "cases", "deductions", "payments", "workflow")

api_urlpatterns = []
for app_name in DOMAIN_APPS:
    # Importing each app's api module registers its viewsets on the shared router.
    module = import_module(f"{app_name}.api")
    api_urlpatterns += getattr(module, "urlpatterns", [])
api_urlpatterns += router.urls

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", views.ApiDocsView.as_view(url_name="schema"), name="api-docs"),
    path("api/v1/", include(api_urlpatterns)),
    re_path(r"^api/", views.api_not_found),
]
for app_name in DOMAIN_APPS:
    urlpatterns.append(path("", include(f"{app_name}.urls")))

handler400 = "config.views.bad_request"

admin.site.site_header = "Leistungsabzüge – Administration"
admin.site.site_title = "Leistungsabzüge"
