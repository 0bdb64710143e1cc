"""Answers that do not tell which accounts exist, by their body or their work."""

from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.contrib.auth.hashers import get_hasher

from accounts.tests.conftest import PASSWORD, make_user

API = "/api/v1/accounts/"
WRONG_PASSWORD = "not the Passphrase 0"

LOGIN_FAILURES = {
    "unknown email": ("nobody@example.com", PASSWORD),
{%- if cookiecutter.username_type == "username" %}
    "unknown username": ("nobody", PASSWORD),
    "wrong password with a username": ("active", WRONG_PASSWORD),
{%- endif %}
    "wrong password": ("active@example.com", WRONG_PASSWORD),
    "inactive account": ("inactive@example.com", PASSWORD),
{%- if cookiecutter.register_verification %}
    "unverified account": ("unverified@example.com", PASSWORD),
{%- endif %}
}
# The logins that name no account, an active one, and each kind of inactive one.
LOGINS = {
    "unknown": "nobody@example.com",
    "active": "active@example.com",
    "inactive": "inactive@example.com",
{%- if cookiecutter.register_verification %}
    "unverified": "unverified@example.com",
{%- endif %}
}


@pytest.fixture
def accounts(db):
    """Create an account of each kind LOGINS names."""
    make_user("active@example.com")
    make_user("inactive@example.com", is_active=False)
{%- if cookiecutter.register_verification %}
    make_user("unverified@example.com", is_active=False, verified_at=None)
{%- endif %}


@contextmanager
def counting_hashes():
    """Count the passwords the hasher hashes or checks inside the block.

    A check may hash internally; only the outermost call is counted.
    """
    hasher_class = type(get_hasher())
    counter = SimpleNamespace(calls=0, depth=0)

    def counted(method):
        def wrapper(*args, **kwargs):
            if counter.depth == 0:
                counter.calls += 1
            counter.depth += 1
            try:
                return method(*args, **kwargs)
            finally:
                counter.depth -= 1

        return wrapper

    with pytest.MonkeyPatch.context() as patch:
        for name in ["encode", "verify"]:
            patch.setattr(hasher_class, name, counted(getattr(hasher_class, name)))
        yield counter


def answer(response):
    return response.status_code, response.content


def test_failed_logins_get_one_answer_whatever_the_reason(client, accounts):
    answers = {
        reason: answer(
            client.post(f"{API}login/", {"login": login, "password": password})
        )
        for reason, (login, password) in LOGIN_FAILURES.items()
    }

    assert set(answers.values()) == {(400, b'{"detail":"Login or password invalid."}')}


@pytest.mark.parametrize("reason", [*LOGIN_FAILURES, "success"])
def test_every_login_attempt_hashes_the_password_exactly_once(client, accounts, reason):
    login, password = LOGIN_FAILURES.get(reason, ("active@example.com", PASSWORD))

    with counting_hashes() as hashes:
        client.post(f"{API}login/", {"login": login, "password": password})

    assert hashes.calls == 1
{%- if cookiecutter.reset_password %}


def test_reset_link_request_gets_one_answer_whoever_it_names(client, accounts):
    answers = {
        kind: answer(client.post(f"{API}send-reset-password-link/", {"login": login}))
        for kind, login in LOGINS.items()
    }

    assert set(answers.values()) == {
        (200, b'{"detail":"Reset link sent if the user exists in database"}')
    }
{%- endif %}
{%- if cookiecutter.register_verification %}


def test_verification_resend_gets_one_answer_whoever_it_names(client, accounts):
    answers = {
        kind: answer(client.post(f"{API}resend-verification/", {"login": login}))
        for kind, login in LOGINS.items()
    }

    assert set(answers.values()) == {
        (200, b'{"detail":"Verification link sent if the account needs one"}')
    }
{%- endif %}
{%- if cookiecutter.register_email_verification %}


def test_register_email_gets_one_answer_whether_the_address_is_free_or_taken(
    signed_in_client, user, accounts
):
    addresses = {
        "free": "new@example.com",
        "taken": "active@example.com",
        "taken in another case": "ACTIVE@example.com",
        "own": user.email,
    }

    answers = {
        kind: answer(
            signed_in_client.post(
                f"{API}register-email/", {"email": email, "password": PASSWORD}
            )
        )
        for kind, email in addresses.items()
    }

    assert set(answers.values()) == {
        (200, b'{"detail":"Register email link email sent"}')
    }
{%- endif %}
