"""Database sessions that start without a query to check the new key is free."""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.utils.crypto import get_random_string


class SessionStore(db.SessionStore):
    """Django's database sessions, less one query each time a session starts.

    Django looks a new random key up before inserting the session under it.
    The insert is refused all the same if the key is taken, and Django then
    draws another key (SessionBase.create), so the lookup only costs a query,
    at every login.
    """

    def _get_new_session_key(self):
        return get_random_string(32, VALID_KEY_CHARS)

    async def _aget_new_session_key(self):
        return self._get_new_session_key()
