"""The deploy files lint and validate, and the image's commands serve and mail."""

import contextlib
import email
import fnmatch
import http.client
import itertools
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
from email import policy
from pathlib import Path

import psycopg
import pytest
import yaml
from aiosmtpd.controller import Controller

from tests.conftest import render, run

# The answers that change the deploy files, with every value that matters.
DEPLOY_CHOICES = {
    "use_docker": [True, False],
    "ci": ["github", "gitlab", "none"],
    "postgresql_version": ["17", "18"],
}
DEPLOY_COMBINATIONS = [
    dict(zip(DEPLOY_CHOICES, values, strict=True))
    for values in itertools.product(*DEPLOY_CHOICES.values())
]

CI_GATES = [
    "ruff check",
    "ruff format --check",
    "manage.py makemigrations --check --dry-run",
    "pytest",
    "manage.py check --deploy --fail-level WARNING",
]

HOST = "api.example.com"
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "a-production-secret-key-that-is-long-enough-1234567890",
    "ALLOWED_HOSTS": HOST,
}
HTTPS = {"X-Forwarded-Proto": "https"}


@pytest.fixture(scope="module")
def projects(tmp_path_factory):
    root = tmp_path_factory.mktemp("deploy")
    return [
        (answers, render(root / str(index), **answers))
        for index, answers in enumerate(DEPLOY_COMBINATIONS)
    ]


def with_file(projects, relative):
    """Return (answers, path) for each project that has this file."""
    return [
        (answers, project / relative)
        for answers, project in projects
        if (project / relative).exists()
    ]


def tool(name):
    path = shutil.which(name)
    assert path, f"{name} is not installed; run the tests with uv run"
    return path


def check(command):
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# Dockerfile


def dockerfile_stages(text):
    """Return each stage's name mapped to its (instruction, arguments) pairs."""
    stages = {}
    for line in re.sub(r"\\\n", " ", text).splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instruction, _, arguments = line.partition(" ")
        if instruction.upper() == "FROM":
            stage = stages.setdefault(arguments.split()[-1], [])
        stage.append((instruction.upper(), arguments.strip()))
    return stages


def arguments_of(stage, instruction):
    return [arguments for name, arguments in stage if name == instruction]


def environment_of(stage):
    """Return the variables the stage's ENV instructions set."""
    return dict(
        pair.split("=", 1)
        for arguments in arguments_of(stage, "ENV")
        for pair in shlex.split(arguments)
    )


def run_command(stage, word):
    """Return the stage's one RUN command containing ``word``, without its flags."""
    commands = [
        re.sub(r"^(--\S+\s+)+", "", arguments)
        for arguments in arguments_of(stage, "RUN")
        if word in arguments
    ]
    assert len(commands) == 1, f"one RUN with {word!r} expected, got {commands}"
    return commands[0]


def healthcheck_command(stage):
    (arguments,) = arguments_of(stage, "HEALTHCHECK")
    return json.loads(arguments.split(" CMD ", 1)[1])


def test_hadolint_passes_on_every_dockerfile(projects):
    paths = [str(path) for _answers, path in with_file(projects, "Dockerfile")]

    assert paths
    check([tool("hadolint"), *paths])


def test_image_runs_gunicorn_unprivileged_with_production_settings(projects):
    (_answers, path), *_ = with_file(projects, "Dockerfile")
    stages = dockerfile_stages(path.read_text())
    runtime = list(stages.values())[-1]
    environment = environment_of(runtime)

    assert arguments_of(stages["build"], "FROM") == ["python:3.13-slim AS build"]
    assert arguments_of(runtime, "FROM") == ["python:3.13-slim AS runtime"]
    assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert environment["PYTHONDONTWRITEBYTECODE"] == "1"
    assert environment["PYTHONUNBUFFERED"] == "1"
    assert arguments_of(runtime, "USER") == ["10001:10001"]
    assert json.loads(arguments_of(runtime, "CMD")[0]) == [
        "gunicorn",
        "-c",
        "config/gunicorn.conf.py",
        "config.wsgi",
    ]
    assert not any(
        name in environment for name in ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"]
    )


def test_dockerignore_keeps_secrets_and_local_state_out(projects):
    for _answers, path in with_file(projects, ".dockerignore"):
        patterns = path.read_text().splitlines()

        for name in [".env", ".git", ".venv", "db.sqlite3", "staticfiles"]:
            assert name in patterns
        assert "**/__pycache__" in patterns


# Continuous integration


