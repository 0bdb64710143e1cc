"""Signed links: what an email carries and the frontend posts back.

A link's query holds ``user_id``, ``timestamp`` and ``signature`` (and for an
email change, the new ``email``). The signature is an HMAC made by Django's
signing framework with one salt per flow, over every parameter and over a
fingerprint of the account state the link may change. Once that state changes
(the account is verified, the password or the email is changed) the
fingerprint no longer matches and the link stops working.
"""

import hashlib
import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from accounts.exceptions import BadRequest

logger = logging.getLogger(__name__)

INVALID_SIGNATURE = _("Invalid signature")
SIGNATURE_EXPIRED = _("Signature expired")


class LinkSigner:
    """Make and check the signed parameters of one flow's links."""

    def __init__(self, salt, period_setting, url_setting):
        self.salt = salt
        self.period_setting = period_setting
        self.url_setting = url_setting

    @property
    def max_age(self):
        return getattr(settings, self.period_setting)

    @property
    def base_url(self):
        return getattr(settings, self.url_setting)

    def make_params(self, user, state=(), **extra):
        """Return the query parameters of a new link for this user.

        ``state`` is a tuple of the account values the link is bound to: when
        any of them changes, the link stops working.
        """
        params = {"user_id": str(user.pk), **extra, "timestamp": int(time.time())}
        value = self._signed_value(params, state)
        signature = signing.Signer(salt=self.salt).signature(value)
        return {**params, "signature": signature}

    def make_url(self, user, state=(), **extra):
        """Return the frontend URL of a new link for this user."""
        query = urlencode(self.make_params(user, state, **extra))
        separator = "&" if "?" in self.base_url else "?"
        return f"{self.base_url}{separator}{query}"

    def check(self, params, state=()):
        """Raise BadRequest unless the parameters were signed for this state.

        The signature is checked with the current SECRET_KEY and then with each
        of SECRET_KEY_FALLBACKS, so rotating the key keeps links already sent.
        """
        params = dict(params)
        signature = params.pop("signature")
        value = self._signed_value(params, state)
        try:
            signing.Signer(salt=self.salt).unsign(f"{value}:{signature}")
        except signing.BadSignature:
            logger.info("Rejected link (%s) for user %s", self.salt, params["user_id"])
            raise BadRequest(INVALID_SIGNATURE) from None

        age = time.time() - params["timestamp"]
        if age > self.max_age.total_seconds():
            logger.info(
                "Rejected expired link (%s) for user %s", self.salt, params["user_id"]
            )
            raise BadRequest(SIGNATURE_EXPIRED)

    def _signed_value(self, params, state):
        fields = [f"{name}={params[name]}" for name in sorted(params)]
        state_digest = hashlib.sha256("\0".join(map(str, state)).encode()).hexdigest()
        return "&".join([*fields, f"state={state_digest}"])
