import pytest

from accounts.tests.conftest import PASSWORD, {% if cookiecutter.register_email_verification %}URL_PATTERN, link_params, {% endif %}make_user

REGISTER_EMAIL_URL = "/api/v1/accounts/register-email/"
{%- if not cookiecutter.register_email_verification %}
LOGIN_URL = "/api/v1/accounts/login/"
{%- endif %}
NEW_EMAIL = "ann.new@example.com"
LINK_SENT = {"detail": "Register email link email sent"}
{%- if cookiecutter.auth == "session" %}
NOT_AUTHENTICATED = 403
{%- else %}
NOT_AUTHENTICATED = 401
{%- endif %}


def test_register_email_answers_200(signed_in_client):
    response = signed_in_client.post(
        REGISTER_EMAIL_URL, {"email": NEW_EMAIL, "password": PASSWORD}
    )

    assert response.status_code == 200
    assert response.json() == LINK_SENT


def test_register_email_requires_the_current_password(signed_in_client, outbox):
    response = signed_in_client.post(REGISTER_EMAIL_URL, {"email": NEW_EMAIL})

    assert response.status_code == 400
    assert response.json() == {"password": ["This field is required."]}
    assert outbox == []


def test_register_email_refuses_a_wrong_password(signed_in_client, user, outbox):
    body = {"email": NEW_EMAIL, "password": "not the Passphrase 7"}

    response = signed_in_client.post(REGISTER_EMAIL_URL, body)

    assert response.status_code == 400
    assert response.json() == {"password": ["Password is not correct"]}
    assert outbox == []


def test_register_email_does_not_trim_the_password(signed_in_client):
    body = {"email": NEW_EMAIL, "password": f"{PASSWORD} "}

    response = signed_in_client.post(REGISTER_EMAIL_URL, body)

    assert response.status_code == 400
    assert response.json() == {"password": ["Password is not correct"]}


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "This field may not be blank."),
        ("ann", "Enter a valid email address."),
        ([NEW_EMAIL], "Enter a valid email address."),
    ],
)
def test_register_email_refuses_an_invalid_email(signed_in_client, email, message):
    body = {"email": email, "password": PASSWORD}

    response = signed_in_client.post(REGISTER_EMAIL_URL, body)

    assert response.status_code == 400
    assert response.json() == {"email": [message]}


def test_register_email_needs_a_signed_in_user(client, db):
    body = {"email": NEW_EMAIL, "password": PASSWORD}

    response = client.post(REGISTER_EMAIL_URL, body)

    assert response.status_code == NOT_AUTHENTICATED
{%- if cookiecutter.register_email_verification %}


def test_register_email_leaves_the_email_unchanged_until_verified(
    signed_in_client, user
):
    body = {"email": NEW_EMAIL, "password": PASSWORD}

    signed_in_client.post(REGISTER_EMAIL_URL, body)

    user.refresh_from_db()
    assert user.email == "ann@example.com"


def test_register_email_mails_a_link_to_the_new_address(signed_in_client, user, outbox):
    body = {"email": NEW_EMAIL, "password": PASSWORD}

    signed_in_client.post(REGISTER_EMAIL_URL, body)

    (message,) = outbox
    assert message.to == [NEW_EMAIL]
    assert link_params(message).keys() == {"user_id", "email", "timestamp", "signature"}
    assert link_params(message)["user_id"] == str(user.pk)
    assert link_params(message)["email"] == NEW_EMAIL


def test_register_email_answers_alike_whether_the_address_is_free_or_taken(
    signed_in_client,
):
    make_user(email="bob@example.com")
    free = {"email": NEW_EMAIL, "password": PASSWORD}
    taken = {"email": "bob@example.com", "password": PASSWORD}

    responses = [
        signed_in_client.post(REGISTER_EMAIL_URL, body) for body in [free, taken]
    ]

    assert [(r.status_code, r.json()) for r in responses] == [(200, LINK_SENT)] * 2


@pytest.mark.parametrize("email", ["bob@example.com", "BOB@Example.com"])
def test_register_email_tells_the_owner_of_a_taken_address_instead(
    signed_in_client, outbox, email
):
    make_user(email="bob@example.com")

    signed_in_client.post(REGISTER_EMAIL_URL, {"email": email, "password": PASSWORD})

    (message,) = outbox
    assert message.to == ["bob@example.com"]
    assert URL_PATTERN.search(message.body) is None


def test_register_email_with_the_current_address_mails_nothing(
    signed_in_client, user, outbox
):
    body = {"email": user.email, "password": PASSWORD}

    signed_in_client.post(REGISTER_EMAIL_URL, body)

    assert outbox == []
{%- else %}


def test_register_email_changes_the_email_at_once(signed_in_client, user):
    body = {"email": NEW_EMAIL, "password": PASSWORD}

    signed_in_client.post(REGISTER_EMAIL_URL, body)

    user.refresh_from_db()
    assert user.email == NEW_EMAIL


def test_register_email_keeps_the_address_as_typed_but_the_domain(
    signed_in_client, user
):
    body = {"email": "Ann.New@EXAMPLE.com", "password": PASSWORD}

    signed_in_client.post(REGISTER_EMAIL_URL, body)

    user.refresh_from_db()
    assert user.email == "Ann.New@example.com"


def test_register_email_tells_the_old_address(signed_in_client, outbox):
    body = {"email": NEW_EMAIL, "password": PASSWORD}

    signed_in_client.post(REGISTER_EMAIL_URL, body)

    (message,) = outbox
    assert message.to == ["ann@example.com"]
    assert "email address was changed" in message.subject
    assert NEW_EMAIL in message.body


def test_new_email_signs_in_after_the_change(signed_in_client):
    body = {"email": NEW_EMAIL, "password": PASSWORD}
    signed_in_client.post(REGISTER_EMAIL_URL, body)

    response = signed_in_client.post(
        LOGIN_URL, {"login": NEW_EMAIL, "password": PASSWORD}
    )

    assert response.status_code == 200


@pytest.mark.parametrize("email", ["bob@example.com", "BOB@Example.com"])
def test_register_email_refuses_a_taken_address(signed_in_client, user, email):
    make_user(email="bob@example.com")

    response = signed_in_client.post(
        REGISTER_EMAIL_URL, {"email": email, "password": PASSWORD}
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "This email is already registered."}
    user.refresh_from_db()
    assert user.email == "ann@example.com"


def test_register_email_with_the_current_address_mails_nothing(
    signed_in_client, user, outbox
):
    body = {"email": user.email, "password": PASSWORD}

    signed_in_client.post(REGISTER_EMAIL_URL, body)

    assert outbox == []
{%- endif %}
