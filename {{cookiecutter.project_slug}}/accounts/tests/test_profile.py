import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
{%- if cookiecutter.username_type == "username" %}
from accounts.tests.conftest import PASSWORD, make_user
{%- else %}
from accounts.tests.conftest import PASSWORD
{%- endif %}

PROFILE_URL = "/api/v1/accounts/profile/"
NOT_SIGNED_IN = {"detail": "Authentication credentials were not provided."}
{%- if cookiecutter.username_type == "username" %}
CHANGES = {"username": "annie", "first_name": "Annie", "last_name": "Jones"}
{%- else %}
CHANGES = {"first_name": "Annie", "last_name": "Jones"}
{%- endif %}
{%- if cookiecutter.auth == "session" %}
# With no token authentication there is no challenge to send, so DRF says 403.
NOT_SIGNED_IN_STATUS = 403
{%- else %}
NOT_SIGNED_IN_STATUS = 401
{%- endif %}
{%- if cookiecutter.username_type == "username" %}


def test_profile_shows_the_user(signed_in_client, user):
    response = signed_in_client.get(PROFILE_URL)

    assert response.status_code == 200
    assert response.json() == {
        "id": user.pk,
        "username": "ann",
        "email": "ann@example.com",
        "first_name": "Ann",
        "last_name": "Smith",
    }
{%- else %}


def test_profile_shows_the_user(signed_in_client, user):
    response = signed_in_client.get(PROFILE_URL)

    assert response.status_code == 200
    assert response.json() == {
        "id": user.pk,
        "email": "ann@example.com",
        "first_name": "Ann",
        "last_name": "Smith",
    }
{%- endif %}


@pytest.mark.parametrize("method", ["put", "patch", "post"])
def test_profile_update_answers_the_updated_user(signed_in_client, user, method):
    response = getattr(signed_in_client, method)(PROFILE_URL, CHANGES)

    assert response.status_code == 200
    assert response.json() == {"id": user.pk, "email": user.email, **CHANGES}


@pytest.mark.parametrize("method", ["put", "patch", "post"])
def test_profile_update_is_saved(signed_in_client, user, method):
    getattr(signed_in_client, method)(PROFILE_URL, CHANGES)

    user.refresh_from_db()
    assert {field: getattr(user, field) for field in CHANGES} == CHANGES


def test_profile_patch_changes_only_the_fields_sent(signed_in_client, user):
    signed_in_client.patch(PROFILE_URL, {"last_name": "Jones"})

    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Ann", "Jones")


def test_profile_update_writes_only_the_fields_sent(signed_in_client, user):
    # A password change or a deactivation made while this request runs must
    # survive it, so the update may not write back what it read.
    with CaptureQueriesContext(connection) as queries:
        signed_in_client.patch(PROFILE_URL, {"last_name": "Jones"})

    (update,) = [query["sql"] for query in queries if query["sql"].startswith("UPDATE")]
    assert '"last_name"' in update
    assert '"password"' not in update
    assert '"is_active"' not in update
{%- if cookiecutter.username_type == "username" %}


@pytest.mark.parametrize("method", ["put", "post"])
def test_profile_put_needs_the_username(signed_in_client, user, method):
    response = getattr(signed_in_client, method)(PROFILE_URL, {"last_name": "Jones"})

    assert response.status_code == 400
    assert response.json() == {"username": ["This field is required."]}


def test_profile_refuses_a_username_someone_else_has(signed_in_client, user):
    make_user(email="bob@example.com", username="bob")

    response = signed_in_client.patch(PROFILE_URL, {"username": "bob"})

    assert response.status_code == 400
    assert response.json() == {
        "username": ["A user with that username already exists."]
    }


def test_profile_accepts_the_users_own_username(signed_in_client, user):
    response = signed_in_client.put(PROFILE_URL, {**CHANGES, "username": "ann"})

    assert response.status_code == 200


