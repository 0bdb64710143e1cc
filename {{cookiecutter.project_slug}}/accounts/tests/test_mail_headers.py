"""Text typed by users never reaches a mail header, and never stops a mail."""

import email
from email import policy

import pytest
from django.test import override_settings

from accounts.tests.conftest import PASSWORD

API = "/api/v1/accounts/"
NEW_PASSWORD = "another long Passphrase 8"
LINE_BREAKS = {
    "lf": "\n",
    "crlf": "\r\n",
    "cr": "\r",
    "line-separator": "\u2028",
    "next-line": "\x85",
}


def injected(line_break):
    return f"Ann{line_break}Bcc: eve@example.com"


def as_received(message):
    """Return the message as a mail server would parse it from the wire."""
    return email.message_from_bytes(message.message().as_bytes(), policy=policy.default)


def change_password(client):
    return client.post(
        f"{API}change-password/",
        {
            "old_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )


@pytest.mark.parametrize("line_break", LINE_BREAKS.values(), ids=LINE_BREAKS)
def test_first_name_with_a_line_break_never_reaches_a_header(
    signed_in_client, user, outbox, line_break
):
    name = injected(line_break)
    profile = signed_in_client.patch(f"{API}profile/", {"first_name": name})
    assert profile.json()["first_name"] == name

    response = change_password(signed_in_client)

    assert response.status_code == 200
    (message,) = outbox
    received = as_received(message)
    assert received["To"] == user.email
    assert received["Bcc"] is None
    assert "eve@example.com" not in received["Subject"]


@override_settings(ACCOUNTS_SITE_NAME=injected("\r\n"))
def test_site_name_with_a_line_break_gives_a_one_line_subject(
    signed_in_client, user, outbox
):
    response = change_password(signed_in_client)

    assert response.status_code == 200
    (message,) = outbox
    received = as_received(message)
    assert "\n" not in message.subject
    assert received["Bcc"] is None
    assert message.recipients() == [user.email]
{%- if cookiecutter.register_verification %}


@pytest.mark.parametrize("line_break", LINE_BREAKS.values(), ids=LINE_BREAKS)
def test_registration_with_a_line_break_in_the_name_still_mails_the_link(
    client, db, outbox, line_break
):
    body = {
{%- if cookiecutter.username_type == "username" %}
        "username": "bobby",
{%- endif %}
        "email": "bob@example.com",
        "first_name": injected(line_break),
        "password": PASSWORD,
        "password_confirm": PASSWORD,
    }

    response = client.post(f"{API}register/", body)

    assert response.status_code == 201
    (message,) = outbox
    received = as_received(message)
    assert received["To"] == "bob@example.com"
    assert received["Bcc"] is None
{%- endif %}
