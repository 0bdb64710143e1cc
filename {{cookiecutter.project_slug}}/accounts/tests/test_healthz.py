import pytest
from django.test import Client


def test_healthz_answers_without_a_database(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_answers_when_the_database_does(client, db):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_unknown_path_answers_json_404(client, db):
    response = client.get("/api/v1/accounts/no-such-endpoint/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_schema_is_served(client, db):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    assert b"/api/v1/accounts/login/" in response.content


def test_unknown_api_path_answers_json_404_also_in_debug(client, db, settings):
    settings.DEBUG = True

    response = client.post("/api/v1/accounts/login")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "path", ["/api/v1/accounts/login", "/api/v1/accounts/no-such-endpoint/"]
)
def test_unknown_api_path_answers_json_404_to_any_method(db, method, path):
    # Browsers' CSRF protection must not turn a wrong path into an HTML 403.
    client = Client(enforce_csrf_checks=True)

    response = getattr(client, method)(path, {}, content_type="application/json")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
