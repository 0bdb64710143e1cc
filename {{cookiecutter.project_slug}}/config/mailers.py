"""Build Django's MAILERS setting from an EMAIL_URL such as smtp+tls://user:pw@host:587."""

import environ

SMTP_OPTIONS = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
}


def mailer_from_url(url, timeout):
    """Return a MAILERS entry for the backend and options the URL names."""
    config = environ.Env.email_url_config(url)
    backend = config["EMAIL_BACKEND"]
    options = {}
    if backend == "django.core.mail.backends.smtp.EmailBackend":
        options = {
            option: config[name]
            for name, option in SMTP_OPTIONS.items()
            if config.get(name) is not None
        }
        options["timeout"] = timeout
    elif backend == "django.core.mail.backends.filebased.EmailBackend":
        options = {"file_path": config["EMAIL_FILE_PATH"]}
    return {"BACKEND": backend, "OPTIONS": options}
