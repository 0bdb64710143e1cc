"""Settings for production: every secret comes from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, REST_FRAMEWORK, env

REQUIRED_VARIABLES = ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"]
missing = [name for name in REQUIRED_VARIABLES if not env.str(name, default="")]
if missing:
    raise ImproperlyConfigured(
        f"Set the environment variable(s) {', '.join(missing)} to run in production."
    )

if env.db("DATABASE_URL")["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must name a PostgreSQL database.")

# Core

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Database: keep connections open between requests, and check a reused one
# before the request uses it, so a database restart costs no failed request.
# The check is one round trip per request; CONN_HEALTH_CHECKS=false saves it.

DATABASES["default"] = env.db("DATABASE_URL")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool(
    "CONN_HEALTH_CHECKS", default=True
)

# Cache: shared by every process; the database by default, Redis when given.

CACHES = {"default": env.cache("CACHE_URL", default="dbcache://django_cache")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    # The same table, written with one statement instead of four (config.cache).
    CACHES["default"]["BACKEND"] = "config.cache.DatabaseCache"

# Security

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# Mail is sent by the worker process (manage.py db_worker), not by requests.

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# An API serves JSON only.

REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] = ["rest_framework.renderers.JSONRenderer"]
