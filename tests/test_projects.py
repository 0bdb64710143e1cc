"""Generated projects install, migrate, pass their own tests and the deploy check."""

import pytest

from tests.conftest import COVERING_SET, combination_id, render, run

pytestmark = pytest.mark.slow

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "a-production-secret-key-that-is-long-enough-1234567890",
    "ALLOWED_HOSTS": "api.example.com",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
}


@pytest.fixture(params=COVERING_SET, ids=combination_id)
def project(request, tmp_path):
    return render(tmp_path, **request.param)


def test_generated_project_checks_migrates_and_passes_its_tests(
    project, project_python, postgres_database
):
    env = {"DATABASE_URL": postgres_database}

    run(project_python, ["manage.py", "check", "--fail-level", "WARNING"], project, env)
    run(
        project_python,
        ["manage.py", "makemigrations", "--check", "--dry-run"],
        project,
        env,
    )
    run(project_python, ["manage.py", "migrate", "--no-input"], project, env)
    result = run(
        project_python,
        ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-x"],
        project,
        env,
    )
    print(result.stdout.splitlines()[-1])
    run(
        project_python,
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        project,
        {**env, **PRODUCTION_ENV},
    )


def test_generated_tests_pass_on_sqlite(project, project_python):
    result = run(
        project_python, ["-m", "pytest", "-q", "-p", "no:cacheprovider"], project
    )

    assert " passed" in result.stdout.splitlines()[-1]
