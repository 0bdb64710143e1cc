from datetime import timedelta

import pytest
from django.core import mail
{%- if cookiecutter.auth != "session" %}
from knox.models import AuthToken
{%- endif %}

from accounts.api.register_email import change_email
from accounts.tests.conftest import (
    PASSWORD,
    link_params,
    make_user,
{%- if cookiecutter.auth != "token" %}
    session_client,
{%- endif %}
{%- if cookiecutter.auth != "session" %}
    token_client,
{%- endif %}
)

SEND_RESET_LINK_URL = "/api/v1/accounts/send-reset-password-link/"
RESET_URL = "/api/v1/accounts/reset-password/"
CHANGE_PASSWORD_URL = "/api/v1/accounts/change-password/"
PROFILE_URL = "/api/v1/accounts/profile/"
{%- if cookiecutter.auth != "session" %}
LOGIN_URL = "/api/v1/accounts/login/"
{%- endif %}
{%- if cookiecutter.register_verification %}
REGISTER_URL = "/api/v1/accounts/register/"
{%- endif %}
{%- if cookiecutter.register_email_verification %}
REGISTER_EMAIL_URL = "/api/v1/accounts/register-email/"
{%- endif %}
NEW_PASSWORD = "another Passphrase 8"
LINK_SENT = {"detail": "Reset link sent if the user exists in database"}
INVALID_SIGNATURE = {"detail": "Invalid signature"}
{%- if cookiecutter.auth == "session" %}
NOT_AUTHENTICATED = 403
{%- else %}
NOT_AUTHENTICATED = 401
{%- endif %}


def reset_link_params(client, login):
    """Ask for a reset link for ``login`` and return the parameters it carries."""
    client.post(SEND_RESET_LINK_URL, {"login": login})
    return link_params(mail.outbox[-1])


def changed(value):
    """Return a value of the same form that differs in its last character."""
    last = "2" if value[-1] == "1" else "1"
    return value[:-1] + last


def test_send_reset_link_answers_200(client, user):
    response = client.post(SEND_RESET_LINK_URL, {"login": user.email})

    assert response.status_code == 200
    assert response.json() == LINK_SENT


def test_send_reset_link_answers_alike_for_existing_unknown_and_inactive_accounts(
    client, user
):
    make_user(email="idle@example.com", is_active=False)
    logins = [user.email, "nobody@example.com", "idle@example.com"]

    responses = [client.post(SEND_RESET_LINK_URL, {"login": login}) for login in logins]

    assert [(r.status_code, r.json()) for r in responses] == [(200, LINK_SENT)] * 3


def test_reset_link_is_mailed_to_the_account(client, user, outbox):
    client.post(SEND_RESET_LINK_URL, {"login": user.email})

    (message,) = outbox
    assert message.to == [user.email]
    assert link_params(message).keys() == {"user_id", "timestamp", "signature"}
    assert link_params(message)["user_id"] == str(user.pk)


def test_reset_link_goes_to_the_stored_address_whatever_case_was_typed(
    client, outbox, db
):
    make_user(email="Ann.Smith@example.com")

    client.post(SEND_RESET_LINK_URL, {"login": "ANN.SMITH@Example.COM"})

    (message,) = outbox
    assert message.to == ["Ann.Smith@example.com"]
{%- if cookiecutter.username_type == "username" %}


def test_reset_link_can_be_asked_for_by_username(client, user, outbox):
    client.post(SEND_RESET_LINK_URL, {"login": user.username})

    (message,) = outbox
    assert message.to == [user.email]
{%- endif %}


def test_reset_link_stops_working_once_the_email_changes(client, user):
    link = reset_link_params(client, user.email)
    change_email(user, "ann.new@example.com")

    response = client.post(RESET_URL, {**link, "password": NEW_PASSWORD})

    assert response.json() == INVALID_SIGNATURE


def test_send_reset_link_mails_nothing_for_an_unknown_login(client, outbox, db):
    client.post(SEND_RESET_LINK_URL, {"login": "nobody@example.com"})

    assert outbox == []


def test_send_reset_link_mails_nothing_for_an_inactive_account(client, outbox, db):
    make_user(email="idle@example.com", is_active=False)

    client.post(SEND_RESET_LINK_URL, {"login": "idle@example.com"})

    assert outbox == []


