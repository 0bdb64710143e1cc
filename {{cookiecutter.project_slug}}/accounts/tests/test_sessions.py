"""The session store of the settings (config.sessions.SessionStore)."""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config import sessions


def test_a_new_session_is_saved_with_one_insert(db):
    store = sessions.SessionStore()
    store["answer"] = 42

    with CaptureQueriesContext(connection) as queries:
        store.create()

    statements = [query["sql"] for query in queries if "django_session" in query["sql"]]
    assert len(statements) == 1
    assert statements[0].startswith("INSERT")
    assert sessions.SessionStore(store.session_key)["answer"] == 42


def test_a_key_already_taken_is_drawn_again(db, monkeypatch):
    taken = sessions.SessionStore()
    taken["owner"] = "first"
    taken.create()
    keys = iter([taken.session_key, "k" * 32])
    monkeypatch.setattr(sessions, "get_random_string", lambda *args: next(keys))

    store = sessions.SessionStore()
    store["owner"] = "second"
    store.create()

    assert store.session_key == "k" * 32
    assert sessions.SessionStore(taken.session_key)["owner"] == "first"
    assert Session.objects.count() == 2


def test_a_new_key_keeps_the_data_and_is_stored_once_at_save(db):
    store = sessions.SessionStore()
    store["cart"] = [1, 2]
    store.create()
    old_key = store.session_key

    store.cycle_key()
    store["user"] = "ann"
    with CaptureQueriesContext(connection) as queries:
        store.save()

    writes = [query["sql"] for query in queries if "django_session" in query["sql"]]
    assert len(writes) == 1
    assert writes[0].startswith("INSERT")
    assert store.session_key not in (None, old_key)
    assert not store.exists(old_key)
    saved = sessions.SessionStore(store.session_key)
    assert (saved["cart"], saved["user"]) == ([1, 2], "ann")


@pytest.mark.parametrize("key", ["\x00" * 32, "a" * 41, "UPPERCASE-KEY-NOT-DRAWN-HERE"])
def test_a_key_this_store_never_draws_names_no_session(db, key):
    store = sessions.SessionStore(key)

    with CaptureQueriesContext(connection) as queries:
        assert store.get("_auth_user_id") is None

    assert store.session_key is None
    assert not [query for query in queries if "django_session" in query["sql"]]
