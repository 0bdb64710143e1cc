from datetime import timedelta

import pytest
from django.core import mail

from accounts.tests.conftest import PASSWORD, Client, link_params, make_user

REGISTER_EMAIL_URL = "/api/v1/accounts/register-email/"
VERIFY_EMAIL_URL = "/api/v1/accounts/verify-email/"
{%- if cookiecutter.register_verification %}
REGISTER_URL = "/api/v1/accounts/register/"
{%- endif %}
{%- if cookiecutter.reset_password %}
SEND_RESET_LINK_URL = "/api/v1/accounts/send-reset-password-link/"
{%- endif %}
NEW_EMAIL = "ann.new@example.com"
INVALID_SIGNATURE = {"detail": "Invalid signature"}


def email_link_params(client, email=NEW_EMAIL):
    """Ask for a link that makes ``email`` the signed-in user's address.

    Return the parameters the link carries.
    """
    client.post(REGISTER_EMAIL_URL, {"email": email, "password": PASSWORD})
    return link_params(mail.outbox[-1])


def changed(value):
    """Return a value of the same form that differs in its last character."""
    last = "2" if value[-1] == "1" else "1"
    return value[:-1] + last


def test_verify_email_answers_200(signed_in_client):
    params = email_link_params(signed_in_client)

    response = signed_in_client.post(VERIFY_EMAIL_URL, params)

    assert response.status_code == 200
    assert response.json() == {"detail": "Email verified successfully"}


def test_verify_email_changes_the_email(signed_in_client, user):
    params = email_link_params(signed_in_client)

    signed_in_client.post(VERIFY_EMAIL_URL, params)

    user.refresh_from_db()
    assert user.email == NEW_EMAIL


def test_verify_email_tells_the_old_address(signed_in_client, outbox):
    params = email_link_params(signed_in_client)

    signed_in_client.post(VERIFY_EMAIL_URL, params)

    _link_message, notice = outbox
    assert notice.to == ["ann@example.com"]
    assert "email address was changed" in notice.subject
    assert NEW_EMAIL in notice.body


def test_email_link_carries_an_address_with_a_plus_unchanged(signed_in_client, user):
    params = email_link_params(signed_in_client, "ann+news@example.com")

    signed_in_client.post(VERIFY_EMAIL_URL, params)

    user.refresh_from_db()
    assert user.email == "ann+news@example.com"


def test_verify_email_needs_no_sign_in(signed_in_client, user):
    params = email_link_params(signed_in_client)

    response = Client().post(VERIFY_EMAIL_URL, params)

    assert response.status_code == 200


@pytest.mark.parametrize("field", ["user_id", "email", "timestamp", "signature"])
def test_verify_email_requires_each_field(signed_in_client, field):
    params = email_link_params(signed_in_client)
    del params[field]

    response = signed_in_client.post(VERIFY_EMAIL_URL, params)

    assert response.status_code == 400
    assert response.json() == {field: ["This field is required."]}


def test_email_link_is_bound_to_its_address(signed_in_client, user):
    params = email_link_params(signed_in_client)

    response = signed_in_client.post(
        VERIFY_EMAIL_URL, {**params, "email": "mallory@example.com"}
    )

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE
    user.refresh_from_db()
    assert user.email == "ann@example.com"


def test_email_link_for_another_user_is_refused(signed_in_client):
    other = make_user(email="bob@example.com")
    params = email_link_params(signed_in_client)

    response = signed_in_client.post(
        VERIFY_EMAIL_URL, {**params, "user_id": str(other.pk)}
    )

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE
    other.refresh_from_db()
    assert other.email == "bob@example.com"


@pytest.mark.parametrize("name", ["timestamp", "signature"])
def test_email_link_with_a_changed_parameter_is_refused(signed_in_client, name):
    params = email_link_params(signed_in_client)
    params[name] = changed(params[name])

    response = signed_in_client.post(VERIFY_EMAIL_URL, params)

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE


def test_email_link_for_an_unknown_user_is_an_invalid_signature(signed_in_client, user):
    params = email_link_params(signed_in_client)
    user.delete()

    response = Client().post(VERIFY_EMAIL_URL, params)

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE


def test_email_link_works_once(signed_in_client):
    params = email_link_params(signed_in_client)
    signed_in_client.post(VERIFY_EMAIL_URL, params)

    response = signed_in_client.post(VERIFY_EMAIL_URL, params)

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE


def test_email_link_stops_working_once_the_email_changes(signed_in_client, user):
    first = email_link_params(signed_in_client)
    second = email_link_params(signed_in_client, "ann.other@example.com")
    signed_in_client.post(VERIFY_EMAIL_URL, second)

    response = signed_in_client.post(VERIFY_EMAIL_URL, first)

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE
    user.refresh_from_db()
    assert user.email == "ann.other@example.com"


def test_email_link_stays_dead_when_the_email_changes_back(signed_in_client, user):
    stale = email_link_params(signed_in_client, "ann.other@example.com")
    signed_in_client.post(VERIFY_EMAIL_URL, email_link_params(signed_in_client))
    signed_in_client.post(
        VERIFY_EMAIL_URL, email_link_params(signed_in_client, "ann@example.com")
    )

    response = signed_in_client.post(VERIFY_EMAIL_URL, stale)

    assert response.json() == INVALID_SIGNATURE
    user.refresh_from_db()
    assert user.email == "ann@example.com"


def test_email_link_stops_working_after_a_password_change(signed_in_client, user):
    link = email_link_params(signed_in_client)
    user.set_password("another Passphrase 8")
    user.save()

    response = Client().post(VERIFY_EMAIL_URL, link)

    assert response.json() == INVALID_SIGNATURE


def test_email_link_works_for_seven_days(signed_in_client, clock):
    params = email_link_params(signed_in_client)

    clock.shift(timedelta(days=7))
    response = signed_in_client.post(VERIFY_EMAIL_URL, params)

    assert response.status_code == 200


def test_email_link_expires_after_seven_days(signed_in_client, clock):
    params = email_link_params(signed_in_client)

    clock.shift(timedelta(days=7, seconds=1))
    response = signed_in_client.post(VERIFY_EMAIL_URL, params)

    assert response.status_code == 400
    assert response.json() == {"detail": "Signature expired"}


@pytest.mark.parametrize("email", [NEW_EMAIL, "ANN.NEW@Example.com"])
def test_email_link_is_refused_once_its_address_is_taken(signed_in_client, user, email):
    params = email_link_params(signed_in_client)
    make_user(email=email)

    response = signed_in_client.post(VERIFY_EMAIL_URL, params)

    assert response.status_code == 400
    assert response.json() == {"detail": "This email is already registered."}
    user.refresh_from_db()
    assert user.email == "ann@example.com"


def test_email_link_survives_a_secret_key_rotation(signed_in_client, settings):
    params = email_link_params(signed_in_client)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a new secret key that replaced the old one"

    response = Client().post(VERIFY_EMAIL_URL, params)

    assert response.status_code == 200
{%- if cookiecutter.register_verification %}


def test_registration_link_is_not_an_email_link(client, outbox, db):
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

    response = client.post(VERIFY_EMAIL_URL, {**params, "email": "bob@example.com"})

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE
{%- endif %}
{%- if cookiecutter.reset_password %}


def test_reset_link_is_not_an_email_link(client, user, outbox):
    client.post(SEND_RESET_LINK_URL, {"login": user.email})
    params = link_params(outbox[0])

    response = client.post(VERIFY_EMAIL_URL, {**params, "email": NEW_EMAIL})

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE
{%- endif %}