def github_workflow(path):
    return yaml.safe_load(path.read_text())


def github_commands(workflow):
    return [
        step["run"]
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if "run" in step
    ]


def gitlab_commands(pipeline):
    return [
        command
        for job in pipeline.values()
        if isinstance(job, dict) and "script" in job
        for command in job["script"]
    ]


def test_github_workflows_validate(projects):
    paths = [
        str(path)
        for _answers, project in projects
        for path in sorted((project / ".github" / "workflows").glob("*.yml"))
    ]

    assert paths
    check(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows"]
        + paths
    )


def test_gitlab_pipelines_validate(projects):
    paths = [str(path) for _answers, path in with_file(projects, ".gitlab-ci.yml")]

    assert paths
    check([tool("check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", *paths])


def test_gitlab_stages_are_the_github_jobs(projects):
    github = {
        answers["use_docker"]: list(github_workflow(path)["jobs"])
        for answers, path in with_file(projects, ".github/workflows/ci.yml")
    }
    for answers, path in with_file(projects, ".gitlab-ci.yml"):
        pipeline = yaml.safe_load(path.read_text())
        jobs = {name: job for name, job in pipeline.items() if "stage" in job}

        assert pipeline["stages"] == github[answers["use_docker"]]
        assert [job["stage"] for job in jobs.values()] == pipeline["stages"]


def test_ci_runs_every_gate_and_builds_the_image_with_docker(projects):
    pipelines = [
        (answers, github_commands(github_workflow(path)))
        for answers, path in with_file(projects, ".github/workflows/ci.yml")
    ] + [
        (answers, gitlab_commands(yaml.safe_load(path.read_text())))
        for answers, path in with_file(projects, ".gitlab-ci.yml")
    ]

    for answers, commands in pipelines:
        for gate in CI_GATES:
            assert any(gate in command for command in commands), (gate, answers)
        builds = any(command.startswith("docker build") for command in commands)
        assert builds is answers["use_docker"]


def test_ci_tests_on_the_chosen_postgresql_and_needs_no_secrets(projects):
    for answers, path in with_file(projects, ".github/workflows/ci.yml"):
        text = path.read_text()
        postgres = github_workflow(path)["jobs"]["test"]["services"]["postgres"]

        assert postgres["image"] == f"postgres:{answers['postgresql_version']}"
        assert "--health-cmd pg_isready" in postgres["options"]
        assert "secrets." not in text
    for answers, path in with_file(projects, ".gitlab-ci.yml"):
        (service,) = yaml.safe_load(path.read_text())["test"]["services"]

        assert service["name"] == f"postgres:{answers['postgresql_version']}"


def test_ci_deploy_check_sets_every_required_variable(projects):
    jobs = [
        github_workflow(path)["jobs"]["deploy-check"]["env"]
        for _answers, path in with_file(projects, ".github/workflows/ci.yml")
    ] + [
        yaml.safe_load(path.read_text())["deploy-check"]["variables"]
        for _answers, path in with_file(projects, ".gitlab-ci.yml")
    ]

    assert all(variables == jobs[0] for variables in jobs)
    for variables in jobs:
        assert variables["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        for name in ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_URL"]:
            assert variables[name]
        assert len(set(variables["SECRET_KEY"])) >= 5
        assert len(variables["SECRET_KEY"]) >= 50


# Compose


def compose_file(project):
    return yaml.safe_load((project / "compose.yaml").read_text())


def test_compose_files_validate(projects):
    paths = [str(path) for _answers, path in with_file(projects, "compose.yaml")]

    assert paths
    check([tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", *paths])


def test_compose_runs_web_worker_and_migrations_after_a_healthy_database(projects):
    for answers, path in with_file(projects, "compose.yaml"):
        services = compose_file(path.parent)["services"]

        assert set(services) == {"web", "worker", "migrate", "db", "mailpit"}
        for name in ["web", "worker"]:
            assert services[name]["depends_on"]["db"] == {
                "condition": "service_healthy"
            }, answers
            assert services[name]["depends_on"]["migrate"] == {
                "condition": "service_completed_successfully"
            }
        assert services["migrate"]["depends_on"] == {
            "db": {"condition": "service_healthy"}
        }
        assert "db_worker" in services["worker"]["command"]
        migrate = " ".join(services["migrate"]["command"])
        assert "manage.py migrate" in migrate
        assert "manage.py createcachetable" in migrate


def test_compose_database_is_the_chosen_postgresql_with_a_health_check(projects):
    for answers, path in with_file(projects, "compose.yaml"):
        compose = compose_file(path.parent)
        db = compose["services"]["db"]
        # From 18 the image keeps its data under /var/lib/postgresql/<version>.
        data = (
            "/var/lib/postgresql"
            if int(answers["postgresql_version"]) >= 18
            else "/var/lib/postgresql/data"
        )

        assert db["image"] == f"postgres:{answers['postgresql_version']}"
        assert "pg_isready" in db["healthcheck"]["test"]
        assert db["volumes"] == [f"postgres-data:{data}"]
        assert "postgres-data" in compose["volumes"]


def test_compose_works_without_an_env_file_and_sends_mail_to_mailpit(projects):
    for _answers, path in with_file(projects, "compose.yaml"):
        services = compose_file(path.parent)["services"]

        for name in ["web", "worker", "migrate"]:
            service = services[name]
            assert service["env_file"] == [{"path": ".env", "required": False}]
            assert service["environment"]["EMAIL_URL"] == "smtp://mailpit:1025"
            assert service["environment"]["SECURE_SSL_REDIRECT"] == "false"
            assert service["environment"]["SECRET_KEY"].startswith("${SECRET_KEY:-")
        for name in ["worker", "migrate"]:
            # They serve no HTTP, so the image's check of /healthz does not apply.
            assert services[name]["healthcheck"] == {"disable": True}
        assert services["mailpit"]["image"].startswith("axllent/mailpit:")
        assert "8025:8025" in services["mailpit"]["ports"]


# Running what the image runs, without Docker


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def docker_context(project, destination):
    """Copy the project as `docker build` sees it, without what .dockerignore names."""
    patterns = [
        line
        for line in (project / ".dockerignore").read_text().splitlines()
        if line and not line.startswith(("#", "!"))
    ]

    def ignored(directory, names):
        relative = Path(directory).relative_to(project)
        return {
            name
            for name in names
            for pattern in patterns
            if fnmatch.fnmatch((relative / name).as_posix(), pattern.removeprefix("./"))
            or (pattern.startswith("**/") and fnmatch.fnmatch(name, pattern[3:]))
        }

    shutil.copytree(project, destination, ignore=ignored)
    return destination


def process_environment(variables, bin_dir=None):
    """Return this process's environment without Django's, updated by ``variables``.

    ``bin_dir``, when given, comes first on the PATH.
    """
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "VIRTUAL_ENV"))
    }
    if bin_dir:
        environment["PATH"] = f"{bin_dir}{os.pathsep}{environment['PATH']}"
    environment.update(variables)
    return environment


