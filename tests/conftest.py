"""Rendering and running generated projects for the template's own tests."""

import hashlib
import itertools
import os
import shutil
import subprocess
import tomllib
import uuid
from pathlib import Path

import psycopg
import pytest
from cookiecutter.main import cookiecutter

TEMPLATE = Path(__file__).resolve().parent.parent
SLUG = "proj"

# Every question whose answer changes the generated files, with every value.
CHOICES = {
    "username_type": ["email", "username"],
    "auth": ["session+token", "session", "token"],
    "register_verification": [True, False],
    "reset_password": [True, False],
    "register_email_verification": [True, False],
    "use_docker": [True, False],
    "ci": ["github", "gitlab", "none"],
}
ALL_COMBINATIONS = [
    dict(zip(CHOICES, values, strict=True))
    for values in itertools.product(*CHOICES.values())
]

# Every value of every question at least once, and each auth mode with each
# username type; these projects are installed, migrated and tested.
COVERING_SET = [
    dict(zip(CHOICES, values, strict=True))
    for values in [
        ("email", "session+token", True, True, True, True, "github"),
        ("username", "session+token", False, False, False, False, "gitlab"),
        ("email", "session", False, True, False, True, "none"),
        ("username", "session", True, False, True, False, "github"),
        ("email", "token", True, False, False, True, "gitlab"),
        ("username", "token", False, True, True, False, "none"),
    ]
]

ADMIN_DATABASE_URL = os.environ.get(
    "TEMPLATE_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)


def combination_id(answers):
    return "-".join(str(value).lower() for value in answers.values())


def render(output_dir, **answers):
    """Generate a project with these answers; return its folder."""
    return Path(
        cookiecutter(
            str(TEMPLATE),
            no_input=True,
            output_dir=str(output_dir),
            extra_context={"project_slug": SLUG, **answers},
        )
    )


def database_url(name):
    base, _, _ = ADMIN_DATABASE_URL.rpartition("/")
    return f"{base}/{name}"


@pytest.fixture(scope="session")
def project_python(tmp_path_factory):
    """Return the python of one environment holding every generated dependency.

    Every combination's dependencies are a subset of the default answers'
    (which include token auth), so one environment serves all projects.
    """
    project = render(tmp_path_factory.mktemp("deps"))
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    requirements = [
        *pyproject["project"]["dependencies"],
        *pyproject["dependency-groups"]["dev"],
    ]
    digest = hashlib.sha256("\n".join(requirements).encode()).hexdigest()[:12]
    venv = TEMPLATE / ".cache" / f"project-venv-{digest}"
    python = venv / "bin" / "python"
    if not python.exists():
        uv = shutil.which("uv") or "uv"
        subprocess.run(
            [uv, "venv", "--quiet", "--python", python_version(), str(venv)],
            check=True,
        )
        subprocess.run(
            [uv, "pip", "install", "--quiet", "--compile-bytecode"]
            + ["--python", str(python), *requirements],
            check=True,
        )
    return python


def python_version():
    """Return the interpreter uv should use: UV_PYTHON if set, else the project's."""
    return os.environ.get("UV_PYTHON") or "3.13"


@pytest.fixture
def postgres_database():
    """Create an empty PostgreSQL database; return its URL; drop it afterwards."""
    name = f"tpl_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield database_url(name)
    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'DROP DATABASE IF EXISTS "test_{name}" WITH (FORCE)')


def run(python, args, cwd, env=None, timeout=900):
    """Run a command of a generated project with its environment's python."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "VIRTUAL_ENV"))
    }
    environment["PATH"] = f"{Path(python).parent}{os.pathsep}{environment['PATH']}"
    environment.update(env or {})
    result = subprocess.run(
        [str(python), *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}"
    )
    return result
