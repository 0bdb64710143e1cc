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
    statement every ``sweep_every`` writes of a process, not by reads.
    """

    sweep_every = 1000

    def __init__(self, table, params):
        super().__init__(table, params)
        self._writes = 0

    def get_many(self, keys, version=None):
        """Read the live values with one statement; expired rows stay for the sweep.

        Django's backend deletes the expired rows it reads, in the same
        request, with one statement for all of them; against a concurrent
        write of the same rows in another order that can deadlock.
        """
        if not keys or not self._upserts():
            return super().get_many(keys, version)
        key_map = {
            self.make_and_validate_key(key, version=version): key for key in keys
        }
        connection = connections[router.db_for_read(self.cache_model_class)]
        table = connection.ops.quote_name(self._table)
        # Expiry times are whole seconds; live means later than this second,
        # as in Django's has_key().
        now = timezone.now().replace(microsecond=0)
        placeholders = ", ".join(["%s"] * len(key_map))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT cache_key, value FROM {table}"
                f" WHERE cache_key IN ({placeholders}) AND expires > %s",
                [*key_map, connection.ops.adapt_datetimefield_value(now)],
            )
            rows = cursor.fetchall()
        return {
            key_map[key]: pickle.loads(
                base64.b64decode(connection.ops.process_clob(value).encode())
            )
            for key, value in rows
        }

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
        # In key order, so that two writes of the same rows lock them in the
        # same order and one waits for the other rather than deadlocking.
        for key, value in sorted(values.items()):
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
                    self._sweep(connection, cursor, table)
        except DatabaseError:
            # As in Django's backend: a cache write may fail without an error.
            return False
        return True

    @staticmethod
    def _sweep(connection, cursor, table):
        """Delete expired rows, skipping any a concurrent write holds."""
        now = timezone.now().replace(microsecond=0)
        expired = f"SELECT cache_key FROM {table} WHERE expires < %s"
        if connection.vendor == "postgresql":
            # Never waiting for a row lock, the sweep cannot be part of a deadlock.
            expired += " FOR UPDATE SKIP LOCKED"
        cursor.execute(
            f"DELETE FROM {table} WHERE cache_key IN ({expired})",
            [connection.ops.adapt_datetimefield_value(now)],
        )
