"""The pre-generation hook rejects bad answers; the post-generation hook cleans up."""

import ast
import importlib.util
import json
import re

import pytest
from cookiecutter.exceptions import FailedHookException

from tests.conftest import TEMPLATE, render


def load_hook(name):
    spec = importlib.util.spec_from_file_location(
        name, TEMPLATE / "hooks" / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pre_gen = load_hook("pre_gen_project")
post_gen = load_hook("post_gen_project")
DEFAULTS = json.loads((TEMPLATE / "cookiecutter.json").read_text())
VALID = {
    "project_slug": "shop_api",
    "email": "dev@example.com",
    "domain_name": "api.example.com",
    "postgresql_version": "18",
}


def problems_with(**answers):
    return pre_gen.problems({**VALID, **answers})


def test_valid_answers_have_no_problems():
    assert pre_gen.problems(VALID) == []


@pytest.mark.parametrize("slug", ["My-Project", "1api", "shop api", "Shop", "class"])
def test_slug_that_is_not_a_lowercase_identifier_is_rejected(slug):
    (problem,) = problems_with(project_slug=slug)

    assert "not a lower-case Python identifier" in problem


@pytest.mark.parametrize("slug", ["django", "config", "accounts", "test", "email"])
def test_slug_that_shadows_an_imported_module_is_rejected(slug):
    (problem,) = problems_with(project_slug=slug)

    assert "would shadow" in problem


@pytest.mark.parametrize("email", ["dev", "dev@", "dev@example", "a b@example.com"])
def test_email_that_is_not_an_address_is_rejected(email):
    (problem,) = problems_with(email=email)

    assert "is not an email address" in problem


@pytest.mark.parametrize(
    "domain",
    ["https://example.com", "example.com/api", "example.com:8000", "exa mple.com"],
)
def test_domain_with_a_scheme_path_or_port_is_rejected(domain):
    (problem,) = problems_with(domain_name=domain)

    assert "bare host name" in problem


def test_postgresql_version_that_is_not_a_number_is_rejected():
    (problem,) = problems_with(postgresql_version="latest")

    assert "major version number" in problem


def test_cookiecutter_stops_on_a_bad_answer_and_says_why(tmp_path, capfd):
    with pytest.raises(FailedHookException):
        render(tmp_path, project_slug="django")

    assert "project_slug 'django' would shadow" in capfd.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_hooks_import_nothing_that_reaches_the_network():
    for name in ["pre_gen_project", "post_gen_project"]:
        source = (TEMPLATE / "hooks" / f"{name}.py").read_text()
        tree = ast.parse(source)
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
        # Hooks stay offline: nothing that could download or run a program.
        assert imported.isdisjoint({"subprocess", "urllib", "socket", "http"})


def test_removal_table_names_only_switchable_answers():
    for question, answer in post_gen.REMOVALS:
        choices = DEFAULTS[question]
        allowed = choices if isinstance(choices, list) else [True, False]
        assert answer in allowed


def test_paths_to_remove_follow_the_answers():
    answers = {
        "auth": "session",
        "register_verification": False,
        "reset_password": True,
        "register_email_verification": True,
        "use_docker": True,
        "ci": "none",
    }

    paths = post_gen.paths_to_remove(answers)

    assert "accounts/api/verify_registration.py" in paths
    assert "accounts/api/reset_password.py" not in paths
    assert ".github" in paths and ".gitlab-ci.yml" in paths
    assert "Dockerfile" not in paths
    assert "accounts/authentication.py" in paths


def test_secret_key_is_long_and_made_of_letters_and_digits():
    keys = {post_gen.make_secret_key() for _ in range(3)}

    assert len(keys) == 3
    assert all(re.fullmatch(r"[A-Za-z0-9]{50,}", key) for key in keys)


def test_write_env_replaces_only_the_secret_key(tmp_path):
    (tmp_path / ".env.example").write_text("SECRET_KEY=\nDEBUG=true\n")

    post_gen.write_env(tmp_path)

    lines = (tmp_path / ".env").read_text().splitlines()
    assert re.fullmatch(r"SECRET_KEY=[A-Za-z0-9]{50,}", lines[0])
    assert lines[1:] == ["DEBUG=true"]


def test_generation_prints_the_next_steps(tmp_path, capfd):
    render(tmp_path)

    out = capfd.readouterr().out
    assert f"cd {tmp_path / 'proj'}" in out
    assert "uv run manage.py migrate" in out