def shell(command, cwd, env, timeout=600):
    result = subprocess.run(
        ["sh", "-c", command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


def request(port, method, path, body=None, headers=None):
    """Return the status and body of one request, following no redirect."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(
            method, path, body=body, headers={"Host": HOST, **(headers or {})}
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@contextlib.contextmanager
def serving(command, cwd, env, log):
    """Run the web server until the block ends; yield its port once it answers."""
    port = free_port()
    # The config file binds every interface; the test keeps to loopback, and
    # gunicorn's control socket goes to a home of its own.
    env = {
        **env,
        "PORT": str(port),
        "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{port}",
        "HOME": str(log.parent),
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, log.read_text()
            try:
                request(port, "GET", "/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        yield port
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=40)
    assert process.returncode == 0, log.read_text()


@pytest.mark.slow
def test_image_commands_install_collect_static_and_serve_health_checks(
    tmp_path, postgres_database
):
    project = render(tmp_path / "render")
    stages = dockerfile_stages((project / "Dockerfile").read_text())
    build, runtime = stages["build"], list(stages.values())[-1]
    build_env = environment_of(build)
    image_venv = build_env["UV_PROJECT_ENVIRONMENT"]
    venv = tmp_path / "venv"
    context = docker_context(project, tmp_path / "context")

    def mapped(variables):
        return {
            name: value.replace(image_venv, str(venv)).replace(
                "$PATH", os.environ["PATH"]
            )
            for name, value in variables.items()
        }

    # The build stage: copy what it copies, run its install.
    workdir = tmp_path / "build"
    workdir.mkdir()
    (copy,) = [a for a in arguments_of(build, "COPY") if not a.startswith("--")]
    for pattern in copy.split()[:-1]:
        for source in context.glob(pattern):
            shutil.copy(source, workdir)
    shell(
        run_command(build, "uv sync"), workdir, process_environment(mapped(build_env))
    )
    assert not (venv / "bin" / "pytest").exists(), "dev dependencies were installed"

    # The runtime stage: collect static files with only the image's variables.
    image_env = process_environment(mapped(environment_of(runtime)))
    shell(run_command(runtime, "collectstatic"), context, image_env)
    assert (context / "staticfiles" / "staticfiles.json").is_file()

    # Compose's migrate step, then the image's command.
    env = {**image_env, **PRODUCTION_ENV, "DATABASE_URL": postgres_database}
    migrate = compose_file(project)["services"]["migrate"]["command"]
    shell(shlex.join(migrate), context, env)
    command = json.loads(arguments_of(runtime, "CMD")[0])
    with serving(command, context, env, tmp_path / "gunicorn.log") as port:
        healthz = request(port, "GET", "/healthz")
        readyz = request(port, "GET", "/readyz")
        plain_http = request(port, "GET", "/api/schema/")
        static = request(port, "GET", "/static/admin/css/base.css", headers=HTTPS)
        docker_healthcheck = subprocess.run(
            healthcheck_command(runtime),
            cwd=context,
            env={**env, "PORT": str(port)},
            timeout=30,
        )

    assert healthz == (200, b'{"status": "ok"}')
    assert readyz == (200, b'{"status": "ok"}')
    assert plain_http[0] == 301
    assert static[0] == 200
    assert docker_healthcheck.returncode == 0


@pytest.mark.slow
def test_ci_deploy_check_passes_on_a_fresh_clone(tmp_path, project_python):
    rendered = render(tmp_path / "render")
    job = github_workflow(rendered / ".github" / "workflows" / "ci.yml")["jobs"][
        "deploy-check"
    ]
    (command,) = [
        step["run"] for step in job["steps"] if "check --deploy" in step.get("run", "")
    ]
    # A clone has none of the files git ignores, .env among them.
    clone = tmp_path / "clone"
    shutil.copytree(rendered, clone, ignore=shutil.ignore_patterns(".env"))
    arguments = shlex.split(command)

    run(
        project_python,
        arguments[arguments.index("manage.py") :],
        clone,
        {**job["env"], "PYTHONDONTWRITEBYTECODE": ""},
    )


class Inbox:
    """An SMTP handler that keeps every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=policy.default)
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def inbox():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


def task_statuses(database_url):
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT task_path, status FROM django_tasks_database_dbtaskresult"
        ).fetchall()
    return [(path.rsplit(".", 1)[-1], status) for path, status in rows]


