"""An email is one address in every case and compatibility form (NFKC).

Mail about an account goes to the address stored for it, never to one typed.
"""

import pytest

from accounts.models import User
{%- if cookiecutter.reset_password or cookiecutter.register_verification %}
from accounts.tests.conftest import PASSWORD, make_user
{%- else %}
from accounts.tests.conftest import PASSWORD
{%- endif %}

API = "/api/v1/accounts/"

# Fullwidth letters, which NFKC folds to their ASCII forms.
FULLWIDTH_ANN = "\uff41\uff4e\uff4e@example.com"
SPELLINGS_OF_ANN = [
    "ANN@example.com",
    "ann@EXAMPLE.COM",
    FULLWIDTH_ANN,
    "ann\uff20example.com",
    "\uff21\uff2e\uff2e@\uff25\uff38\uff21\uff2d\uff30\uff2c\uff25.com",
]
{%- if cookiecutter.reset_password or cookiecutter.register_verification %}
# Addresses that look like mike@example.com but are other addresses.
LOOK_ALIKES_OF_MIKE = [
    "m\u0131ke@example.com",  # dotless i
    "M\u0130KE@example.com",  # capital I with a dot
    "mik\u0435@example.com",  # Cyrillic e
    "mike@ex\u0430mple.com",  # Cyrillic a
]
{%- endif %}


def registration(email):
    return {
{%- if cookiecutter.username_type == "username" %}
        "username": "bobby",
{%- endif %}
        "email": email,
        "password": PASSWORD,
        "password_confirm": PASSWORD,
    }


@pytest.mark.parametrize("email", SPELLINGS_OF_ANN)
def test_registration_refuses_another_spelling_of_a_registered_email(
    client, user, email
):
    response = client.post(f"{API}register/", registration(email))

    assert response.status_code == 400
    assert response.json()["email"] == ["This email is already registered."]


def test_registration_stores_the_compatibility_form_of_the_email(client, db):
    fullwidth_bob = "\uff42\uff4f\uff42@\uff25xample.com"

    client.post(f"{API}register/", registration(fullwidth_bob))

    assert User.objects.get().email == "bob@example.com"


def test_registration_stores_the_domain_that_receives_the_mail(client, db):
    response = client.post(f"{API}register/", registration("ann@straße.de"))

    assert response.status_code == 201
    assert response.json()["email"] == "ann@strasse.de"


def test_registration_refuses_an_address_mail_cannot_reach(client, db):
    response = client.post(f"{API}register/", registration("\u0131van@example.com"))

    assert response.status_code == 400
    assert list(response.json()["email"]) == [
        "Use an address whose part before the @ has only ASCII characters."
    ]


@pytest.mark.parametrize("email", SPELLINGS_OF_ANN)
def test_login_accepts_any_spelling_of_the_email(client, user, email):
    response = client.post(f"{API}login/", {"login": email, "password": PASSWORD})

    assert response.status_code == 200
{%- if cookiecutter.reset_password %}


@pytest.mark.parametrize("login", SPELLINGS_OF_ANN)
def test_reset_link_for_any_spelling_goes_to_the_stored_address(
    client, user, outbox, login
):
    client.post(f"{API}send-reset-password-link/", {"login": login})

    assert [message.to for message in outbox] == [[user.email]]


@pytest.mark.parametrize("login", LOOK_ALIKES_OF_MIKE)
def test_reset_link_for_a_look_alike_never_goes_to_the_typed_address(
    client, db, outbox, login
):
    mike = make_user("mike@example.com")

    client.post(f"{API}send-reset-password-link/", {"login": login})

    assert {address for message in outbox for address in message.to} <= {mike.email}


def test_reset_link_request_naming_several_logins_is_refused(client, user, outbox):
    logins = [user.email, "eve@example.com"]

    response = client.post(f"{API}send-reset-password-link/", {"login": logins})

    assert response.status_code == 400
    assert outbox == []
{%- endif %}
{%- if cookiecutter.register_verification %}


@pytest.mark.parametrize("login", [*SPELLINGS_OF_ANN, *LOOK_ALIKES_OF_MIKE])
def test_verification_resend_never_goes_to_the_typed_address(client, db, outbox, login):
    ann = make_user("ann@example.com", is_active=False, verified_at=None)
    mike = make_user("mike@example.com", is_active=False, verified_at=None)

    client.post(f"{API}resend-verification/", {"login": login})

    stored = {ann.email, mike.email}
    assert {address for message in outbox for address in message.to} <= stored


def test_verification_resend_naming_several_logins_is_refused(client, db, outbox):
    ann = make_user("ann@example.com", is_active=False, verified_at=None)
    logins = [ann.email, "eve@example.com"]

    response = client.post(f"{API}resend-verification/", {"login": logins})

    assert response.status_code == 400
    assert outbox == []
{%- endif %}
