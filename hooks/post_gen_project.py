"""Remove what the answers switched off, write .env and print the next steps."""

import json
import secrets
import shutil
import string
import sys
from pathlib import Path

ANSWERS_JSON = r"""{{ cookiecutter | jsonify }}"""

# Each (question, answer) pair removes these paths when the answer was given.
REMOVALS = {
    ("register_verification", False): [
        "accounts/api/verify_registration.py",
        "accounts/templates/accounts/email/verify_registration_subject.txt",
        "accounts/templates/accounts/email/verify_registration.txt",
        "accounts/templates/accounts/email/verify_registration.html",
        "accounts/tests/test_verify_registration.py",
        "accounts/tests/test_resend_verification.py",
    ],
    ("reset_password", False): [
        "accounts/api/reset_password.py",
        "accounts/templates/accounts/email/reset_password_subject.txt",
        "accounts/templates/accounts/email/reset_password.txt",
        "accounts/templates/accounts/email/reset_password.html",
        "accounts/tests/test_reset_password.py",
    ],
    ("register_email_verification", False): [
        "accounts/templates/accounts/email/verify_email_subject.txt",
        "accounts/templates/accounts/email/verify_email.txt",
        "accounts/templates/accounts/email/verify_email.html",
        "accounts/templates/accounts/email/email_in_use_subject.txt",
        "accounts/templates/accounts/email/email_in_use.txt",
        "accounts/templates/accounts/email/email_in_use.html",
        "accounts/tests/test_verify_email.py",
    ],
    ("auth", "session"): [
        "accounts/authentication.py",
        "accounts/tests/test_token_authentication.py",
    ],
    ("use_docker", False): [
        "Dockerfile",
        "compose.yaml",
        ".dockerignore",
    ],
    ("ci", "github"): [".gitlab-ci.yml"],
    ("ci", "gitlab"): [".github"],
    ("ci", "none"): [".github", ".gitlab-ci.yml"],
}

SECRET_KEY_ALPHABET = string.ascii_letters + string.digits
SECRET_KEY_LENGTH = 64


def paths_to_remove(answers):
    """Return the paths the answers switched off, in table order."""
    return [
        path
        for (question, answer), paths in REMOVALS.items()
        if answers[question] == answer
        for path in paths
    ]


def remove_paths(root, paths):
    for relative in paths:
        path = root / relative
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def make_secret_key():
    """Return a random key of letters and digits, safe in any .env parser."""
    return "".join(
        secrets.choice(SECRET_KEY_ALPHABET) for _ in range(SECRET_KEY_LENGTH)
    )


def write_env(root):
    """Write .env from .env.example with a fresh SECRET_KEY."""
    lines = (root / ".env.example").read_text().splitlines()
    key_line = f"SECRET_KEY={make_secret_key()}"
    lines = [key_line if line.startswith("SECRET_KEY=") else line for line in lines]
    (root / ".env").write_text("\n".join(lines) + "\n")


def next_steps(root):
    return "\n".join(
        [
            f"Created {root}. Next steps:",
            f"  cd {root}",
            "  uv run manage.py migrate",
            "  uv run manage.py runserver",
            "  uv run pytest",
        ]
    )


def main():
    answers = json.loads(ANSWERS_JSON)
    root = Path.cwd()
    remove_paths(root, paths_to_remove(answers))
    write_env(root)
    print(next_steps(root))
    return 0


if __name__ == "__main__":
    sys.exit(main())
