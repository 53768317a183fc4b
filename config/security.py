"""Login protection (django-axes): the client address and the lockout page."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.settings import api_settings


class LoginAttemptBackend(AxesStandaloneBackend):
    """django-axes' backend, for logins over HTTP only. Every HTTP login (login page,
    admin) passes the request; an `authenticate()` without one (Django's test client
    `login()`, management code) has no address to count and is left to ModelBackend
    instead of failing with AxesBackendRequestParameterRequired."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or with DJANGO_NUM_PROXIES=n the address the
    n-th proxy from the right put into X-Forwarded-For (the same rule as DRF's throttles,
    so logins and the API count one client alike)."""
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    proxies = api_settings.NUM_PROXIES
    if forwarded and proxies:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return remote


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with a German message and 429 (django-axes lockout)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "Zu viele fehlgeschlagene Anmeldeversuche. Die Anmeldung ist für %(minutes)s "
        "Minuten gesperrt; eine Administratorin oder ein Administrator kann sie "
        "vorher freigeben."
    ) % {"minutes": minutes}
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    response = render(
        request,
        "registration/login.html",
        {"form": form, "lockout_message": message, "next": request.GET.get("next", "")},
        status=429,
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