def test_send_reset_link_refuses_a_login_sent_as_a_list(client, user, outbox):
    body = {"login": [user.email, "mallory@example.com"]}

    response = client.post(SEND_RESET_LINK_URL, body)

    assert response.status_code == 400
    assert response.json() == {"login": ["Not a valid string."]}
    assert outbox == []


def test_send_reset_link_requires_a_login(client, db):
    response = client.post(SEND_RESET_LINK_URL, {})

    assert response.status_code == 400
    assert response.json() == {"login": ["This field is required."]}


def test_reset_password_answers_200(client, user):
    params = reset_link_params(client, user.email)

    response = client.post(RESET_URL, {**params, "password": NEW_PASSWORD})

    assert response.status_code == 200
    assert response.json() == {"detail": "Reset password successful"}


def test_reset_password_sets_the_new_password(client, user):
    params = reset_link_params(client, user.email)

    client.post(RESET_URL, {**params, "password": NEW_PASSWORD})

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)


def test_reset_password_keeps_the_password_exactly_as_typed(client, user):
    params = reset_link_params(client, user.email)
    password = f" {NEW_PASSWORD} "

    client.post(RESET_URL, {**params, "password": password})

    user.refresh_from_db()
    assert user.check_password(password)
    assert not user.check_password(NEW_PASSWORD)


def test_reset_password_does_not_sign_the_user_in(client, user):
    params = reset_link_params(client, user.email)

    client.post(RESET_URL, {**params, "password": NEW_PASSWORD})

    assert client.get(PROFILE_URL).status_code == NOT_AUTHENTICATED
{%- if cookiecutter.auth != "token" %}


def test_reset_password_ends_every_session(client, user):
    other = session_client(user)
    params = reset_link_params(client, user.email)

    client.post(RESET_URL, {**params, "password": NEW_PASSWORD})

    assert other.get(PROFILE_URL).status_code == NOT_AUTHENTICATED
{%- endif %}
{%- if cookiecutter.auth != "session" %}


def test_reset_password_revokes_every_token(client, user):
    other = token_client(user)
    params = reset_link_params(client, user.email)

    client.post(RESET_URL, {**params, "password": NEW_PASSWORD})

    assert other.get(PROFILE_URL).status_code == 401
    assert not AuthToken.objects.filter(user=user).exists()
{%- endif %}


def test_reset_password_mails_a_notice_to_the_user(client, user, outbox):
    params = reset_link_params(client, user.email)

    client.post(RESET_URL, {**params, "password": NEW_PASSWORD})

    _link_message, notice = outbox
    assert notice.to == [user.email]
    assert "password was changed" in notice.subject


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("x7#Lq", "This password is too short. It must contain at least 8 characters."),
        ("iloveyou", "This password is too common."),
        ("4829301756", "This password is entirely numeric."),
        ("ann@example.com", "The password is too similar to the email address."),
    ],
)
def test_reset_password_runs_the_password_validators(client, user, password, message):
    params = reset_link_params(client, user.email)

    response = client.post(RESET_URL, {**params, "password": password})

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [], "password": [message]}


def test_reset_password_refuses_passwords_that_do_not_match(client, user):
    params = reset_link_params(client, user.email)
    body = {**params, "password": NEW_PASSWORD, "password_confirm": PASSWORD}

    response = client.post(RESET_URL, body)

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [],
        "password_confirm": ["Passwords don't match"],
    }


@pytest.mark.parametrize("field", ["user_id", "timestamp", "signature", "password"])
def test_reset_password_requires_each_field(client, user, field):
    body = {**reset_link_params(client, user.email), "password": NEW_PASSWORD}
    del body[field]

    response = client.post(RESET_URL, body)

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [],
        field: ["This field is required."],
    }


def test_reset_password_refuses_a_malformed_user_id(client, user):
    params = reset_link_params(client, user.email)
    body = {**params, "user_id": "1 OR 1=1", "password": NEW_PASSWORD}

    response = client.post(RESET_URL, body)

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [],
        "user_id": ["A valid user id is required."],
    }


def test_reset_link_survives_a_refused_password(client, user):
    params = reset_link_params(client, user.email)
    client.post(RESET_URL, {**params, "password": "iloveyou"})

    response = client.post(RESET_URL, {**params, "password": NEW_PASSWORD})

    assert response.status_code == 200