@pytest.mark.slow
def test_worker_delivers_the_mail_a_registration_queued(
    tmp_path, project_python, postgres_database, inbox
):
    handler, smtp_port = inbox
    rendered = render(tmp_path / "render")
    stages = dockerfile_stages((rendered / "Dockerfile").read_text())
    command = json.loads(arguments_of(list(stages.values())[-1], "CMD")[0])
    project = docker_context(rendered, tmp_path / "context")
    env = process_environment(
        {
            **PRODUCTION_ENV,
            "DATABASE_URL": postgres_database,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "FRONTEND_URL": "https://app.example.com",
            # The shared environment is not byte-compiled: let Python cache what
            # it compiles, or every process compiles Django again.
            "PYTHONDONTWRITEBYTECODE": "",
        },
        bin_dir=project_python.parent,
    )
    run(project_python, ["manage.py", "migrate", "--no-input"], project, env)
    run(project_python, ["manage.py", "createcachetable"], project, env)
    password = "a-long-and-unusual-password-1843"
    body = json.dumps(
        {"email": "ada@example.com", "password": password, "password_confirm": password}
    )

    with serving(command, project, env, tmp_path / "gunicorn.log") as port:
        status, answer = request(
            port,
            "POST",
            "/api/v1/accounts/register/",
            body=body,
            headers={"Content-Type": "application/json", **HTTPS},
        )
    queued = task_statuses(postgres_database)
    received_before_the_worker = len(handler.messages)
    run(
        project_python,
        ["manage.py", "db_worker", "--batch", "--no-startup-delay"],
        project,
        env,
    )

    assert status == 201, answer
    assert queued == [("send_verification_link", "READY")]
    assert received_before_the_worker == 0
    assert task_statuses(postgres_database) == [
        ("send_verification_link", "SUCCESSFUL")
    ]
    (message,) = handler.messages
    assert message["To"] == "ada@example.com"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert re.search(
        r"https://app\.example\.com/verify-user/\?user_id=\d+&timestamp=\d+&signature=",
        text,
    ), text