def test_profile_refuses_an_invalid_username(signed_in_client, user):
    response = signed_in_client.patch(PROFILE_URL, {"username": "ann smith"})

    assert response.status_code == 400
    assert response.json() == {
        "username": [
            "Enter a valid username. This value may contain only letters, "
            "numbers, and ./+/-/_ characters."
        ]
    }


def test_profile_refuses_a_username_that_reads_as_an_email(signed_in_client, user):
    response = signed_in_client.patch(PROFILE_URL, {"username": "bob@example.com"})

    assert response.status_code == 400
    assert list(response.json()) == ["username"]
{%- endif %}


def test_profile_update_ignores_the_id_and_the_email(signed_in_client, user):
    body = {"id": 4242, "email": "new@example.com"}

    response = signed_in_client.patch(PROFILE_URL, body)

    assert response.status_code == 200
    assert response.json()["id"] == user.pk
    assert User.objects.get(pk=user.pk).email == "ann@example.com"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("is_staff", True),
        ("is_superuser", True),
        ("is_active", False),
        ("password", "a brand new Passphrase 8"),
        ("last_login", "2020-01-01T00:00:00Z"),
        ("date_joined", "2020-01-01T00:00:00Z"),
{%- if cookiecutter.register_verification %}
        ("verified_at", None),
{%- endif %}
    ],
)
def test_profile_update_ignores_other_fields(signed_in_client, user, field, value):
    before = User.objects.get(pk=user.pk)

    signed_in_client.patch(PROFILE_URL, {field: value})

    assert getattr(User.objects.get(pk=user.pk), field) == getattr(before, field)


def test_profile_update_ignores_unknown_fields(signed_in_client, user):
    response = signed_in_client.patch(PROFILE_URL, {"favourite_colour": "blue"})

    assert response.status_code == 200
    assert "favourite_colour" not in response.json()


def test_profile_update_keeps_the_password(signed_in_client, user):
    signed_in_client.put(PROFILE_URL, CHANGES)

    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "A" * 151, "Ensure this field has no more than 150 characters."),
        ("first_name", 12, "Not a valid string."),
        ("last_name", ["Smith"], "Not a valid string."),
    ],
)
def test_profile_update_refuses_an_invalid_field(
    signed_in_client, user, field, value, message
):
    response = signed_in_client.patch(PROFILE_URL, {field: value})

    assert response.status_code == 400
    assert response.json() == {field: [message]}
{%- if cookiecutter.auth == "session" %}


@pytest.mark.parametrize("method", ["get", "put", "patch", "post"])
def test_profile_is_forbidden_when_not_signed_in(client, db, method):
    response = getattr(client, method)(PROFILE_URL)

    assert response.status_code == NOT_SIGNED_IN_STATUS
    assert response.json() == NOT_SIGNED_IN
{%- else %}


@pytest.mark.parametrize("method", ["get", "put", "patch", "post"])
def test_profile_asks_for_a_token_when_not_signed_in(client, db, method):
    response = getattr(client, method)(PROFILE_URL)

    assert response.status_code == NOT_SIGNED_IN_STATUS
    assert response.json() == NOT_SIGNED_IN
    assert response["WWW-Authenticate"] == "Token"


def test_profile_with_a_token_costs_one_query(
    signed_in_client, django_assert_num_queries
):
    # Measured: one query reads the token and its user together.
    with django_assert_num_queries(1):
        response = signed_in_client.get(PROFILE_URL)

    assert response.status_code == 200
{%- endif %}
{%- if cookiecutter.auth != "token" %}


def test_profile_with_a_session_costs_two_queries(
    client, user, django_assert_num_queries
):
    client.force_login(user)

    # Measured: one query reads the session, one the user it names.
    with django_assert_num_queries(2):
        response = client.get(PROFILE_URL)

    assert response.status_code == 200
{%- endif %}


def test_profile_refuses_delete(signed_in_client):
    response = signed_in_client.delete(PROFILE_URL)

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "DELETE" not allowed.'}
