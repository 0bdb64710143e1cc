import pytest
{%- if cookiecutter.register_verification %}
from django.conf import settings
{%- endif %}

from accounts.models import User
{%- if cookiecutter.register_verification %}
from accounts.tests.conftest import PASSWORD, link_params, make_user
{%- else %}
from accounts.tests.conftest import PASSWORD, make_user
{%- endif %}

REGISTER_URL = "/api/v1/accounts/register/"
{%- if cookiecutter.username_type == "username" %}
NEW_USER = {
    "username": "bobby",
    "email": "bob@example.com",
    "first_name": "Bob",
    "last_name": "Jones",
}
REQUIRED_FIELDS = ["username", "email", "password", "password_confirm"]
# Registration checks that the email and the username are free: one query each.
UNIQUENESS_QUERIES = 2
{%- else %}
NEW_USER = {"email": "bob@example.com", "first_name": "Bob", "last_name": "Jones"}
REQUIRED_FIELDS = ["email", "password", "password_confirm"]
# Registration checks that the email is free.
UNIQUENESS_QUERIES = 1
{%- endif %}


def registration(**fields):
    """Return a valid registration body, changed by ``fields``."""
    return {**NEW_USER, "password": PASSWORD, "password_confirm": PASSWORD, **fields}


def test_registration_answers_201_with_the_new_user(client, db):
    response = client.post(REGISTER_URL, registration())

    assert response.status_code == 201
    assert response.json() == {"id": User.objects.get().pk, **NEW_USER}


def test_registration_needs_nothing_but_the_required_fields(client, db):
    body = {field: registration()[field] for field in REQUIRED_FIELDS}

    response = client.post(REGISTER_URL, body)

    assert response.status_code == 201
    assert response.json()["first_name"] == ""


def test_registration_keeps_the_password_exactly_as_typed(client, db):
    password = f" {PASSWORD} "
    body = registration(password=password, password_confirm=password)

    client.post(REGISTER_URL, body)

    user = User.objects.get()
    assert user.check_password(password)
    assert not user.check_password(PASSWORD)


def test_registration_lowercases_only_the_domain_of_the_email(client, db):
    response = client.post(REGISTER_URL, registration(email="Bob@Example.COM"))

    assert response.json()["email"] == "Bob@example.com"


@pytest.mark.parametrize("field", REQUIRED_FIELDS)
def test_registration_requires_each_required_field(client, db, field):
    body = registration()
    del body[field]

    response = client.post(REGISTER_URL, body)

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [],
        field: ["This field is required."],
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
{%- if cookiecutter.username_type == "username" %}
        ("username", "", "This field may not be blank."),
        (
            "username",
            "bob smith",
            "Enter a valid username. This value may contain only letters, "
            "numbers, and ./+/-/_ characters.",
        ),
        ("username", "b" * 151, "Ensure this field has no more than 150 characters."),
        ("username", 12, "Not a valid string."),
{%- endif %}
        ("email", "", "This field may not be blank."),
        ("email", "bob", "Enter a valid email address."),
        (
            "email",
            "b" * 250 + "@example.com",
            "Ensure this field has no more than 254 characters.",
        ),
        ("email", ["bob@example.com"], "Enter a valid email address."),
        ("first_name", "B" * 151, "Ensure this field has no more than 150 characters."),
        ("first_name", 12, "Not a valid string."),
        ("last_name", "J" * 151, "Ensure this field has no more than 150 characters."),
        ("password", "", "This field may not be blank."),
        ("password", "p" * 4097, "Ensure this field has no more than 4096 characters."),
        ("password", 12345678, "Not a valid string."),
        ("password_confirm", "", "This field may not be blank."),
    ],
)
def test_registration_rejects_an_invalid_field(client, db, field, value, message):
    body = registration(**{field: value})

    response = client.post(REGISTER_URL, body)

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [], field: [message]}


