"""Request limits, counted in the shared cache so they hold across processes.

Each view names a ``throttle_scope`` (counted per client address, or per user
once signed in) and may name an ``account_throttle_scope`` with the request
field that names the account, so that spreading guesses for one account over
many addresses gains nothing.
"""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import normalize_email


@dataclass
class Limit:
    key: str
    num_requests: int
    duration: int


class ScopedThrottle(SimpleRateThrottle):
    """Check the view's limits with one cache read and record them with one write.

    The client address is REMOTE_ADDR, or the one the last trusted proxy saw
    when REST_FRAMEWORK["NUM_PROXIES"] says how many proxies stand in front.
    Each limit keeps the times of the requests it counted within its window,
    as the REST framework's throttles do. A request refused by either limit is
    counted by neither.
    """

    def __init__(self):
        # The scopes and their rates depend on the view.
        self.waits = []

    def allow_request(self, request, view):
        limits = [
            limit
            for limit in (
                self.client_limit(request, view),
                self.account_limit(request, view),
            )
            if limit is not None
        ]
        if not limits:
            return True

        now = self.timer()
        histories = self.cache.get_many([limit.key for limit in limits])
        updated = {}
        for limit in limits:
            history = [
                moment
                for moment in histories.get(limit.key, [])
                if moment > now - limit.duration
            ]
            if len(history) >= limit.num_requests:
                # Allowed again once the oldest request that still counts
                # towards the limit leaves its window.
                oldest = history[limit.num_requests - 1]
                self.waits.append(oldest + limit.duration - now)
            updated[limit.key] = [now, *history]
        if self.waits:
            return False
        self.cache.set_many(updated, max(limit.duration for limit in limits))
        return True

    def wait(self):
        return max(self.waits, default=None)

    def client_limit(self, request, view):
        scope = getattr(view, "throttle_scope", None)
        if not scope:
            return None
        if request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request) or ""
        return self.limit(scope, ident)

    def account_limit(self, request, view):
        scope = getattr(view, "account_throttle_scope", None)
        if not scope:
            return None
        data = request.data
        value = data.get(view.account_field) if hasattr(data, "get") else None
        if not isinstance(value, str) or not value.strip():
            return None
        # Every spelling of one address (case, compatibility forms) is one
        # account. Upper-cased first, as PostgreSQL compares emails: a
        # dotless i (U+0131) matches "i" there, and casefold() keeps them apart.
        return self.limit(scope, normalize_email(value).upper().casefold())

    def limit(self, scope, ident):
        # Looked up on each request: the REST framework copies the rates into
        # its throttle classes when they are defined, so a rate changed
        # afterwards (as tests do) would otherwise be ignored.
        try:
            rate = api_settings.DEFAULT_THROTTLE_RATES[scope]
        except KeyError:
            raise ImproperlyConfigured(
                f"REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'] has no {scope!r} rate."
            ) from None
        num_requests, duration = self.parse_rate(rate)
        if num_requests is None:
            return None
        # Hashed: a forwarded address or an account name is whatever the
        # client sent, and a key too long for the cache table would fail.
        digest = hashlib.sha256(ident.encode(errors="replace")).hexdigest()
        key = self.cache_format % {"scope": scope, "ident": digest}
        return Limit(key, num_requests, duration)
