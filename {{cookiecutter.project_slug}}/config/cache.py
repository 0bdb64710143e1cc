"""The database cache, with writes that cost one statement."""

import base64
import contextlib
import pickle
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import DatabaseError, connections, router, transaction
from django.utils import timezone


class DatabaseCache(DjangoDatabaseCache):
    """Django's database cache, writing values with a single upsert.

    Throttles write their counters on every request they let through, with
    one ``set_many``. Django's own backend spends four statements on each
    value (it counts the whole table, then selects and updates in a
    transaction), and once the table holds more than MAX_ENTRIES rows it
    deletes a third of them, live throttle counters included, so that anyone
    who fills the table resets every limit. Here a write of any number of
    values is one statement, and only expired rows are ever deleted: by one
    statement every ``sweep_every`` writes of a process.
    """

    sweep_every = 1000

    def __init__(self, table, params):
        super().__init__(table, params)
        self._writes = 0

    def _base_set(self, mode, key, value, timeout=DEFAULT_TIMEOUT):
        if mode != "set" or not self._upserts():
            return super()._base_set(mode, key, value, timeout)
        return self._upsert({key: value}, timeout)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        """Write every value with one statement; return the keys not written."""
        if not data or not self._upserts():
            return super().set_many(data, timeout, version)
        keys = {self.make_and_validate_key(key, version=version): key for key in data}
        values = {made: data[key] for made, key in keys.items()}
        return [] if self._upsert(values, timeout) else list(data)

    def _upserts(self):
        connection = connections[router.db_for_write(self.cache_model_class)]
        return connection.vendor in ("postgresql", "sqlite")

    def _upsert(self, values, timeout):
        """Insert or replace rows for these (already made) keys; False on failure."""
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        timeout = self.get_backend_timeout(timeout)
        tz = UTC if settings.USE_TZ else None
        expires = (
            datetime.max if timeout is None else datetime.fromtimestamp(timeout, tz)
        )
        expires = connection.ops.adapt_datetimefield_value(
            expires.replace(microsecond=0)
        )
        params = []
        for key, value in values.items():
            pickled = pickle.dumps(value, self.pickle_protocol)
            params += [key, base64.b64encode(pickled).decode("latin1"), expires]
        table = connection.ops.quote_name(self._table)
        rows = ", ".join(["(%s, %s, %s)"] * len(values))
        # A savepoint only inside a transaction, so that a failed write cannot
        # break the caller's; on its own the upsert is atomic.
        savepoint = (
            transaction.atomic(using=db)
            if connection.in_atomic_block
            else contextlib.nullcontext()
        )
        try:
            with savepoint, connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} (cache_key, value, expires) VALUES {rows}"
                    " ON CONFLICT (cache_key) DO UPDATE"
                    " SET value = excluded.value, expires = excluded.expires",
                    params,
                )
                self._writes += 1
                if self._writes % self.sweep_every == 0:
                    now = timezone.now().replace(microsecond=0)
                    cursor.execute(
                        f"DELETE FROM {table} WHERE expires < %s",
                        [connection.ops.adapt_datetimefield_value(now)],
                    )
        except DatabaseError:
            # As in Django's backend: a cache write may fail without an error.
            return False
        return True
