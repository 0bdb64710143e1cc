"""Database sessions that cost one write to start, at login, not three."""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.utils.crypto import get_random_string

VALID_KEY_SET = frozenset(VALID_KEY_CHARS)


class SessionStore(db.SessionStore):
    """Django's database sessions, started with a single insert.

    At login Django draws a new key, looks it up to see that it is free,
    inserts the session under it, and at the end of the request updates the
    row with the signed-in user. Here the key is drawn when the session is
    saved at the end of the request, and the row inserted once with its data.
    The insert is refused if the key is taken, and another key is drawn
    (SessionBase.create), so the lookup is not needed either. A cookie that
    could not hold such a key is not looked up at all.
    """

    def _validate_session_key(self, key):
        # A cookie holding anything but a key this store could have drawn
        # names no session; it is not looked up (PostgreSQL refuses a NUL).
        return (
            super()._validate_session_key(key)
            and len(key) <= 40
            and set(key) <= VALID_KEY_SET
        )

    def _get_new_session_key(self):
        return get_random_string(32, VALID_KEY_CHARS)

    async def _aget_new_session_key(self):
        return self._get_new_session_key()

    def cycle_key(self):
        """Keep the data for a key drawn when it is saved; forget the old key."""
        data = self._session
        old_key = self.session_key
        self._session_key = None
        self._session_cache = data
        self.modified = True
        if old_key:
            self.delete(old_key)

    async def acycle_key(self):
        data = await self._aget_session()
        old_key = self.session_key
        self._session_key = None
        self._session_cache = data
        self.modified = True
        if old_key:
            await self.adelete(old_key)
