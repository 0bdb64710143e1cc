{%- if cookiecutter.auth != "session" -%}
from datetime import timedelta

{% endif -%}
import pytest
{%- if cookiecutter.auth != "session" %}
import time_machine
{%- endif %}
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
{%- if cookiecutter.auth != "token" %}
from django.contrib.sessions.backends.db import SessionStore
{%- endif %}
{%- if cookiecutter.auth != "session" %}
from knox.models import AuthToken
{%- endif %}

from accounts.models import User
from accounts.tests.conftest import PASSWORD, make_user

LOGIN_URL = "/api/v1/accounts/login/"
PROFILE_URL = "/api/v1/accounts/profile/"
LOGIN_INVALID = {"detail": "Login or password invalid."}
{%- if cookiecutter.auth == "session+token" %}
# Measured: reading the user, recording last_login, sweeping expired tokens,
# storing the new token, and inserting the new session in a savepoint.
LOGIN_QUERIES = 7
{%- elif cookiecutter.auth == "session" %}
# Measured: reading the user, recording last_login, and inserting the new
# session in a savepoint.
LOGIN_QUERIES = 5
{%- else %}
# Measured: reading the user, recording last_login, sweeping expired tokens
# and storing the new token.
LOGIN_QUERIES = 4
{%- endif %}

BAD_LOGINS = [
    pytest.param("nobody@example.com", PASSWORD, id="unknown login"),
    pytest.param("ann@example.com", "not the password", id="wrong password"),
    pytest.param("ina@example.com", PASSWORD, id="inactive"),
{%- if cookiecutter.register_verification %}
    pytest.param("una@example.com", PASSWORD, id="unverified"),
{%- endif %}
]


class CountingHasher(MD5PasswordHasher):
    """The test suite's hasher, counting the passwords it hashes."""

    hashed = 0

    def encode(self, password, salt):
        type(self).hashed += 1
        return super().encode(password, salt)


@pytest.fixture
def accounts(user):
    """Accounts that exist but cannot sign in, beside the one that can."""
    make_user(email="ina@example.com", is_active=False)
{%- if cookiecutter.register_verification %}
    make_user(email="una@example.com", is_active=False, verified_at=None)
{%- endif %}


@pytest.fixture
def hasher(settings, accounts):
    """Count the hashing done from here on, once the accounts exist."""
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.hashed = 0
    return CountingHasher


def sign_in(client, login="ann@example.com", password=PASSWORD):
    return client.post(LOGIN_URL, {"login": login, "password": password})
{%- if cookiecutter.auth == "session" %}


def test_login_answers_login_successful(client, user):
    response = sign_in(client)

    assert response.status_code == 200
    assert response.json() == {"detail": "Login successful"}
{%- else %}


def test_login_answers_login_successful_and_a_token(client, user):
    response = sign_in(client)

    body = response.json()
    assert response.status_code == 200
    assert body.keys() == {"detail", "token"}
    assert body["detail"] == "Login successful"
{%- endif %}


@pytest.mark.parametrize(("login", "password"), BAD_LOGINS)
def test_login_fails_alike_for_every_bad_login(client, accounts, login, password):
    response = sign_in(client, login, password)

    assert response.status_code == 400
    assert response.json() == LOGIN_INVALID


@pytest.mark.parametrize(
    ("login", "password"),
    [pytest.param("ann@example.com", PASSWORD, id="success"), *BAD_LOGINS],
)
def test_login_hashes_the_password_once_whatever_the_outcome(
    client, hasher, login, password
):
    sign_in(client, login, password)

    assert hasher.hashed == 1


def test_login_ignores_the_case_of_the_email(client, user):
    response = sign_in(client, login="ANN@Example.COM")

    assert response.status_code == 200


def test_login_uses_the_password_exactly_as_typed(client, user):
    response = sign_in(client, password=f" {PASSWORD}")

    assert response.status_code == 400
{%- if cookiecutter.username_type == "username" %}


def test_login_accepts_the_username(client, user):
    response = sign_in(client, login=user.username)

    assert response.status_code == 200


def test_login_matches_the_username_exactly(client, user):
    response = sign_in(client, login=user.username.upper())

    assert response.status_code == 400
{%- endif %}


def test_login_records_the_time_of_login(client, user):
    sign_in(client)

    assert User.objects.get(pk=user.pk).last_login is not None


@pytest.mark.parametrize("field", ["login", "password"])
def test_login_needs_a_login_and_a_password(client, db, field):
    body = {"login": "ann@example.com", "password": PASSWORD}
    del body[field]

    response = client.post(LOGIN_URL, body)

    assert response.status_code == 400
    assert response.json() == {field: ["This field is required."]}
{%- if cookiecutter.auth != "token" %}


def test_login_starts_a_session(client, user):
    sign_in(client)

    response = client.get(PROFILE_URL)

    assert response.status_code == 200


def test_login_rotates_the_session_key(client, user):
    planted = SessionStore()
    planted.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key

    sign_in(client)

    assert client.cookies[settings.SESSION_COOKIE_NAME].value != planted.session_key
    assert not SessionStore().exists(planted.session_key)


def test_login_again_as_the_same_user_rotates_the_session_key(client, user):
    sign_in(client)
    first = client.cookies[settings.SESSION_COOKIE_NAME].value

    sign_in(client)

    second = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert second != first
    assert not SessionStore().exists(first)
    assert client.get(PROFILE_URL).status_code == 200


@pytest.mark.parametrize("cookie", ["\x00abcdefghij", "a" * 41, "key with spaces"])
def test_login_with_a_malformed_session_cookie_starts_a_new_session(
    client, user, cookie
):
    response = client.post(
        LOGIN_URL,
        {"login": user.email, "password": PASSWORD},
        headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
    )

    assert response.status_code == 200
    assert response.cookies[settings.SESSION_COOKIE_NAME].value != cookie
{%- else %}


def test_login_starts_no_session(client, user):
    response = sign_in(client)

    assert settings.SESSION_COOKIE_NAME not in response.cookies
{%- endif %}
{%- if cookiecutter.auth != "session" %}


def test_login_token_works_on_the_profile(client, user):
    token = sign_in(client).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = client.get(PROFILE_URL)

    assert response.status_code == 200
    assert response.json()["id"] == user.pk


def test_each_login_issues_a_new_token(client, user):
    first = sign_in(client).json()["token"]

    second = sign_in(client).json()["token"]

    assert first != second
    assert AuthToken.objects.filter(user=user).count() == 2


def test_login_stores_only_a_digest_of_the_token(client, user):
    token = sign_in(client).json()["token"]

    stored = AuthToken.objects.get(user=user)

    assert token not in {stored.digest, stored.token_key}


def test_login_token_stops_working_when_it_expires(client, user):
    token = sign_in(client).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    with time_machine.travel(settings.REST_KNOX["TOKEN_TTL"] + timedelta(minutes=1)):
        response = client.get(PROFILE_URL)

    assert response.status_code == 401


def test_login_clears_the_users_expired_tokens(client, user):
    sign_in(client)

    with time_machine.travel(settings.REST_KNOX["TOKEN_TTL"] + timedelta(minutes=1)):
        sign_in(client)

    assert AuthToken.objects.filter(user=user).count() == 1


def test_failed_login_issues_no_token(client, accounts):
    sign_in(client, login="ina@example.com")

    assert not AuthToken.objects.exists()
{%- endif %}


def test_login_query_count(client, user, django_assert_num_queries):
    body = {"login": user.email, "password": PASSWORD}

    with django_assert_num_queries(LOGIN_QUERIES):
        response = client.post(LOGIN_URL, body)

    assert response.status_code == 200
