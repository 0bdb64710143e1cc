"""Settings for the test suite: fast hashing, mail kept in memory."""

from .base import *  # noqa: F403
from .base import MIDDLEWARE, REST_FRAMEWORK, STORAGES, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="django-insecure-test-key")

# Hashing strength is not under test; speed is.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Static files are not collected for the tests, so nothing serves them.
MIDDLEWARE = [name for name in MIDDLEWARE if not name.startswith("whitenoise.")]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

REST_FRAMEWORK = {**REST_FRAMEWORK, "TEST_REQUEST_DEFAULT_FORMAT": "json"}
