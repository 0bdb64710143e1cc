"""Every combination of answers renders into a clean project."""

import importlib.util
import re
import subprocess
import tomllib

import pytest
import yaml

from tests.conftest import ALL_COMBINATIONS, TEMPLATE, combination_id, render

TEXT_SUFFIXES = {".py", ".toml", ".md", ".yml", ".yaml", ".txt", ".html", ".cfg"}
TEXT_NAMES = {"Dockerfile", ".dockerignore", ".gitignore", ".env", ".env.example"}
# Django's own templates use {% %} and {{ }} on purpose.
DJANGO_TEMPLATES = re.compile(r"(^|/)templates/")

# Names that only a flow's own code uses: once the flow is switched off, none
# of them may appear anywhere in the project.
FLOW_NAMES = {
    "register_verification": ["verify_registration", "verified_at", "resend"],
    "reset_password": ["reset_password", "send_reset_link", "ResetPassword"],
    "register_email_verification": ["verify_email", "email_links", "email_in_use"],
}


def load_post_gen_hook():
    spec = importlib.util.spec_from_file_location(
        "post_gen_project", TEMPLATE / "hooks" / "post_gen_project.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def projects(tmp_path_factory):
    root = tmp_path_factory.mktemp("combinations")
    return [
        (answers, render(root / combination_id(answers), **answers))
        for answers in ALL_COMBINATIONS
    ]


def text_files(project):
    for path in sorted(project.rglob("*")):
        if path.is_file() and (path.suffix in TEXT_SUFFIXES or path.name in TEXT_NAMES):
            yield path


def test_every_combination_renders(projects):
    assert len(projects) == len(ALL_COMBINATIONS) == 288
    for _answers, project in projects:
        assert (project / "manage.py").is_file()


def test_no_template_syntax_is_left(projects):
    leftovers = []
    for _answers, project in projects:
        for path in text_files(project):
            relative = path.relative_to(project).as_posix()
            if DJANGO_TEMPLATES.search(relative):
                continue
            text = path.read_text()
            if "{{" in text or "{%" in text or "cookiecutter." in text:
                leftovers.append(path)
    assert leftovers == []


def test_ruff_check_passes_on_every_combination(projects):
    root = projects[0][1].parent.parent
    result = subprocess.run(
        ["ruff", "check", "--no-cache", "--output-format", "concise", str(root)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-5000:]


def test_ruff_format_check_passes_on_every_combination(projects):
    root = projects[0][1].parent.parent
    result = subprocess.run(
        ["ruff", "format", "--no-cache", "--check", str(root)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-5000:]


def test_switched_off_paths_are_absent_and_the_others_present(projects):
    hook = load_post_gen_hook()
    switchable = {path for paths in hook.REMOVALS.values() for path in paths}
    for answers, project in projects:
        removed = set(hook.paths_to_remove(answers))
        for path in switchable:
            assert (project / path).exists() is (path not in removed), (
                f"{path} with {answers}"
            )


def test_switched_off_flows_leave_no_trace_in_the_code(projects):
    for answers, project in projects:
        code = "\n".join(
            path.read_text()
            for path in text_files(project)
            if path.suffix == ".py" or path.suffix == ".md"
        )
        for question, names in FLOW_NAMES.items():
            if answers[question]:
                continue
            present = [name for name in names if name in code]
            assert present == [], f"{present} left with {question}=false"


def test_toml_and_yaml_files_parse(projects):
    for _answers, project in projects:
        for path in project.rglob("*.toml"):
            tomllib.loads(path.read_text())
        for path in [*project.rglob("*.yml"), *project.rglob("*.yaml")]:
            assert yaml.safe_load(path.read_text()) is not None


def test_env_file_has_a_fresh_secret_key(projects):
    keys = set()
    for _answers, project in projects[:5]:
        env = dict(
            line.split("=", 1)
            for line in (project / ".env").read_text().splitlines()
            if "=" in line and not line.startswith("#")
        )
        assert re.fullmatch(r"[A-Za-z0-9]{50,}", env["SECRET_KEY"])
        keys.add(env["SECRET_KEY"])
    assert len(keys) == 5
