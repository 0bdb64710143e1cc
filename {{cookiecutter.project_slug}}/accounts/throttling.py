"""Request limits, counted in the shared cache so they hold across processes.

Each view names a ``throttle_scope`` (counted per client address, or per user
once signed in) and may name an ``account_throttle_scope`` with the request
field that names the account, so that spreading guesses for one account over
many addresses gains nothing.
"""

import hashlib

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from accounts.models import normalize_email


class RateFromSettingsMixin:
    """Look a scope's rate up on each request rather than once at import.

    The REST framework copies DEFAULT_THROTTLE_RATES into its throttle classes
    when they are defined, so a rate changed afterwards would be ignored.
    """

    def get_rate(self):
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError:
            raise ImproperlyConfigured(
                f"REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'] has no {self.scope!r} rate."
            ) from None


class ClientRateThrottle(RateFromSettingsMixin, ScopedRateThrottle):
    """Limit the requests of one client address, or one signed-in user.

    The address is REMOTE_ADDR, or the one the last trusted proxy saw when
    REST_FRAMEWORK["NUM_PROXIES"] says how many proxies stand in front.
    """


class AccountRateThrottle(RateFromSettingsMixin, SimpleRateThrottle):
    """Limit requests that name one account, whoever sends them."""

    def __init__(self):
        # The scope and its rate depend on the view, as in ScopedRateThrottle.
        pass

    def allow_request(self, request, view):
        self.scope = getattr(view, "account_throttle_scope", None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        data = request.data
        value = data.get(view.account_field) if hasattr(data, "get") else None
        if not isinstance(value, str) or not value.strip():
            return None
        # Every spelling of one address (case, compatibility forms) is one account.
        account = normalize_email(value).casefold()
        return self.cache_format % {
            "scope": self.scope,
            "ident": hashlib.sha256(account.encode(errors="replace")).hexdigest(),
        }
