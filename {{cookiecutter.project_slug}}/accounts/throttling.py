"""Request limits, counted in the shared cache so they hold across processes.

Each view names a ``throttle_scope`` (counted per client address, or per user
once signed in) and may name an ``account_throttle_scope`` with the request
field that names the account, so that spreading guesses for one account over
many addresses gains nothing.
"""

import hashlib

from rest_framework.throttling import SimpleRateThrottle

from accounts.models import normalize_email


class AccountRateThrottle(SimpleRateThrottle):
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
        account = normalize_email(value).casefold()
        return self.cache_format % {
            "scope": self.scope,
            "ident": hashlib.sha256(account.encode(errors="replace")).hexdigest(),
        }