def test_reset_link_for_another_user_is_refused(client, user):
    other = make_user(email="bob@example.com")
    params = reset_link_params(client, user.email)

    response = client.post(
        RESET_URL, {**params, "user_id": str(other.pk), "password": NEW_PASSWORD}
    )

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE
    other.refresh_from_db()
    assert other.check_password(PASSWORD)


@pytest.mark.parametrize("name", ["timestamp", "signature"])
def test_reset_link_with_a_changed_parameter_is_refused(client, user, name):
    params = reset_link_params(client, user.email)
    params[name] = changed(params[name])

    response = client.post(RESET_URL, {**params, "password": NEW_PASSWORD})

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE


def test_reset_link_for_an_unknown_user_is_an_invalid_signature(client, user):
    params = reset_link_params(client, user.email)
    user.delete()

    response = client.post(RESET_URL, {**params, "password": NEW_PASSWORD})

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE


def test_reset_link_is_checked_before_the_password(client, user):
    params = reset_link_params(client, user.email)
    params["signature"] = changed(params["signature"])

    response = client.post(RESET_URL, {**params, "password": "iloveyou"})

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE


def test_reset_link_for_an_unknown_user_is_checked_before_the_password(client, db):
    body = {"user_id": "999999999", "timestamp": "1", "signature": "x", "password": "1"}

    response = client.post(RESET_URL, body)

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE


def test_reset_link_works_for_a_day(client, user, clock):
    params = reset_link_params(client, user.email)

    clock.shift(timedelta(days=1))
    response = client.post(RESET_URL, {**params, "password": NEW_PASSWORD})

    assert response.status_code == 200


def test_reset_link_expires_after_a_day(client, user, clock):
    params = reset_link_params(client, user.email)

    clock.shift(timedelta(days=1, seconds=1))
    response = client.post(RESET_URL, {**params, "password": NEW_PASSWORD})

    assert response.status_code == 400
    assert response.json() == {"detail": "Signature expired"}


def test_reset_link_works_once(client, user):
    params = reset_link_params(client, user.email)
    client.post(RESET_URL, {**params, "password": NEW_PASSWORD})

    response = client.post(RESET_URL, {**params, "password": "a third Passphrase 9"})

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE


def test_reset_link_stops_working_after_password_change(signed_in_client, user):
    params = reset_link_params(signed_in_client, user.email)
    signed_in_client.post(
        CHANGE_PASSWORD_URL,
        {
            "old_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )

    response = signed_in_client.post(RESET_URL, {**params, "password": PASSWORD})

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE


def test_older_reset_link_stops_working_once_a_newer_one_is_used(client, user):
    older = reset_link_params(client, user.email)
    newer = reset_link_params(client, user.email)
    client.post(RESET_URL, {**newer, "password": NEW_PASSWORD})

    response = client.post(RESET_URL, {**older, "password": "a third Passphrase 9"})

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE
{%- if cookiecutter.register_verification %}


def test_registration_link_is_not_a_reset_link(client, outbox, db):
    client.post(
        REGISTER_URL,
        {
{%- if cookiecutter.username_type == "username" %}
            "username": "bob",
{%- endif %}
            "email": "bob@example.com",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
    )
    params = link_params(outbox[0])

    response = client.post(RESET_URL, {**params, "password": NEW_PASSWORD})

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE
{%- endif %}
{%- if cookiecutter.register_email_verification %}


def test_email_link_is_not_a_reset_link(signed_in_client, outbox):
    signed_in_client.post(
        REGISTER_EMAIL_URL, {"email": "ann.new@example.com", "password": PASSWORD}
    )
    params = link_params(outbox[0])

    response = signed_in_client.post(RESET_URL, {**params, "password": NEW_PASSWORD})

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE
{%- endif %}


def test_reset_link_survives_a_secret_key_rotation(client, user, settings):
    params = reset_link_params(client, user.email)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a new secret key that replaced the old one"

    response = client.post(RESET_URL, {**params, "password": NEW_PASSWORD})

    assert response.status_code == 200


def test_reset_link_stops_working_once_its_key_is_dropped(client, user, settings):
    params = reset_link_params(client, user.email)
    settings.SECRET_KEY_FALLBACKS = []
    settings.SECRET_KEY = "a new secret key that replaced the old one"

    response = client.post(RESET_URL, {**params, "password": NEW_PASSWORD})

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE
