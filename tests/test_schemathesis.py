"""A running generated project answers generated requests as its schema says.

Schemathesis reads the project's OpenAPI schema, sends valid and invalid
requests to every operation, and checks that no answer is a server error and
that every documented answer matches its schema.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import render, run

pytestmark = pytest.mark.slow

SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "a-production-secret-key-that-is-long-enough-1234567890",
    "ALLOWED_HOSTS": "127.0.0.1",
    # Plain HTTP on loopback; one process, so a local-memory cache will do.
    "SECURE_SSL_REDIRECT": "false",
    "CACHE_URL": "locmemcache://",
    "WEB_CONCURRENCY": "1",
    # Schemathesis sends thousands of requests from one address.
    **{
        f"THROTTLE_{scope}": "1000000/min"
        for scope in [
            "REGISTER",
            "LOGIN",
            "LOGIN_ACCOUNT",
            "SEND_MAIL",
            "SEND_MAIL_ACCOUNT",
            "LINK",
            "USER",
        ]
    },
}
EMAIL = "schemathesis@example.com"
PASSWORD = "a long Passphrase 7"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(process, url, log):
    """Return once the server answers; fail with its log if it never does."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"The server did not start:\n{log.read_text()}")


def post_json(url, body):
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


@pytest.fixture
def server(tmp_path, project_python, postgres_database):
    """Start the default project under gunicorn; return its base URL."""
    project = render(tmp_path / "render")
    env = {**SERVER_ENV, "DATABASE_URL": postgres_database}
    run(project_python, ["manage.py", "migrate", "--no-input"], project, env)
    run(
        project_python,
        ["manage.py", "createsuperuser", "--no-input"],
        project,
        {
            **env,
            "DJANGO_SUPERUSER_EMAIL": EMAIL,
            "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
        },
    )

    port = free_port()
    log = tmp_path / "gunicorn.log"
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "VIRTUAL_ENV"))
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                str(project_python),
                "-m",
                "gunicorn",
                "config.wsgi",
                "--config",
                "config/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=project,
            env={**environment, **env},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(process, url, log)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_api_answers_as_its_schema_says_and_never_with_a_server_error(server, tmp_path):
    login = post_json(
        f"{server}/api/v1/accounts/login/", {"login": EMAIL, "password": PASSWORD}
    )

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            f"{server}/api/schema/",
            "--checks",
            "not_a_server_error,response_schema_conformance",
            "--header",
            f"Authorization: Token {login['token']}",
            # Logging out would revoke the token the other operations use.
            "--exclude-path",
            "/api/v1/accounts/logout/",
            "--max-examples",
            "15",
            "--seed",
            "1",
            "--workers",
            "2",
            "--request-timeout",
            "10",
            "--generation-database",
            "none",
            "--no-color",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr
