from datetime import timedelta

import pytest
import time_machine
from django.core import mail
{% if cookiecutter.reset_password %}
from accounts.api.reset_password import link_state, reset_links
{%- endif %}
from accounts.api.verify_registration import send_verification_link
from accounts.models import User
from accounts.signing import LinkSigner
from accounts.tests.conftest import PASSWORD, link_params, make_user

VERIFY_URL = "/api/v1/accounts/verify-registration/"
LOGIN_URL = "/api/v1/accounts/login/"
VERIFIED = {"detail": "User verified successfully"}
INVALID_SIGNATURE = {"detail": "Invalid signature"}


@pytest.fixture
def new_user(db):
    """A user who has registered and not yet used their link."""
    return make_user(email="bob@example.com", is_active=False, verified_at=None)


def mailed_link(user):
    """Mail the user a registration link as registering does; return its params."""
    send_verification_link.call(user.pk)
    return link_params(mail.outbox[-1])


def tampered(value):
    """Return the value with its last character changed."""
    return value[:-1] + ("2" if value[-1] == "1" else "1")


def test_registration_link_verifies_the_account(client, new_user):
    link = mailed_link(new_user)

    response = client.post(VERIFY_URL, link)

    assert response.status_code == 200
    assert response.json() == VERIFIED


def test_registration_link_activates_the_account(client, new_user):
    link = mailed_link(new_user)

    client.post(VERIFY_URL, link)

    new_user.refresh_from_db()
    assert new_user.is_active is True
    assert new_user.verified_at is not None


def test_verified_account_can_log_in(client, new_user):
    client.post(VERIFY_URL, mailed_link(new_user))

    response = client.post(LOGIN_URL, {"login": new_user.email, "password": PASSWORD})

    assert response.status_code == 200


def test_registration_link_can_be_posted_as_a_form(client, new_user):
    link = mailed_link(new_user)

    response = client.post(VERIFY_URL, link, format="multipart")

    assert response.status_code == 200


def test_registration_link_accepts_the_user_id_as_a_number(client, new_user):
    link = mailed_link(new_user)

    response = client.post(VERIFY_URL, {**link, "user_id": int(link["user_id"])})

    assert response.status_code == 200


def test_registration_link_works_once(client, new_user):
    link = mailed_link(new_user)
    client.post(VERIFY_URL, link)

    response = client.post(VERIFY_URL, link)

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE


def test_registration_link_stops_working_once_the_account_is_verified(client, new_user):
    earlier_link = mailed_link(new_user)
    with time_machine.travel(timedelta(hours=1)):
        client.post(VERIFY_URL, mailed_link(new_user))

    response = client.post(VERIFY_URL, earlier_link)

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE


def test_registration_link_never_reactivates_a_deactivated_account(client, new_user):
    earlier_link = mailed_link(new_user)
    with time_machine.travel(timedelta(hours=1)):
        client.post(VERIFY_URL, mailed_link(new_user))
    User.objects.filter(pk=new_user.pk).update(is_active=False)

    response = client.post(VERIFY_URL, earlier_link)

    assert response.status_code == 400
    assert User.objects.get(pk=new_user.pk).is_active is False


@pytest.mark.parametrize("field", ["user_id", "timestamp", "signature"])
def test_tampered_registration_link_is_rejected(client, new_user, field):
    link = mailed_link(new_user)
    link[field] = tampered(link[field])

    response = client.post(VERIFY_URL, link)

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE


def test_tampered_registration_link_leaves_the_account_unverified(client, new_user):
    link = mailed_link(new_user)
    link["signature"] = tampered(link["signature"])

    client.post(VERIFY_URL, link)

    assert User.objects.get(pk=new_user.pk).verified_at is None


def test_registration_link_works_for_seven_days(client, new_user):
    link = mailed_link(new_user)

    with time_machine.travel(timedelta(days=7, minutes=-1)):
        response = client.post(VERIFY_URL, link)

    assert response.status_code == 200


def test_registration_link_expires_after_seven_days(client, new_user):
    link = mailed_link(new_user)

    with time_machine.travel(timedelta(days=7, minutes=1)):
        response = client.post(VERIFY_URL, link)

    assert response.status_code == 400
    assert response.json() == {"detail": "Signature expired"}
{%- if cookiecutter.reset_password %}


def test_reset_link_cannot_verify_an_account(client, new_user):
    reset_link = reset_links.make_params(new_user, link_state(new_user))

    response = client.post(VERIFY_URL, reset_link)

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE
{%- endif %}


def test_link_signed_for_another_purpose_cannot_verify_an_account(client, new_user):
    other_links = LinkSigner(
        salt="accounts.another-purpose",
        period_setting="ACCOUNTS_VERIFY_REGISTRATION_PERIOD",
        url_setting="ACCOUNTS_VERIFY_REGISTRATION_URL",
    )
    link = other_links.make_params(new_user)

    response = client.post(VERIFY_URL, link)

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE


def test_registration_link_survives_a_key_rotation(client, new_user, settings):
    link = mailed_link(new_user)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-that-replaces-the-old-one"

    response = client.post(VERIFY_URL, link)

    assert response.status_code == 200


def test_registration_link_dies_with_a_retired_key(client, new_user, settings):
    link = mailed_link(new_user)
    settings.SECRET_KEY_FALLBACKS = []
    settings.SECRET_KEY = "a-new-secret-key-that-replaces-the-old-one"

    response = client.post(VERIFY_URL, link)

    assert response.status_code == 400
    assert response.json() == INVALID_SIGNATURE


def test_registration_link_of_a_deleted_user_finds_no_user(client, new_user):
    link = mailed_link(new_user)
    new_user.delete()

    response = client.post(VERIFY_URL, link)

    assert response.status_code == 400
    assert response.json() == {"detail": "User not found"}


@pytest.mark.parametrize("field", ["user_id", "timestamp", "signature"])
def test_registration_link_needs_every_parameter(client, new_user, field):
    link = mailed_link(new_user)
    del link[field]

    response = client.post(VERIFY_URL, link)

    assert response.status_code == 400
    assert response.json() == {field: ["This field is required."]}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("user_id", "", "This field may not be blank."),
        ("user_id", "bob", "A valid user id is required."),
        ("user_id", "-1", "A valid user id is required."),
        ("user_id", "\u0661", "A valid user id is required."),
        ("user_id", -1, "A valid user id is required."),
        ("user_id", "1" * 21, "Ensure this field has no more than 20 characters."),
        ("timestamp", "yesterday", "A valid integer is required."),
        ("timestamp", True, "A valid integer is required."),
        ("timestamp", [1], "A valid integer is required."),
        ("timestamp", -1, "Ensure this value is greater than or equal to 0."),
        (
            "timestamp",
            2**41,
            "Ensure this value is less than or equal to 1099511627776.",
        ),
        ("signature", "", "This field may not be blank."),
        ("signature", "not/base64+", "Invalid signature"),
        ("signature", "s" * 101, "Ensure this field has no more than 100 characters."),
        ("signature", {"a": 1}, "Not a valid string."),
    ],
)
def test_malformed_registration_link_is_refused(
    client, new_user, field, value, message
):
    link = {**mailed_link(new_user), field: value}

    response = client.post(VERIFY_URL, link)

    assert response.status_code == 400
    assert response.json() == {field: [message]}
