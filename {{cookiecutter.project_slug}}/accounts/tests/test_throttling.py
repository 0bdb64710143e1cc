import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from accounts.tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

API = "/api/v1/accounts/"
LOGIN_URL = f"{API}login/"
WRONG_PASSWORD = "not the Passphrase 0"
CACHE_TABLE = "throttle_cache_table"

# A body for each endpoint anyone may call.
PUBLIC_REQUESTS = {
    "register": {"email": "bob@example.com", "password": PASSWORD},
{%- if cookiecutter.register_verification %}
    "verify-registration": {"user_id": "1", "timestamp": 1, "signature": "abc"},
    "resend-verification": {"login": "ann@example.com"},
{%- endif %}
{%- if cookiecutter.reset_password %}
    "send-reset-password-link": {"login": "ann@example.com"},
    "reset-password": {
        "user_id": "1",
        "timestamp": 1,
        "signature": "abc",
        "password": PASSWORD,
    },
{%- endif %}
    "login": {"login": "ann@example.com", "password": WRONG_PASSWORD},
{%- if cookiecutter.register_email_verification %}
    "verify-email": {
        "user_id": "1",
        "email": "new@example.com",
        "timestamp": 1,
        "signature": "abc",
    },
{%- endif %}
}
{%- if cookiecutter.register_verification or cookiecutter.reset_password %}
MAIL_ENDPOINTS = [
{%- if cookiecutter.register_verification %}
    "resend-verification",
{%- endif %}
{%- if cookiecutter.reset_password %}
    "send-reset-password-link",
{%- endif %}
]
{%- endif %}


def throttling(trusted_proxies=0, **rates):
    """Return a settings override with these rates; other scopes stay generous."""
    framework = settings.REST_FRAMEWORK
    generous = dict.fromkeys(framework["DEFAULT_THROTTLE_RATES"], "1000/min")
    return override_settings(
        REST_FRAMEWORK={
            **framework,
            "NUM_PROXIES": trusted_proxies,
            "DEFAULT_THROTTLE_RATES": {**generous, **rates},
        }
    )


def log_in(client, login, password=WRONG_PASSWORD, **headers):
    return client.post(LOGIN_URL, {"login": login, "password": password}, **headers)


@pytest.mark.parametrize("endpoint", PUBLIC_REQUESTS)
def test_every_public_endpoint_is_throttled(client, endpoint):
    url = f"{API}{endpoint}/"
    body = PUBLIC_REQUESTS[endpoint]

    with throttling(register="1/min", login="1/min", send_mail="1/min", link="1/min"):
        client.post(url, body)
        response = client.post(url, body)

    assert response.status_code == 429


@throttling(login="3/min")
def test_requests_above_the_limit_get_429_with_retry_after(client):
    for number in range(3):
        assert log_in(client, f"user{number}@example.com").status_code == 400

    response = log_in(client, "user3@example.com")

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "throttled" in response.json()["detail"]
    assert 0 < int(response["Retry-After"]) <= 60


@throttling(login_account="3/min")
def test_account_limit_holds_across_client_addresses(client, user):
    for number in range(3):
        log_in(client, user.email, REMOTE_ADDR=f"10.0.0.{number}")

    response = log_in(client, user.email, PASSWORD, REMOTE_ADDR="10.0.0.9")

    assert response.status_code == 429


@throttling(login_account="3/min")
def test_account_limit_counts_every_spelling_of_an_email_as_one(client, user):
    spellings = ["ann@example.com", "ANN@Example.COM", "\uff41\uff4e\uff4e@example.com"]
    for login in spellings:
        log_in(client, login)

    response = log_in(client, user.email, PASSWORD)

    assert response.status_code == 429


@throttling(login_account="3/min")
def test_account_limit_counts_a_dotless_i_as_the_i_it_matches(client, db):
    make_user("kim@example.com")
    for _ in range(3):
        log_in(client, "kim@example.com")

    response = log_in(client, "k\u0131m@example.com", PASSWORD)

    assert response.status_code == 429


