"""Settings shared by every environment; each value can come from the environment."""

{% if cookiecutter.auth != "session" or cookiecutter.register_verification or cookiecutter.reset_password or cookiecutter.register_email_verification -%}
from datetime import timedelta
{% endif -%}
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from config.mailers import mailer_from_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

# Core

SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-only-key")
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
{%- if cookiecutter.auth != "session" %}
    "knox",
{%- endif %}
    "drf_spectacular",
    "django_tasks_db",
    "accounts",
]

MIDDLEWARE = [
    "config.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
# API paths end in "/"; a path without it is a 404, never a redirect that
# would drop a POST body.
APPEND_SLASH = False
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: throttle counters live here, so every process must share it.

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# Django's database sessions, less a query at each login (config.sessions).
SESSION_ENGINE = "config.sessions"

# Users and passwords

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.LoginBackend"]
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
]
{%- if cookiecutter.username_type == "email" %}
# The email is the USERNAME_FIELD and is unique through a case-insensitive
# constraint (accounts.User.Meta), which this check does not recognise.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
{%- endif %}

# Internationalisation

LANGUAGE_CODE = "en-us"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# LocaleMiddleware picks each request's language from its Accept-Language
# header; with one language there is nothing to pick, and it would cost every
# request a few percent of its time, so it is added once there are more.
if len(LANGUAGES) > 1:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
        "django.middleware.locale.LocaleMiddleware",
    )
TIME_ZONE = env("TIME_ZONE", default="{{ cookiecutter.timezone }}")
USE_I18N = True
USE_TZ = True

# Static files

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Request limits: bodies above this size are refused with 413.

DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=65536)

# Email

MAILERS = {
    "default": mailer_from_url(
        env("EMAIL_URL", default="consolemail://"),
        timeout=env.int("EMAIL_TIMEOUT", default=10),
    ),
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="{{ cookiecutter.email }}")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Background tasks: mail leaves the request through these.

TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# Django REST framework

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
{%- if cookiecutter.auth != "session" %}
        "accounts.authentication.TokenAuthentication",
{%- endif %}
{%- if cookiecutter.auth != "token" %}
        "rest_framework.authentication.SessionAuthentication",
{%- endif %}
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # With no trusted proxy X-Forwarded-For is ignored, so forging it gains nothing.
    "NUM_PROXIES": env.int("TRUSTED_PROXY_COUNT", default=0),
    "DEFAULT_THROTTLE_CLASSES": ["accounts.throttling.ScopedThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "register": env("THROTTLE_REGISTER", default="20/hour"),
        "login": env("THROTTLE_LOGIN", default="30/min"),
        "login_account": env("THROTTLE_LOGIN_ACCOUNT", default="10/min"),
        "send_mail": env("THROTTLE_SEND_MAIL", default="10/hour"),
        "send_mail_account": env("THROTTLE_SEND_MAIL_ACCOUNT", default="5/hour"),
        "link": env("THROTTLE_LINK", default="30/min"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": {{ cookiecutter.project_name | tojson }},
    "DESCRIPTION": {{ cookiecutter.description | tojson }},
    "VERSION": "{{ cookiecutter.version }}",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}
{%- if cookiecutter.auth != "session" %}

REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.int("TOKEN_TTL_HOURS", default=10)),
    "AUTH_HEADER_PREFIX": "Token",
}
{%- endif %}

# Accounts: links in emails point at the frontend, never at the request's host.

ACCOUNTS_SITE_NAME = env("SITE_NAME", default={{ cookiecutter.project_name | tojson }})
FRONTEND_URL = env("FRONTEND_URL", default="http://localhost:3000").rstrip("/")
{%- if cookiecutter.register_verification %}
ACCOUNTS_VERIFY_REGISTRATION_URL = env(
    "VERIFY_REGISTRATION_URL", default=f"{FRONTEND_URL}/verify-user/"
)
ACCOUNTS_VERIFY_REGISTRATION_PERIOD = timedelta(
    days=env.int("VERIFY_REGISTRATION_DAYS", default=7)
)
{%- endif %}
{%- if cookiecutter.reset_password %}
ACCOUNTS_RESET_PASSWORD_URL = env(
    "RESET_PASSWORD_URL", default=f"{FRONTEND_URL}/reset-password/"
)
ACCOUNTS_RESET_PASSWORD_PERIOD = timedelta(
    days=env.int("RESET_PASSWORD_DAYS", default=1)
)
{%- endif %}
{%- if cookiecutter.register_email_verification %}
ACCOUNTS_VERIFY_EMAIL_URL = env(
    "VERIFY_EMAIL_URL", default=f"{FRONTEND_URL}/verify-email/"
)
ACCOUNTS_VERIFY_EMAIL_PERIOD = timedelta(days=env.int("VERIFY_EMAIL_DAYS", default=7))
{%- endif %}

# Logging: everything to standard output, for the container's log collector.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
