{%- if cookiecutter.auth == "session" -%}
from accounts.tests.conftest import PASSWORD
{%- else -%}
from accounts.tests.conftest import PASSWORD, Client, make_user
{%- endif %}

LOGIN_URL = "/api/v1/accounts/login/"
LOGOUT_URL = "/api/v1/accounts/logout/"
PROFILE_URL = "/api/v1/accounts/profile/"
NOT_SIGNED_IN = {"detail": "Authentication credentials were not provided."}
{%- if cookiecutter.auth == "session" %}
# With no token authentication there is no challenge to send, so DRF says 403.
NOT_SIGNED_IN_STATUS = 403
{%- else %}
NOT_SIGNED_IN_STATUS = 401
{%- endif %}
{%- if cookiecutter.auth != "session" %}


def token_for(user):
    """Log the user in from a new device; return the token it gets."""
    response = Client().post(LOGIN_URL, {"login": user.email, "password": PASSWORD})
    return response.json()["token"]


def with_token(client, token):
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client
{%- endif %}


def test_logout_answers_logout_successful(signed_in_client):
    response = signed_in_client.post(LOGOUT_URL)

    assert response.status_code == 200
    assert response.json() == {"detail": "Logout successful"}
{%- if cookiecutter.auth != "session" %}


def test_logout_revokes_the_token_it_was_called_with(client, user):
    token = token_for(user)

    with_token(client, token).post(LOGOUT_URL)

    assert with_token(client, token).get(PROFILE_URL).status_code == 401


def test_logout_leaves_the_users_other_tokens_working(client, user):
    token = token_for(user)
    other_token = token_for(user)

    with_token(client, token).post(LOGOUT_URL)

    assert with_token(client, other_token).get(PROFILE_URL).status_code == 200


def test_logout_with_revoke_token_revokes_every_token_of_the_user(client, user):
    token = token_for(user)
    other_token = token_for(user)

    with_token(client, token).post(LOGOUT_URL, {"revoke_token": True})

    assert with_token(client, other_token).get(PROFILE_URL).status_code == 401


def test_logout_with_revoke_token_leaves_other_users_tokens(client, user):
    token = token_for(user)
    other_users_token = token_for(make_user(email="bob@example.com"))

    with_token(client, token).post(LOGOUT_URL, {"revoke_token": True})

    assert with_token(client, other_users_token).get(PROFILE_URL).status_code == 200


def test_logout_refuses_a_revoke_token_that_is_not_a_boolean(signed_in_client):
    response = signed_in_client.post(LOGOUT_URL, {"revoke_token": "perhaps"})

    assert response.status_code == 400
    assert response.json() == {"revoke_token": ["Must be a valid boolean."]}


def test_logout_with_a_revoked_token_must_authenticate(client, user):
    token = token_for(user)
    with_token(client, token).post(LOGOUT_URL)

    response = with_token(client, token).post(LOGOUT_URL)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}
{%- endif %}
{%- if cookiecutter.auth != "token" %}


def test_logout_ends_the_session(client, user):
    client.post(LOGIN_URL, {"login": user.email, "password": PASSWORD})

    client.post(LOGOUT_URL)

    assert client.get(PROFILE_URL).status_code == NOT_SIGNED_IN_STATUS
{%- endif %}
{%- if cookiecutter.auth == "session" %}


def test_logout_when_not_signed_in_is_forbidden(client, db):
    response = client.post(LOGOUT_URL)

    assert response.status_code == NOT_SIGNED_IN_STATUS
    assert response.json() == NOT_SIGNED_IN
{%- else %}


def test_logout_when_not_signed_in_asks_for_a_token(client, db):
    response = client.post(LOGOUT_URL)

    assert response.status_code == NOT_SIGNED_IN_STATUS
    assert response.json() == NOT_SIGNED_IN
    assert response["WWW-Authenticate"] == "Token"
{%- endif %}


def test_logout_refuses_get(signed_in_client):
    response = signed_in_client.get(LOGOUT_URL)

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "GET" not allowed.'}