def test_registration_rejects_passwords_that_do_not_match(client, db):
    body = registration(password_confirm=f"{PASSWORD}!")

    response = client.post(REGISTER_URL, body)

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [],
        "password_confirm": ["Passwords don't match"],
    }


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("x7#Lq", "This password is too short. It must contain at least 8 characters."),
        ("iloveyou", "This password is too common."),
        ("4829301756", "This password is entirely numeric."),
        ("bob@example.com", "The password is too similar to the email address."),
    ],
)
def test_registration_runs_the_password_validators(client, db, password, message):
    body = registration(password=password, password_confirm=password)

    response = client.post(REGISTER_URL, body)

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [], "password": [message]}


@pytest.mark.parametrize("email", ["bob@example.com", "BOB@Example.com"])
def test_registration_refuses_a_registered_email_in_any_case(client, db, email):
    make_user(email="bob@example.com")

    response = client.post(REGISTER_URL, registration(email=email))

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [],
        "email": ["This email is already registered."],
    }
{%- if cookiecutter.username_type == "username" %}


def test_registration_refuses_a_registered_username(client, db):
    make_user(email="robert@example.com", username="bobby")

    response = client.post(REGISTER_URL, registration())

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [],
        "username": ["A user with that username already exists."],
    }
{%- endif %}


@pytest.mark.parametrize("field", ["is_staff", "is_superuser"])
def test_registration_cannot_grant_privileges(client, db, field):
    body = registration(**{field: True})

    client.post(REGISTER_URL, body)

    assert getattr(User.objects.get(), field) is False


def test_registration_cannot_choose_the_user_id(client, db):
    body = registration(id=4242)

    response = client.post(REGISTER_URL, body)

    assert response.json()["id"] != 4242
    assert not User.objects.filter(pk=4242).exists()
{%- if cookiecutter.register_verification %}


def test_registration_leaves_the_account_inactive_until_verified(client, db):
    client.post(REGISTER_URL, registration())

    user = User.objects.get()
    assert user.is_active is False
    assert user.verified_at is None


def test_registration_cannot_activate_the_account_itself(client, db):
    body = registration(is_active=True, verified_at="2020-01-01T00:00:00Z")

    client.post(REGISTER_URL, body)

    user = User.objects.get()
    assert user.is_active is False
    assert user.verified_at is None


def test_registration_mails_one_verification_link(client, outbox):
    client.post(REGISTER_URL, registration())

    (message,) = outbox
    assert message.to == ["bob@example.com"]
    assert link_params(message).keys() == {"user_id", "timestamp", "signature"}
    assert link_params(message)["user_id"] == str(User.objects.get().pk)


def test_verification_link_points_at_the_frontend_not_the_request_host(client, outbox):
    body = registration()

    client.post(REGISTER_URL, body, HTTP_X_FORWARDED_HOST="attacker.example")

    (message,) = outbox
    assert settings.ACCOUNTS_VERIFY_REGISTRATION_URL in message.body
    assert "attacker.example" not in message.body
{%- else %}


def test_registration_activates_the_account_at_once(client, db):
    client.post(REGISTER_URL, registration())

    assert User.objects.get().is_active is True


def test_registration_sends_no_mail(client, outbox):
    client.post(REGISTER_URL, registration())

    assert outbox == []
{%- endif %}


def test_failed_registration_creates_no_account_and_sends_no_mail(client, outbox):
    body = registration(password_confirm="something else")

    client.post(REGISTER_URL, body)

    assert not User.objects.exists()
    assert outbox == []
{%- if cookiecutter.register_verification %}


def test_registration_query_count(client, db, django_assert_num_queries):
    body = registration()

    # Measured: the uniqueness checks, the insert in its savepoint (three
    # statements) and the mail task reading the new user.
    with django_assert_num_queries(UNIQUENESS_QUERIES + 4):
        response = client.post(REGISTER_URL, body)

    assert response.status_code == 201
{%- else %}


def test_registration_query_count(client, db, django_assert_num_queries):
    body = registration()

    # Measured: the uniqueness checks and the insert in its savepoint (three
    # statements).
    with django_assert_num_queries(UNIQUENESS_QUERIES + 3):
        response = client.post(REGISTER_URL, body)

    assert response.status_code == 201
{%- endif %}
