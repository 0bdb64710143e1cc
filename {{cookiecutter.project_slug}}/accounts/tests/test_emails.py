import pytest
{%- if cookiecutter.register_email_verification %}
from django.core import mail
{%- endif %}
from django.core.mail import EmailMultiAlternatives

from accounts.tests.conftest import PASSWORD{% if cookiecutter.register_verification or cookiecutter.reset_password or cookiecutter.register_email_verification %}, link_params, link_url{% endif %}{% if cookiecutter.register_email_verification %}, make_user{% endif %}

CHANGE_PASSWORD_URL = "/api/v1/accounts/change-password/"
REGISTER_EMAIL_URL = "/api/v1/accounts/register-email/"
{%- if cookiecutter.register_email_verification %}
VERIFY_EMAIL_URL = "/api/v1/accounts/verify-email/"
{%- endif %}
{%- if cookiecutter.register_verification %}
REGISTER_URL = "/api/v1/accounts/register/"
{%- endif %}
{%- if cookiecutter.reset_password %}
SEND_RESET_LINK_URL = "/api/v1/accounts/send-reset-password-link/"
{%- endif %}
NEW_PASSWORD = "another Passphrase 8"
NEW_EMAIL = "ann.new@example.com"
{%- if cookiecutter.register_verification %}


