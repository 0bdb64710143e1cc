"""Gunicorn settings, each overridable by the environment variable named."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Load the application once, before forking: a worker then starts in
# milliseconds (also when it is recycled) and shares the loaded code's memory.
preload_app = True
# Recycle workers now and then so a slow leak cannot grow without bound; not
# so often that a busy server spends much time with a worker restarting (a
# new worker opens its own database connection), and with jitter so that the
# workers are not all recycled at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = 1000
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
