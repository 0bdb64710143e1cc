import pytest
{%- if cookiecutter.auth != "session" %}
from knox.models import AuthToken
{%- endif %}

from accounts.tests.conftest import (
    PASSWORD,
{%- if cookiecutter.auth != "token" %}
    session_client,
{%- endif %}
{%- if cookiecutter.auth != "session" %}
    token_client,
{%- endif %}
)

CHANGE_PASSWORD_URL = "/api/v1/accounts/change-password/"
PROFILE_URL = "/api/v1/accounts/profile/"
{%- if cookiecutter.auth != "session" %}
LOGIN_URL = "/api/v1/accounts/login/"
{%- endif %}
NEW_PASSWORD = "another Passphrase 8"
{%- if cookiecutter.auth == "session" %}
NOT_AUTHENTICATED = 403
{%- else %}
NOT_AUTHENTICATED = 401
{%- endif %}


def password_change(**fields):
    """Return a valid change-password body, changed by ``fields``."""
    return {
        "old_password": PASSWORD,
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
        **fields,
    }


def test_change_password_answers_200(signed_in_client):
    response = signed_in_client.post(CHANGE_PASSWORD_URL, password_change())

    assert response.status_code == 200
    assert response.json() == {"detail": "Password changed successfully"}


def test_change_password_replaces_the_old_password(signed_in_client, user):
    signed_in_client.post(CHANGE_PASSWORD_URL, password_change())

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)


def test_change_password_refuses_a_wrong_old_password(signed_in_client, user):
    body = password_change(old_password="not the Passphrase 7")

    response = signed_in_client.post(CHANGE_PASSWORD_URL, body)

    assert response.status_code == 400
    assert response.json() == {"old_password": ["Old password is not correct"]}
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_change_password_does_not_trim_the_old_password(signed_in_client):
    body = password_change(old_password=f"{PASSWORD} ")

    response = signed_in_client.post(CHANGE_PASSWORD_URL, body)

    assert response.status_code == 400
    assert response.json() == {"old_password": ["Old password is not correct"]}


def test_change_password_keeps_the_new_password_exactly_as_typed(
    signed_in_client, user
):
    password = f" {NEW_PASSWORD} "
    body = password_change(password=password, password_confirm=password)

    signed_in_client.post(CHANGE_PASSWORD_URL, body)

    user.refresh_from_db()
    assert user.check_password(password)
    assert not user.check_password(NEW_PASSWORD)


def test_change_password_refuses_passwords_that_do_not_match(signed_in_client):
    body = password_change(password_confirm=f"{NEW_PASSWORD}!")

    response = signed_in_client.post(CHANGE_PASSWORD_URL, body)

    assert response.status_code == 400
    assert response.json() == {"password_confirm": ["Passwords don't match"]}


@pytest.mark.parametrize("field", ["old_password", "password", "password_confirm"])
def test_change_password_requires_each_field(signed_in_client, field):
    body = password_change()
    del body[field]

    response = signed_in_client.post(CHANGE_PASSWORD_URL, body)

    assert response.status_code == 400
    assert response.json() == {field: ["This field is required."]}


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("x7#Lq", "This password is too short. It must contain at least 8 characters."),
        ("iloveyou", "This password is too common."),
        ("4829301756", "This password is entirely numeric."),
        ("ann@example.com", "The password is too similar to the email address."),
    ],
)
def test_change_password_runs_the_password_validators(
    signed_in_client, user, password, message
):
    body = password_change(password=password, password_confirm=password)

    response = signed_in_client.post(CHANGE_PASSWORD_URL, body)

    assert response.status_code == 400
    assert response.json() == {"password": [message]}
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_change_password_refuses_an_over_long_password(signed_in_client):
    password = "p" * 4097
    body = password_change(password=password, password_confirm=password)

    response = signed_in_client.post(CHANGE_PASSWORD_URL, body)

    assert response.status_code == 400
    assert response.json()["password"] == [
        "Ensure this field has no more than 4096 characters."
    ]


def test_change_password_keeps_the_caller_signed_in(signed_in_client):
    signed_in_client.post(CHANGE_PASSWORD_URL, password_change())

    response = signed_in_client.get(PROFILE_URL)

    assert response.status_code == 200
{%- if cookiecutter.auth != "token" %}


def test_change_password_keeps_the_callers_session(user):
    client = session_client(user)

    client.post(CHANGE_PASSWORD_URL, password_change())

    assert client.get(PROFILE_URL).status_code == 200


def test_change_password_ends_every_other_session(user):
    caller, other = session_client(user), session_client(user)

    caller.post(CHANGE_PASSWORD_URL, password_change())

    assert other.get(PROFILE_URL).status_code == NOT_AUTHENTICATED
{%- endif %}
{%- if cookiecutter.auth != "session" %}


def test_change_password_keeps_the_callers_token(user):
    client = token_client(user)

    client.post(CHANGE_PASSWORD_URL, password_change())

    assert client.get(PROFILE_URL).status_code == 200


def test_change_password_revokes_every_other_token(user):
    caller, other = token_client(user), token_client(user)

    caller.post(CHANGE_PASSWORD_URL, password_change())

    assert other.get(PROFILE_URL).status_code == 401
    assert AuthToken.objects.filter(user=user).count() == 1
{%- endif %}
{%- if cookiecutter.auth == "session+token" %}


def test_change_password_by_token_ends_every_session(user):
    caller, other = token_client(user), session_client(user)

    caller.post(CHANGE_PASSWORD_URL, password_change())

    assert other.get(PROFILE_URL).status_code == NOT_AUTHENTICATED


def test_change_password_by_session_revokes_every_token(user):
    caller, other = session_client(user), token_client(user)

    caller.post(CHANGE_PASSWORD_URL, password_change())

    assert other.get(PROFILE_URL).status_code == 401
    assert not AuthToken.objects.filter(user=user).exists()
{%- endif %}


def test_change_password_mails_a_notice_to_the_user(signed_in_client, user, outbox):
    signed_in_client.post(CHANGE_PASSWORD_URL, password_change())

    (message,) = outbox
    assert message.to == [user.email]
    assert "password was changed" in message.subject


def test_failed_password_change_sends_no_mail(signed_in_client, outbox):
    body = password_change(old_password="not the Passphrase 7")

    signed_in_client.post(CHANGE_PASSWORD_URL, body)

    assert outbox == []


def test_change_password_needs_a_signed_in_user(client, db):
    response = client.post(CHANGE_PASSWORD_URL, password_change())

    assert response.status_code == NOT_AUTHENTICATED
{%- if cookiecutter.auth != "session" %}
    assert response.headers["WWW-Authenticate"] == "Token"
{%- endif %}


def test_change_password_answers_405_to_get(signed_in_client):
    response = signed_in_client.get(CHANGE_PASSWORD_URL)

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "GET" not allowed.'}
