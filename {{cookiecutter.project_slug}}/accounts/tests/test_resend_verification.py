import pytest

from accounts.models import User
from accounts.tests.conftest import link_params, make_user

RESEND_URL = "/api/v1/accounts/resend-verification/"
VERIFY_URL = "/api/v1/accounts/verify-registration/"
SENT = {"detail": "Verification link sent if the account needs one"}


@pytest.fixture
def new_user(db):
    """A user who has registered and not yet used their link."""
    return make_user(email="Bob@example.com", is_active=False, verified_at=None)


@pytest.mark.parametrize(
    "login",
    [
        pytest.param("nobody@example.com", id="unknown"),
        pytest.param("ann@example.com", id="verified"),
        pytest.param("bob@example.com", id="unverified"),
    ],
)
def test_resend_answers_alike_for_every_account(client, user, new_user, login):
    response = client.post(RESEND_URL, {"login": login})

    assert response.status_code == 200
    assert response.json() == SENT


def test_resend_mails_an_unverified_account_a_link(client, new_user, outbox):
    client.post(RESEND_URL, {"login": new_user.email})

    (message,) = outbox
    assert link_params(message)["user_id"] == str(new_user.pk)


def test_resent_link_verifies_the_account(client, new_user, outbox):
    client.post(RESEND_URL, {"login": new_user.email})

    response = client.post(VERIFY_URL, link_params(outbox[0]))

    assert response.status_code == 200
    assert User.objects.get(pk=new_user.pk).is_active is True


def test_resend_mails_nothing_to_a_verified_account(client, user, outbox):
    client.post(RESEND_URL, {"login": user.email})

    assert outbox == []


def test_resend_mails_nothing_for_an_unknown_login(client, outbox):
    client.post(RESEND_URL, {"login": "nobody@example.com"})

    assert outbox == []


def test_resend_mails_nothing_to_an_account_an_administrator_deactivated(
    client, outbox
):
    deactivated = make_user(email="dee@example.com", is_active=False)

    client.post(RESEND_URL, {"login": deactivated.email})

    assert outbox == []


def test_resend_finds_the_account_whatever_the_case_of_the_email(
    client, new_user, outbox
):
    client.post(RESEND_URL, {"login": "BOB@EXAMPLE.COM"})

    assert len(outbox) == 1


def test_resend_mails_the_stored_address_not_the_one_typed(client, new_user, outbox):
    client.post(RESEND_URL, {"login": "bOB@EXAMPLE.com"})

    (message,) = outbox
    assert message.to == ["Bob@example.com"]
{%- if cookiecutter.username_type == "username" %}


def test_resend_finds_the_account_by_username(client, new_user, outbox):
    client.post(RESEND_URL, {"login": new_user.username})

    (message,) = outbox
    assert message.to == ["Bob@example.com"]
{%- endif %}


def test_resend_needs_a_login(client, db):
    response = client.post(RESEND_URL, {})

    assert response.status_code == 400
    assert response.json() == {"login": ["This field is required."]}
