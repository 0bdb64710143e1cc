"""Reject answers that would generate a broken project, one clear line each."""

import json
import keyword
import re
import sys

ANSWERS_JSON = r"""{{ cookiecutter | jsonify }}"""

# Modules the generated project imports or defines: a slug with one of these
# names would shadow it and break start-up or the tests.
RESERVED_SLUGS = frozenset(
    {
        "accounts",
        "config",
        "django",
        "environ",
        "gunicorn",
        "knox",
        "manage",
        "psycopg",
        "pytest",
        "rest_framework",
        "site",
        "tasks",
        "test",
        "tests",
        "typing",
        "whitenoise",
    }
)
SLUG_PATTERN = re.compile(r"[a-z_][a-z0-9_]*")
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
DOMAIN_PATTERN = re.compile(
    r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*"
    r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?",
    re.IGNORECASE,
)
VERSION_PATTERN = re.compile(r"[1-9][0-9]*")


def problems(answers):
    """Return one message for each answer that cannot generate a project."""
    found = []

    slug = answers["project_slug"]
    if not SLUG_PATTERN.fullmatch(slug) or keyword.iskeyword(slug):
        found.append(
            f"project_slug {slug!r} is not a lower-case Python identifier "
            "(letters, digits and underscores, not starting with a digit)."
        )
    elif slug in RESERVED_SLUGS or slug in sys.stdlib_module_names:
        found.append(
            f"project_slug {slug!r} would shadow the module of the same name; "
            "choose another."
        )

    email = answers["email"]
    if not EMAIL_PATTERN.fullmatch(email):
        found.append(f"email {email!r} is not an email address.")

    domain = answers["domain_name"]
    if not DOMAIN_PATTERN.fullmatch(domain):
        found.append(
            f"domain_name {domain!r} must be a bare host name such as "
            "api.example.com, without a scheme, port or path."
        )

    version = str(answers["postgresql_version"])
    if not VERSION_PATTERN.fullmatch(version):
        found.append(
            f"postgresql_version {version!r} must be a major version number "
            "such as 18."
        )

    return found


def main():
    found = problems(json.loads(ANSWERS_JSON))
    for message in found:
        print(f"ERROR: {message}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
