"""Hostile input to every endpoint gets a 4xx JSON answer, never a 5xx."""

import json
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import get_hasher

from accounts.fields import PASSWORD_MAX_LENGTH
from accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

API = "/api/v1/accounts/"
NEW_PASSWORD = "another long Passphrase 8"
LINK = {"user_id": "1", "timestamp": 1700000000, "signature": "c2lnbmF0dXJl"}


@dataclass(frozen=True)
class Endpoint:
    path: str
    body: dict
    method: str = "post"
    signed_in: bool = False


ENDPOINTS = {
    "register": Endpoint(
        "register/",
        {
{%- if cookiecutter.username_type == "username" %}
            "username": "bobby",
{%- endif %}
            "email": "bob@example.com",
            "first_name": "Bob",
            "last_name": "Jones",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
    ),
{%- if cookiecutter.register_verification %}
    "verify-registration": Endpoint("verify-registration/", LINK),
    "resend-verification": Endpoint(
        "resend-verification/", {"login": "ann@example.com"}
    ),
{%- endif %}
{%- if cookiecutter.reset_password %}
    "send-reset-password-link": Endpoint(
        "send-reset-password-link/", {"login": "ann@example.com"}
    ),
    "reset-password": Endpoint(
        "reset-password/",
        {**LINK, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    ),
{%- endif %}
    "login": Endpoint("login/", {"login": "ann@example.com", "password": PASSWORD}),
{%- if cookiecutter.auth != "session" %}
    "logout": Endpoint("logout/", {"revoke_token": False}, signed_in=True),
{%- endif %}
    "profile": Endpoint(
        "profile/",
        {
{%- if cookiecutter.username_type == "username" %}
            "username": "ann",
{%- endif %}
            "first_name": "Ann",
            "last_name": "Smith",
        },
        method="patch",
        signed_in=True,
    ),
    "change-password": Endpoint(
        "change-password/",
        {
            "old_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
        signed_in=True,
    ),
    "register-email": Endpoint(
        "register-email/",
        {"email": "new@example.com", "password": PASSWORD},
        signed_in=True,
    ),
{%- if cookiecutter.register_email_verification %}
    "verify-email": Endpoint("verify-email/", {**LINK, "email": "new@example.com"}),
{%- endif %}
}

# Values of the wrong JSON type, and text no one could have typed.
NOT_TEXT = {
    "null-character": "ann\x00@example.com",
    "list": ["ann@example.com"],
    "object": {"login": "ann@example.com"},
    "integer": 7,
    "float": 7.5,
    "boolean": True,
    "null": None,
}
BLANK = {"empty": "", "whitespace": " \t\n "}
OVER_LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".com"

# The hostile values each kind of field refuses, by name.
REFUSED = {
    "email": {
        **NOT_TEXT,
        **BLANK,
        "over-long": OVER_LONG_EMAIL,
        "no-at-sign": "ann.example.com",
    },
    "login": {**NOT_TEXT, **BLANK, "over-long": "a" * 255},
    "password": {
        **NOT_TEXT,
        "empty": "",
        "over-long": "x" * (PASSWORD_MAX_LENGTH + 1),
    },
    "name": {**NOT_TEXT, "over-long": "a" * 151},
    "username": {**NOT_TEXT, **BLANK, "over-long": "a" * 151, "spaces": "a b"},
    "user_id": {
        # A number is a valid user id, as the link's text is.
        **{name: value for name, value in NOT_TEXT.items() if name != "integer"},
        "negative-integer": -7,
        **BLANK,
        "letters": "abc",
        "negative": "-1",
        "decimal": "1.5",
        "fullwidth-digits": "\uff11\uff12",
        "over-long": "1" * 21,
    },
    "timestamp": {
        **{name: value for name, value in NOT_TEXT.items() if name != "integer"},
        **BLANK,
        "letters": "yesterday",
        "negative": -1,
        "far-future": 2**41,
        "huge": "9" * 5000,
        "exponent": "1e9",
    },
    "signature": {
        **NOT_TEXT,
        **BLANK,
        "punctuation": "c2ln$bmF0dXJl!",
        "over-long": "a" * 101,
    },
    "boolean": {
        "null-character": "true\x00",
        "list": [True],
        "object": {"revoke": True},
        "integer": 2,
        "null": None,
        "word": "maybe",
    },
}
KIND = {
    "email": "email",
    "login": "login",
    "password": "password",
    "password_confirm": "password",
    "old_password": "password",
    "first_name": "name",
    "last_name": "name",
    "username": "username",
    "user_id": "user_id",
    "timestamp": "timestamp",
    "signature": "signature",
    "revoke_token": "boolean",
}

FIELDS = [
    (name, field) for name, endpoint in ENDPOINTS.items() for field in endpoint.body
]
HOSTILE_VALUES = [
    pytest.param(name, field, value, id=f"{name}-{field}-{value_name}")
    for name, field in FIELDS
    for value_name, value in REFUSED[KIND[field]].items()
]


@pytest.fixture
def send(request):
    """Return a function that sends a body to an endpoint as its client would."""

    def send(endpoint, body, content_type="application/json"):
        client_fixture = "signed_in_client" if endpoint.signed_in else "client"
        client = request.getfixturevalue(client_fixture)
        if not isinstance(body, bytes):
            body = json.dumps(body).encode()
        return client.generic(
            endpoint.method.upper(), API + endpoint.path, body, content_type
        )

    return send


def field_errors(response):
    """Return the names of the fields a 400 answer complains about."""
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    errors = response.json()
    assert all(isinstance(messages, list) for messages in errors.values())
    return {name for name, messages in errors.items() if messages}


@pytest.mark.parametrize(("name", "field", "value"), HOSTILE_VALUES)
def test_hostile_value_is_refused_with_an_error_on_its_field(
    send, user, name, field, value
):
    endpoint = ENDPOINTS[name]
    body = {**endpoint.body, field: value}

    response = send(endpoint, body)

    assert field_errors(response) == {field}


@pytest.mark.parametrize(("name", "field"), FIELDS, ids=[f"{n}-{f}" for n, f in FIELDS])
def test_lone_surrogate_is_refused_with_an_error_on_its_field(send, user, name, field):
    endpoint = ENDPOINTS[name]
    placeholder = json.dumps({**endpoint.body, field: "PLACEHOLDER"})
    # json.dumps never writes a lone surrogate, so it is spliced in as raw JSON.
    body = placeholder.replace('"PLACEHOLDER"', '"ann\\ud800"').encode()

    response = send(endpoint, body)

    assert field_errors(response) == {field}


@pytest.mark.parametrize(("name", "field"), FIELDS, ids=[f"{n}-{f}" for n, f in FIELDS])
def test_null_character_in_a_form_body_is_refused(send, user, name, field):
    endpoint = ENDPOINTS[name]
    body = {**endpoint.body, field: "ann\x00"}
    form = urlencode(body).encode()

    response = send(endpoint, form, "application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("name", ENDPOINTS)
@pytest.mark.parametrize("body", [b"[]", b'"login"', b"42", b"null"])
def test_body_that_is_not_an_object_is_refused(send, user, name, body):
    response = send(ENDPOINTS[name], body)

    assert response.status_code == 400
    assert response.json()


@pytest.mark.parametrize("name", ENDPOINTS)
def test_malformed_json_is_refused_with_400(send, user, name):
    response = send(ENDPOINTS[name], b'{"login": "ann@example.com",')

    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


@pytest.mark.parametrize("name", ENDPOINTS)
def test_deeply_nested_json_is_refused_with_400(send, user, name):
    depth = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2 - 1

    response = send(ENDPOINTS[name], b"[" * depth + b"]" * depth)

    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


@pytest.mark.parametrize("name", ENDPOINTS)
def test_body_above_the_size_limit_is_refused_with_413(send, user, name):
    endpoint = ENDPOINTS[name]
    padding = "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = {**endpoint.body, "padding": padding}

    response = send(endpoint, body)

    assert response.status_code == 413
    assert "limit" in response.json()["detail"]


def test_content_length_that_is_not_a_number_is_refused_with_400(client, db):
    response = client.generic(
        "POST",
        API + "login/",
        b"{}",
        "application/json",
        CONTENT_LENGTH="many",
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "Invalid Content-Length header."}


@pytest.fixture
def hashed_or_validated(monkeypatch):
    """Return the list of passwords hashed or validated from now on."""
    passwords = []

    def watch(owner, name, position):
        method = getattr(owner, name)

        def recorded(*args, **kwargs):
            passwords.append(args[position])
            return method(*args, **kwargs)

        monkeypatch.setattr(owner, name, recorded)

    hasher_class = type(get_hasher())
    watch(hasher_class, "encode", 1)
    watch(hasher_class, "verify", 1)
    watch(password_validation, "validate_password", 0)
    return passwords


PASSWORD_FIELDS = [(name, field) for name, field in FIELDS if KIND[field] == "password"]


@pytest.mark.parametrize(
    ("name", "field"), PASSWORD_FIELDS, ids=[f"{n}-{f}" for n, f in PASSWORD_FIELDS]
)
def test_over_long_password_is_refused_before_validation_or_hashing(
    send, user, request, name, field
):
    endpoint = ENDPOINTS[name]
    if endpoint.signed_in:
        request.getfixturevalue("signed_in_client")
    passwords = request.getfixturevalue("hashed_or_validated")
    over_long = "x" * (PASSWORD_MAX_LENGTH + 1)

    response = send(endpoint, {**endpoint.body, field: over_long})

    assert field_errors(response) == {field}
    assert over_long not in passwords
