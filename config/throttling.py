"""API throttling (DRF): per user, per client address for anonymous requests and for
failed token attempts. Rates are read from `settings.API_THROTTLE_RATES` at each request
(not frozen at import as DRF's own classes do), so tests and operators can change them.
A throttled request gets 429 with `Retry-After`.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework import throttling
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, Throttled


class SettingsRateMixin:
    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)


class UserRateThrottle(SettingsRateMixin, throttling.UserRateThrottle):
    """Authenticated requests per user."""


class AnonRateThrottle(SettingsRateMixin, throttling.SimpleRateThrottle):
    """Anonymous requests per client address. Keyed by address alone, so it can run
    inside authentication (see ThrottledTokenAuthentication)."""

    scope = "anon"

    def get_cache_key(self, request, view=None):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class FailedTokenThrottle(SettingsRateMixin, throttling.SimpleRateThrottle):
    """Failed token attempts per client address. Authentication fails before DRF's
    throttles run, so the token authentication counts failures itself."""

    scope = "failed_token"

    def get_cache_key(self, request, view=None):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def _load(self, request) -> None:
        self.key = self.get_cache_key(request)
        self.now = self.timer()
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]

    def wait_if_blocked(self, request) -> float | None:
        """Seconds until the next attempt is allowed, or None while under the limit."""
        if self.rate is None:
            return None
        self._load(request)
        if len(self.history) >= self.num_requests:
            return self.wait()
        return None

    def record_failure(self, request) -> None:
        if self.rate is None:
            return
        self._load(request)
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)


class ThrottledTokenAuthentication(TokenAuthentication):
    """TokenAuthentication that counts failed tokens per client address and, once the
    `failed_token` rate is used up, answers 429 (with Retry-After) before checking any
    further token from that address.

    It also counts anonymous requests (no token, no signed-in session) per address: DRF
    checks permissions before throttles, so an anonymous request to an endpoint that
    needs a login would be refused with 401 without ever being counted."""

    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() != self.keyword.lower().encode():
            session_user = getattr(request._request, "user", None)
            if session_user is None or not session_user.is_authenticated:
                throttle = AnonRateThrottle()
                if not throttle.allow_request(request, None):
                    raise Throttled(wait=throttle.wait())
            return None
        throttle = FailedTokenThrottle()
        wait = throttle.wait_if_blocked(request)
        if wait is not None:
            raise Throttled(wait=wait)
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            throttle.record_failure(request)
            raise
