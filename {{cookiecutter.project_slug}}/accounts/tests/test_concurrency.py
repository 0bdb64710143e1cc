"""Simultaneous requests against a running server, as a busy site sees them.

SQLite serialises every write, so these run on PostgreSQL only (set
DATABASE_URL to run them).
"""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from accounts.models import User
from accounts.tests.conftest import PASSWORD{% if cookiecutter.reset_password %}, link_params, make_user{% elif cookiecutter.register_verification %}, link_params{% endif %}

pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="SQLite serialises every write"
    ),
    pytest.mark.django_db(transaction=True),
]

API = "/api/v1/accounts/"


def post(url, body):
    """Post a JSON body and return the status of the answer."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def post_at_once(url, bodies):
    """Post every body at the same moment, each from its own thread."""
    barrier = threading.Barrier(len(bodies))

    def send(body):
        barrier.wait()
        return post(url, body)

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return sorted(pool.map(send, bodies))


def test_simultaneous_registrations_of_one_email_create_one_account(live_server):
    bodies = [
        {
{%- if cookiecutter.username_type == "username" %}
            "username": f"bob{number}",
{%- endif %}
            "email": "bob@example.com" if number % 2 else "BOB@example.com",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        }
        for number in range(10)
    ]

    statuses = post_at_once(f"{live_server.url}{API}register/", bodies)

    assert statuses == [201] + [400] * 9
    assert User.objects.count() == 1
{%- if cookiecutter.register_verification %}


def test_simultaneous_uses_of_a_registration_link_verify_once(live_server, outbox):
    body = {
{%- if cookiecutter.username_type == "username" %}
        "username": "bobby",
{%- endif %}
        "email": "bob@example.com",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
    }
    post(f"{live_server.url}{API}register/", body)
    params = link_params(outbox[-1])

    statuses = post_at_once(f"{live_server.url}{API}verify-registration/", [params] * 2)

    assert statuses == [200, 400]
{%- endif %}
{%- if cookiecutter.reset_password %}


def test_simultaneous_uses_of_a_reset_link_reset_once(live_server, outbox):
    user = make_user()
    post(f"{live_server.url}{API}send-reset-password-link/", {"login": user.email})
    params = link_params(outbox[-1])
    passwords = ["first new Passphrase 1", "second new Passphrase 2"]

    statuses = post_at_once(
        f"{live_server.url}{API}reset-password/",
        [{**params, "password": password} for password in passwords],
    )

    assert statuses == [200, 400]
    user.refresh_from_db()
    assert any(user.check_password(password) for password in passwords)
{%- endif %}
