"""The database cache of the production settings (config.cache.DatabaseCache)."""

import threading

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

TABLE = "test_cache_table"
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's"
)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "db": {
        "BACKEND": "config.cache.DatabaseCache",
        "LOCATION": TABLE,
        "OPTIONS": {"MAX_ENTRIES": 3},
    },
}


@pytest.fixture
def db_cache(transactional_db):
    """The cache on its own table; no transaction around the test."""
    with override_settings(CACHES=CACHES):
        call_command("createcachetable", verbosity=0)
        yield caches["db"]
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {connection.ops.quote_name(TABLE)}")


def keys_in_table():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {connection.ops.quote_name(TABLE)}")
        return {row[0].rsplit(":", 1)[-1] for row in cursor.fetchall()}


def test_a_write_is_one_statement(db_cache):
    with CaptureQueriesContext(connection) as queries:
        db_cache.set("counter", [1, 2], 60)

    assert len(queries) == 1
    assert db_cache.get("counter") == [1, 2]


def test_writing_many_values_is_one_statement(db_cache):
    db_cache.set("first", [1], 60)

    with CaptureQueriesContext(connection) as queries:
        failed = db_cache.set_many({"first": [1, 2], "second": [3]}, 60)

    assert failed == []
    assert len(queries) == 1
    assert db_cache.get_many(["first", "second"]) == {"first": [1, 2], "second": [3]}


def test_a_failed_write_of_many_values_names_every_key(db_cache):
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(TABLE)}")

    failed = db_cache.set_many({"first": [1], "second": [2]}, 60)

    assert sorted(failed) == ["first", "second"]
    call_command("createcachetable", verbosity=0)


def test_a_write_replaces_the_value(db_cache):
    db_cache.set("counter", [1], 60)
    db_cache.set("counter", [1, 2], 60)

    assert db_cache.get("counter") == [1, 2]


def test_an_expired_value_is_not_returned(db_cache):
    db_cache.set("counter", [1], 0)

    assert db_cache.get("counter") is None


def test_live_values_are_never_culled(db_cache):
    for number in range(10):
        db_cache.set(f"counter-{number}", [number], 60)

    assert all(db_cache.get(f"counter-{number}") == [number] for number in range(10))


def test_the_sweep_deletes_only_expired_rows(db_cache):
    db_cache.sweep_every = 3
    db_cache.set("old", [1], 0)
    db_cache.set("live", [1], 60)

    db_cache.set("new", [1], 60)

    assert keys_in_table() == {"live", "new"}


def test_add_and_touch_still_work(db_cache):
    assert db_cache.add("counter", [1], 60)
    assert not db_cache.add("counter", [2], 60)
    assert db_cache.touch("counter", 120)
    assert db_cache.get("counter") == [1]


def test_a_failed_write_leaves_the_callers_transaction_usable(db_cache):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {connection.ops.quote_name(TABLE)}")

        db_cache.set("counter", [1], 60)  # fails quietly, as Django's does

        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
        transaction.set_rollback(True)


def test_a_read_leaves_expired_rows_for_the_sweep(db_cache):
    db_cache.set("old", [1], 0)
    db_cache.set("live", [2], 60)

    with CaptureQueriesContext(connection) as queries:
        values = db_cache.get_many(["old", "live"])

    assert values == {"live": [2]}
    assert len(queries) == 1
    assert keys_in_table() == {"old", "live"}


@postgresql_only
def test_the_sweep_skips_rows_another_write_holds(db_cache):
    db_cache.set("old-held", [1], 0)
    db_cache.set("old-free", [1], 0)
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        table = connection.ops.quote_name(TABLE)
        other.execute(
            f"SELECT 1 FROM {table} WHERE cache_key LIKE %s FOR UPDATE",
            ["%old-held"],
        )
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        db_cache.sweep_every = 1

        assert db_cache.set("new", [1], 60) is not False
    finally:
        other.rollback()
        other.close()

    assert keys_in_table() == {"old-held", "new"}


@postgresql_only
def test_simultaneous_writes_of_the_same_keys_never_fail(db_cache):
    failures = []
    barrier = threading.Barrier(2)

    def write(order):
        try:
            barrier.wait()
            for number in range(300):
                failures.extend(db_cache.set_many({key: [number] for key in order}, 60))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=write, args=(order,))
        for order in (["a", "b", "c"], ["c", "b", "a"])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert keys_in_table() == {"a", "b", "c"}
