import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import TestCase
from django.utils import timezone
from rest_framework.test import APIClient

PASSWORD = "a long Passphrase 7"
URL_PATTERN = re.compile(r"https?://\S+")


class Client(APIClient):
    """An API client that runs on-commit callbacks, and so the mail tasks.

    Tests run inside a transaction that never commits; this runs what a real
    commit would, before the response comes back.
    """

    def request(self, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**kwargs)


@pytest.fixture(autouse=True)
def _empty_cache():
    # Throttle counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def outbox(db):
    # The database setup empties the outbox by replacing it, so it comes first.
    return mail.outbox


@pytest.fixture
def password():
    return PASSWORD


def make_user(email="ann@example.com", password=PASSWORD, **fields):
    """Create an active{% if cookiecutter.register_verification %}, verified{% endif %} user."""
{%- if cookiecutter.register_verification %}
    fields.setdefault("verified_at", timezone.now())
{%- endif %}
{%- if cookiecutter.username_type == "username" %}
    fields.setdefault("username", email.split("@")[0])
{%- endif %}
    return get_user_model().objects.create_user(
        email=email, password=password, **fields
    )


@pytest.fixture
def user(db):
    return make_user(first_name="Ann", last_name="Smith")


@pytest.fixture
def signed_in_client(client, user):
    """A client signed in as ``user`` the way this project's frontends are."""
{%- if cookiecutter.auth == "session" %}
    client.force_login(user)
{%- else %}
    response = client.post(
        "/api/v1/accounts/login/", {"login": user.email, "password": PASSWORD}
    )
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
{%- endif %}
    return client


@pytest.fixture
def clock(time_machine):
    """Stop the clock on a whole second, so that link ages are exact."""
    time_machine.move_to(timezone.now().replace(microsecond=0), tick=False)
    return time_machine
{%- if cookiecutter.auth != "token" %}


def session_client(user):
    """Return a new client signed in to a session of its own."""
    client = Client()
    client.force_login(user)
    return client
{%- endif %}
{%- if cookiecutter.auth != "session" %}


def token_client(user):
    """Return a new client that presents a token of its own and no session."""
    client = Client()
    response = client.post(
        "/api/v1/accounts/login/", {"login": user.email, "password": PASSWORD}
    )
    client.cookies.clear()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client
{%- endif %}


def link_params(message):
    """Return the query parameters of the one link in a message's text body."""
    (url,) = URL_PATTERN.findall(message.body)
    return dict(parse_qsl(urlsplit(url).query))


def link_url(message):
    (url,) = URL_PATTERN.findall(message.body)
    return url
