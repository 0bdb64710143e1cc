from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from knox.models import AuthToken

from accounts.authentication import TokenAuthentication
from accounts.tests.conftest import PASSWORD

PROFILE_URL = "/api/v1/accounts/profile/"
INVALID_TOKEN = {"detail": "Invalid token."}


@pytest.fixture
def token(client, user):
    response = client.post(
        "/api/v1/accounts/login/", {"login": user.email, "password": PASSWORD}
    )
    client.cookies.clear()
    return response.json()["token"]


def get_profile(client, header):
    return client.get(PROFILE_URL, headers={"Authorization": header})


def test_a_token_signs_its_user_in(client, user, token):
    response = get_profile(client, f"Token {token}")

    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_the_token_prefix_is_case_insensitive(client, user, token):
    response = get_profile(client, f"token {token}")

    assert response.status_code == 200


def test_a_token_that_was_never_issued_is_refused(client, user, token):
    forged = token[:8] + "0" * (len(token) - 8)

    response = get_profile(client, f"Token {forged}")

    assert response.status_code == 401
    assert response.json() == INVALID_TOKEN


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("Token", id="no token"),
        pytest.param("Token a b", id="spaces"),
        pytest.param("Token not-a-hex-token!", id="not hex"),
        pytest.param("Token \xff\xfe", id="not utf-8"),
    ],
)
def test_a_malformed_token_header_is_refused(client, db, header):
    response = get_profile(client, header)

    assert response.status_code == 401
    assert "detail" in response.json()


def test_the_token_of_a_deactivated_user_is_refused(client, user, token):
    user.is_active = False
    user.save(update_fields=["is_active"])

    response = get_profile(client, f"Token {token}")

    assert response.status_code == 401
    assert response.json() == {"detail": "User inactive or deleted."}


def test_an_expired_token_is_refused_and_deleted(client, user, token):
    with time_machine.travel(settings.REST_KNOX["TOKEN_TTL"] + timedelta(minutes=1)):
        response = get_profile(client, f"Token {token}")

    assert response.status_code == 401
    assert response.json() == INVALID_TOKEN
    assert not AuthToken.objects.filter(user=user).exists()


def test_a_token_gives_the_users_current_data(client, user, token):
    user.first_name = "Annabel"
    user.save(update_fields=["first_name"])

    response = get_profile(client, f"Token {token}")

    assert response.json()["first_name"] == "Annabel"


def test_the_user_read_with_the_token_is_complete(client, user, token):
    # Every column is read, with its database converters applied: the time
    # of the last login comes back as the aware datetime that was stored.
    user.refresh_from_db()

    authenticated = AuthToken.objects.get(user=user)

    found = TokenAuthentication.query.get(authenticated.digest)

    assert found == authenticated
    assert found.expiry == authenticated.expiry
    assert found.user == user
    assert found.user.last_login == user.last_login
    assert found.user.password == user.password
    assert found.user.is_active is True