@throttling(trusted_proxies=1, login="3/min")
def test_a_forwarded_address_of_any_length_is_counted(client, database_cache):
    # The address is the client's to choose; its key must still fit the table.
    long_address = "A" * 300
    for number in range(3):
        log_in(client, f"user{number}@example.com", HTTP_X_FORWARDED_FOR=long_address)

    response = log_in(client, "user3@example.com", HTTP_X_FORWARDED_FOR=long_address)

    assert response.status_code == 429


@throttling(login_account="3/min")
def test_account_limit_leaves_other_accounts_alone(client, user):
    other = make_user("bob@example.com")
    for _ in range(3):
        log_in(client, user.email)

    response = log_in(client, other.email, PASSWORD)

    assert response.status_code == 200


@throttling(login_account="3/min")
def test_successful_login_does_not_reset_another_accounts_count(client, user):
    other = make_user("bob@example.com")
    for _ in range(3):
        log_in(client, user.email)

    assert log_in(client, other.email, PASSWORD).status_code == 200
    response = log_in(client, user.email, PASSWORD)

    assert response.status_code == 429
{%- if cookiecutter.register_verification or cookiecutter.reset_password %}


@pytest.mark.parametrize("endpoint", MAIL_ENDPOINTS)
@throttling(send_mail_account="2/hour")
def test_mail_endpoints_limit_each_account_across_client_addresses(
    client, user, outbox, endpoint
):
    url = f"{API}{endpoint}/"
    for number in range(2):
        client.post(url, {"login": user.email}, REMOTE_ADDR=f"10.0.0.{number}")

    response = client.post(url, {"login": user.email}, REMOTE_ADDR="10.0.0.9")

    assert response.status_code == 429
{%- endif %}


@throttling(login="3/min", login_account="1/min")
def test_a_throttled_request_costs_no_account_allowance(client, user):
    for number in range(3):
        log_in(client, f"user{number}@example.com")
    assert log_in(client, user.email).status_code == 429

    response = log_in(client, user.email, PASSWORD, REMOTE_ADDR="10.0.0.9")

    assert response.status_code == 200


@throttling(login="3/min")
def test_the_limit_counts_requests_in_a_sliding_window(client, time_machine):
    time_machine.move_to("2026-01-01 12:00:00", tick=False)
    log_in(client, "user0@example.com")
    time_machine.shift(40)
    log_in(client, "user1@example.com")
    log_in(client, "user2@example.com")

    assert log_in(client, "user3@example.com")["Retry-After"] == "20"
    time_machine.shift(21)
    assert log_in(client, "user3@example.com").status_code == 400
    assert log_in(client, "user4@example.com").status_code == 429


@pytest.fixture
def database_cache(db):
    """Throttle counters in the production settings' database cache."""
    backend = {"BACKEND": "config.cache.DatabaseCache", "LOCATION": CACHE_TABLE}
    with override_settings(CACHES={"default": backend}):
        call_command("createcachetable", verbosity=0)
        yield


def test_each_request_reads_and_writes_its_limits_once(client, user, database_cache):
    with CaptureQueriesContext(connection) as queries:
        log_in(client, user.email)

    cache_statements = [
        query["sql"] for query in queries if CACHE_TABLE in query["sql"]
    ]
    assert len(cache_statements) == 2
    assert cache_statements[0].startswith("SELECT")
    assert cache_statements[1].startswith("INSERT")


@throttling(login="3/min")
def test_forged_forwarded_for_header_does_not_escape_the_address_limit(client):
    for number in range(3):
        log_in(
            client,
            f"user{number}@example.com",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )

    response = log_in(client, "user3@example.com", HTTP_X_FORWARDED_FOR="198.51.100.99")

    assert response.status_code == 429


@throttling(trusted_proxies=1, login="3/min")
def test_behind_a_trusted_proxy_the_address_it_saw_is_counted(client):
    for number in range(3):
        log_in(
            client,
            f"user{number}@example.com",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}, 203.0.113.7",
        )

    limited = log_in(
        client, "user3@example.com", HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.7"
    )
    other_client = log_in(
        client, "user4@example.com", HTTP_X_FORWARDED_FOR="203.0.113.8"
    )

    assert limited.status_code == 429
    assert other_client.status_code == 400
