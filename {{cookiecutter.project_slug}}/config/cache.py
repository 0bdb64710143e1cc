"""The database cache, with a write that costs one statement."""

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
    """Django's database cache, writing each value with a single upsert.

    Throttles write a counter on every request they let through. Django's own
    backend spends four statements on each write (it counts the whole table,
    then selects and updates in a transaction), and once the table holds more
    than MAX_ENTRIES rows it deletes a third of them, live throttle counters
    included, so that anyone who fills the table resets every limit. Here a
    write is one statement, and only expired rows are ever deleted: by one
    statement every ``sweep_every`` writes of a process.
    """

    sweep_every = 1000

    def __init__(self, table, params):
        super().__init__(table, params)
        self._writes = 0

    def _base_set(self, mode, key, value, timeout=DEFAULT_TIMEOUT):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if mode != "set" or connection.vendor not in ("postgresql", "sqlite"):
            return super()._base_set(mode, key, value, timeout)

        timeout = self.get_backend_timeout(timeout)
        tz = UTC if settings.USE_TZ else None
        expires = (
            datetime.max if timeout is None else datetime.fromtimestamp(timeout, tz)
        )
        expires = connection.ops.adapt_datetimefield_value(
            expires.replace(microsecond=0)
        )
        pickled = pickle.dumps(value, self.pickle_protocol)
        encoded = base64.b64encode(pickled).decode("latin1")
        table = connection.ops.quote_name(self._table)
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
                    f"INSERT INTO {table} (cache_key, value, expires)"
                    " VALUES (%s, %s, %s) ON CONFLICT (cache_key) DO UPDATE"
                    " SET value = excluded.value, expires = excluded.expires",
                    [key, encoded, expires],
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