def register(client, user):
    """Register a new account under the user's names; it is mailed a link."""
    client.post(
        REGISTER_URL,
        {
{%- if cookiecutter.username_type == "username" %}
            "username": "bob",
{%- endif %}
            "email": "bob@example.com",
            "first_name": user.first_name,
            "last_name": user.last_name,
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
    )
{%- endif %}
{%- if cookiecutter.reset_password %}


def request_reset_link(client, user):
    """Ask for a reset link; the user is mailed it."""
    client.post(SEND_RESET_LINK_URL, {"login": user.email})
{%- endif %}


def change_password(client, user):
    """Change the password; the user is mailed a notice."""
    client.post(
        CHANGE_PASSWORD_URL,
        {
            "old_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
{%- if cookiecutter.register_email_verification %}


def request_email_link(client, user):
    """Ask for a new address; the address is mailed a link."""
    client.post(REGISTER_EMAIL_URL, {"email": NEW_EMAIL, "password": PASSWORD})


def request_email_link_for_a_taken_address(client, user):
    """Ask for an address whose owner has the user's names; the owner is told."""
    make_user(email="bob@example.com", first_name=user.first_name)
    client.post(REGISTER_EMAIL_URL, {"email": "bob@example.com", "password": PASSWORD})


def change_email(client, user):
    """Change the email through its link; the old address is mailed a notice."""
    client.post(REGISTER_EMAIL_URL, {"email": NEW_EMAIL, "password": PASSWORD})
    client.post(VERIFY_EMAIL_URL, link_params(mail.outbox[-1]))
{%- else %}


def change_email(client, user):
    """Change the email; the old address is mailed a notice."""
    client.post(REGISTER_EMAIL_URL, {"email": NEW_EMAIL, "password": PASSWORD})
{%- endif %}


MESSAGES = [
{%- if cookiecutter.register_verification %}
    pytest.param(register, id="registration link"),
{%- endif %}
{%- if cookiecutter.reset_password %}
    pytest.param(request_reset_link, id="reset link"),
{%- endif %}
    pytest.param(change_password, id="password changed"),
{%- if cookiecutter.register_email_verification %}
    pytest.param(request_email_link, id="email link"),
    pytest.param(request_email_link_for_a_taken_address, id="email taken"),
{%- endif %}
    pytest.param(change_email, id="email changed"),
]
{%- if cookiecutter.register_verification or cookiecutter.reset_password or cookiecutter.register_email_verification %}
LINK_MESSAGES = [
{%- if cookiecutter.register_verification %}
    pytest.param(register, id="registration link"),
{%- endif %}
{%- if cookiecutter.reset_password %}
    pytest.param(request_reset_link, id="reset link"),
{%- endif %}
{%- if cookiecutter.register_email_verification %}
    pytest.param(request_email_link, id="email link"),
{%- endif %}
]
URL_SETTINGS = {
{%- if cookiecutter.register_verification %}
    register: "ACCOUNTS_VERIFY_REGISTRATION_URL",
{%- endif %}
{%- if cookiecutter.reset_password %}
    request_reset_link: "ACCOUNTS_RESET_PASSWORD_URL",
{%- endif %}
{%- if cookiecutter.register_email_verification %}
    request_email_link: "ACCOUNTS_VERIFY_EMAIL_URL",
{%- endif %}
}
{%- endif %}


@pytest.mark.parametrize("send", MESSAGES)
def test_every_message_is_a_text_body_with_an_html_alternative(
    signed_in_client, user, outbox, send
):
    send(signed_in_client, user)

    assert outbox != []
    for message in outbox:
        assert isinstance(message, EmailMultiAlternatives)
        assert message.content_subtype == "plain"
        assert [mimetype for _html, mimetype in message.alternatives] == ["text/html"]


@pytest.mark.parametrize("send", MESSAGES)
def test_every_message_has_a_one_line_subject(signed_in_client, user, outbox, send):
    send(signed_in_client, user)

    assert outbox != []
    for message in outbox:
        assert message.subject.strip() != ""
        assert message.subject == " ".join(message.subject.split())


@pytest.mark.parametrize("send", MESSAGES)
def test_every_message_greets_the_user_by_first_name(
    signed_in_client, user, outbox, send
):
    send(signed_in_client, user)

    assert outbox != []
    for message in outbox:
        assert message.body.startswith("Hello Ann,\n")
        assert "<p>Hello Ann,</p>" in message.alternatives[0].content


@pytest.mark.parametrize("send", MESSAGES)
def test_text_bodies_show_names_as_typed(signed_in_client, user, outbox, send):
    user.first_name = "Ann <b>&</b>"
    user.save()

    send(signed_in_client, user)

    assert outbox != []
    for message in outbox:
        assert message.body.startswith("Hello Ann <b>&</b>,\n")


@pytest.mark.parametrize("send", MESSAGES)
def test_html_bodies_escape_names(signed_in_client, user, outbox, send):
    user.first_name = "Ann <b>&</b>"
    user.save()

    send(signed_in_client, user)

    assert outbox != []
    for message in outbox:
        assert "Hello Ann &lt;b&gt;&amp;&lt;/b&gt;," in message.alternatives[0].content


@pytest.mark.parametrize("send", MESSAGES)
def test_a_newline_in_the_first_name_does_not_break_sending(
    signed_in_client, user, outbox, send
):
    user.first_name = "Ann\nBcc: mallory@example.com"
    user.save()

    send(signed_in_client, user)

    assert outbox != []
    for message in outbox:
        assert "\n" not in message.subject
        assert message.recipients() == message.to


@pytest.mark.parametrize("send", MESSAGES)
def test_a_newline_in_the_site_name_does_not_break_the_subject(
    signed_in_client, user, outbox, settings, send
):
    settings.ACCOUNTS_SITE_NAME = "My API\nBcc: mallory@example.com"

    send(signed_in_client, user)

    assert outbox != []
    for message in outbox:
        assert "\n" not in message.subject
        assert message.recipients() == message.to
{%- if cookiecutter.register_verification or cookiecutter.reset_password or cookiecutter.register_email_verification %}


@pytest.mark.parametrize("send", LINK_MESSAGES)
def test_links_start_with_the_configured_frontend_url(
    signed_in_client, user, outbox, settings, send
):
    setattr(settings, URL_SETTINGS[send], "https://app.example.com/confirm/")

    send(signed_in_client, user)

    assert link_url(outbox[-1]).startswith("https://app.example.com/confirm/?")


@pytest.mark.parametrize("send", LINK_MESSAGES)
def test_links_add_their_parameters_to_a_frontend_url_with_a_query(
    signed_in_client, user, outbox, settings, send
):
    setattr(settings, URL_SETTINGS[send], "https://app.example.com/confirm/?lang=en")

    send(signed_in_client, user)

    assert link_url(outbox[-1]).startswith("https://app.example.com/confirm/?lang=en&")
    assert link_params(outbox[-1])["lang"] == "en"


@pytest.mark.parametrize("send", LINK_MESSAGES)
def test_links_ignore_the_host_the_request_was_sent_to(
    signed_in_client, user, outbox, settings, send
):
    settings.ALLOWED_HOSTS = ["*"]
    settings.USE_X_FORWARDED_HOST = True
    signed_in_client.defaults["HTTP_HOST"] = "attacker.example"
    signed_in_client.defaults["HTTP_X_FORWARDED_HOST"] = "attacker.example"

    send(signed_in_client, user)

    frontend_url = getattr(settings, URL_SETTINGS[send])
    assert link_url(outbox[-1]).startswith(f"{frontend_url}?")
    assert "attacker.example" not in outbox[-1].body
    assert "attacker.example" not in outbox[-1].alternatives[0].content


@pytest.mark.parametrize("send", LINK_MESSAGES)
def test_text_bodies_keep_the_ampersands_of_links(signed_in_client, user, outbox, send):
    send(signed_in_client, user)

    assert "&timestamp=" in link_url(outbox[-1])
    assert "&amp;" not in outbox[-1].body


@pytest.mark.parametrize("send", LINK_MESSAGES)
def test_html_bodies_link_to_the_same_url(signed_in_client, user, outbox, send):
    send(signed_in_client, user)

    href = link_url(outbox[-1]).replace("&", "&amp;")
    assert f'<a href="{href}">' in outbox[-1].alternatives[0].content
{%- endif %}
