"""Benchmark the generated project against django-rest-registration, side by side.

    uv run python bench/run.py --seconds 20

Renders the default project from this template and installs it with uv; writes
and installs an equivalent project on django-rest-registration (the baseline);
serves each with gunicorn on loopback against the same PostgreSQL, with a local
SMTP sink for mail; drives both with wrk (bench/load.lua builds the requests);
prints one table. Every process it starts is stopped and every database it
creates is dropped, also on errors and Ctrl-C. Needs uv, wrk, PostgreSQL at
--database-url (a role that may create databases) and the template's dev
dependencies (aiosmtpd, cookiecutter, psycopg, psutil), which `uv run` installs.
"""

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psutil
import psycopg
from aiosmtpd.controller import Controller
from cookiecutter.main import cookiecutter

TEMPLATE = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
PREFIX = "/api/v1/accounts/"
PASSWORD = "Bench-marking 4 fun!"
SCENARIOS = {
    "profile": "profile/ GET (token)",
    "login": "login/ POST",
    "register": "register/ POST",
    "reset": "send-reset-password-link/ POST",
}
# Throttling stays on in the generated project, with limits no run reaches.
# Per second: the REST framework's throttles keep each request's time within
# the window, so a per-minute limit this high would make every counter a list
# of some ten thousand entries, read and written on each request; a real limit
# (e.g. 30/min) keeps at most its own count.
HIGH_RATE = "1000000/s"
THROTTLE_VARIABLES = [
    "THROTTLE_REGISTER",
    "THROTTLE_LOGIN",
    "THROTTLE_LOGIN_ACCOUNT",
    "THROTTLE_SEND_MAIL",
    "THROTTLE_SEND_MAIL_ACCOUNT",
    "THROTTLE_LINK",
    "THROTTLE_USER",
]


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def clean_environment(**extra):
    """Return this process's environment without the caller's venv and Django."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "VIRTUAL_ENV", "UV_PROJECT"))
    }
    environment.update(extra)
    return environment


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def uv():
    found = shutil.which("uv")
    if not found:
        sys.exit("uv is required: https://docs.astral.sh/uv/")
    return found


def python_request():
    return os.environ.get("UV_PYTHON") or "3.13"


def check(args, **kwargs):
    kwargs.setdefault("timeout", 900)
    return subprocess.run(args, check=True, **kwargs)


# Mail sink ---------------------------------------------------------------


class CountingSink:
    """An SMTP server on loopback that accepts every message and counts it.

    With a delay it answers each message that much later, as a distant relay
    would; by default it answers at once.
    """

    def __init__(self, delay=0.0):
        self.messages = 0
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.delay:
            await asyncio.sleep(self.delay)
        self.messages += 1
        return "250 OK"


# Projects -----------------------------------------------------------------


class Project:
    """One served project: how to install, set up, run and measure it."""

    name = ""
    login = ""

    def __init__(self, folder, database, smtp_port):
        self.folder = folder
        self.database = database
        self.smtp_port = smtp_port
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.python = folder / ".venv" / "bin" / "python"

    def environment(self):
        raise NotImplementedError

    def manage(self, *args, **kwargs):
        return check(
            [str(self.python), "manage.py", *args],
            cwd=self.folder,
            env=self.environment(),
            capture_output=True,
            text=True,
            **kwargs,
        )

    def run_python(self, code):
        """Run code in the project's environment with Django set up; return stdout."""
        script = "import django\ndjango.setup()\n" + code
        return self.manage("shell", "--no-imports", "-c", script).stdout

    def background_processes(self, log_file):
        return []


class Ours(Project):
    name = "ours"
    wsgi = "config.wsgi"
    login = "bench@example.com"
    extra_env = {}

    def environment(self):
        return clean_environment(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            SECRET_KEY=self.secret_key,
            DATABASE_URL=self.database,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="false",
            EMAIL_URL=f"smtp://127.0.0.1:{self.smtp_port}",
            **dict.fromkeys(THROTTLE_VARIABLES, HIGH_RATE),
            **self.extra_env,
        )

    def install(self):
        self.secret_key = secrets.token_urlsafe(50)
        # A developer's .env is not part of a production deployment.
        (self.folder / ".env").unlink(missing_ok=True)
        check(
            [
                uv(),
                "sync",
                "--quiet",
                "--no-dev",
                "--compile-bytecode",
                "--python",
                python_request(),
            ],
            cwd=self.folder,
            env=clean_environment(),
        )

    def set_up(self):
        self.manage("migrate", "--no-input")
        self.manage("createcachetable")
        self.manage("collectstatic", "--no-input")
        self.run_python(
            "from django.utils import timezone\n"
            "from accounts.models import User\n"
            f"User.objects.create_user({self.login!r}, {PASSWORD!r},"
            " is_active=True, verified_at=timezone.now())\n"
        )

    def background_processes(self, log_file):
        # Mail leaves the request through tasks; this worker sends it.
        return [
            subprocess.Popen(
                [str(self.python), "manage.py", "db_worker", "--no-reload"],
                cwd=self.folder,
                env=self.environment(),
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        ]

    def pending_tasks(self):
        with psycopg.connect(self.database) as connection:
            return connection.execute(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult"
                " WHERE status IN ('READY', 'RUNNING')"
            ).fetchone()[0]


BASELINE_SETTINGS = '''\
"""The baseline: Django's startproject settings plus django-rest-registration.

Written by the template's bench/run.py. Token (DRF authtoken) and session
authentication, registration verification on, Django's default password
hashers and validators, mail over SMTP, persistent connections.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_registration",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "baseline.urls"
WSGI_APPLICATION = "baseline.wsgi.application"

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

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ["BENCH_DB_NAME"],
        "USER": os.environ["BENCH_DB_USER"],
        "HOST": os.environ["BENCH_DB_HOST"],
        "PORT": os.environ["BENCH_DB_PORT"],
        "CONN_MAX_AGE": 60,
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "127.0.0.1",
            "port": int(os.environ["BENCH_SMTP_PORT"]),
            "timeout": 10,
        },
    }
}
DEFAULT_FROM_EMAIL = "no-reply@example.com"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

REST_REGISTRATION = {
    "REGISTER_VERIFICATION_ENABLED": True,
    "REGISTER_VERIFICATION_URL": "http://localhost:3000/verify-user/",
    "RESET_PASSWORD_VERIFICATION_ENABLED": True,
    "RESET_PASSWORD_VERIFICATION_URL": "http://localhost:3000/reset-password/",
    "REGISTER_EMAIL_VERIFICATION_ENABLED": True,
    "REGISTER_EMAIL_VERIFICATION_URL": "http://localhost:3000/verify-email/",
    "VERIFICATION_FROM_EMAIL": "no-reply@example.com",
}
'''

BASELINE_URLS = """\
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/accounts/", include("rest_registration.api.urls")),
]
"""

BASELINE_WSGI = """\
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baseline.settings")
application = get_wsgi_application()
"""

BASELINE_MANAGE = """\
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baseline.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""


class Baseline(Project):
    name = "baseline"
    wsgi = "baseline.wsgi"
    login = "bench"

    def environment(self):
        info = psycopg.conninfo.conninfo_to_dict(self.database)
        return clean_environment(
            DJANGO_SETTINGS_MODULE="baseline.settings",
            SECRET_KEY=self.secret_key,
            BENCH_DB_NAME=info["dbname"],
            BENCH_DB_USER=info.get("user", "postgres"),
            BENCH_DB_HOST=info.get("host", "127.0.0.1"),
            BENCH_DB_PORT=str(info.get("port", 5432)),
            BENCH_SMTP_PORT=str(self.smtp_port),
        )

    def install(self, pins):
        self.secret_key = secrets.token_urlsafe(50)
        write_package(
            self.folder / "baseline", BASELINE_SETTINGS, BASELINE_URLS, BASELINE_WSGI
        )
        (self.folder / "manage.py").write_text(BASELINE_MANAGE)
        env = clean_environment()
        check(
            [uv(), "venv", "--quiet", "--python", python_request(), ".venv"],
            cwd=self.folder,
            env=env,
        )
        check(
            [
                uv(),
                "pip",
                "install",
                "--quiet",
                "--compile-bytecode",
                "--python",
                str(self.python),
                "django-rest-registration",
                *pins,
            ],
            cwd=self.folder,
            env=env,
        )

    def set_up(self):
        self.manage("migrate", "--no-input")
        self.run_python(
            "from django.contrib.auth.models import User\n"
            f"User.objects.create_user({self.login!r}, 'bench@example.com',"
            f" {PASSWORD!r})\n"
        )


FLOOR_SETTINGS = '''\
"""The floor: one REST framework view, with no database and no middleware.

Written by the template's bench/run.py, to show what gunicorn, Django and the
REST framework cost on their own on this machine, served the same way.
"""

import os

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["rest_framework"]
MIDDLEWARE = []
ROOT_URLCONF = "floor.urls"
DATABASES = {}
USE_TZ = True
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": None,
}
'''

FLOOR_URLS = """\
from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView


class Profile(APIView):
    def get(self, request):
        return Response({"pk": 1, "email": "bench@example.com"})


urlpatterns = [path("api/v1/accounts/profile/", Profile.as_view())]
"""

FLOOR_WSGI = BASELINE_WSGI.replace("baseline.settings", "floor.settings")


class Floor(Project):
    """A bare REST framework view, served from the baseline's environment."""

    name = "floor"
    wsgi = "floor.wsgi"

    def __init__(self, folder, baseline):
        super().__init__(folder, None, None)
        self.python = baseline.python
        self.secret_key = secrets.token_urlsafe(50)

    def environment(self):
        return clean_environment(
            DJANGO_SETTINGS_MODULE="floor.settings", SECRET_KEY=self.secret_key
        )

    def install(self):
        write_package(self.folder / "floor", FLOOR_SETTINGS, FLOOR_URLS, FLOOR_WSGI)


def write_package(package, settings, urls, wsgi):
    """Write a Django project package: its settings, URLconf and WSGI module."""
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "settings.py").write_text(settings)
    (package / "urls.py").write_text(urls)
    (package / "wsgi.py").write_text(wsgi)


def installed_versions(python, names):
    """Return pins (name==version) of these packages in that environment."""
    code = (
        "import importlib.metadata as m, json, sys;"
        "print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))"
    )
    result = check([str(python), "-c", code, *names], capture_output=True, text=True)
    return json.loads(result.stdout)


# Measurements ---------------------------------------------------------------

HASHER_TIMING = """
import json, statistics, time
from django.contrib.auth.hashers import check_password, get_hasher, make_password

password = {password!r}
encoded = make_password(password)
make, verify = [], []
# CPU time, which other load on the machine changes less than elapsed time.
for _ in range({rounds}):
    start = time.process_time()
    make_password(password)
    make.append(time.process_time() - start)
    start = time.process_time()
    check_password(password, encoded)
    verify.append(time.process_time() - start)
print(json.dumps({{
    "algorithm": get_hasher().algorithm,
    "make": statistics.median(make) * 1000,
    "check": statistics.median(verify) * 1000,
}}))
"""


def time_hasher(project, rounds):
    output = project.run_python(HASHER_TIMING.format(password=PASSWORD, rounds=rounds))
    return json.loads(output.strip().splitlines()[-1])


QUERY_COUNTING_HOOKS = """
# Added by bench/run.py: record what each request sends to the database, the
# CPU time it takes, and the part of that spent in password hashers.
import json as _json
import time as _time

_seen = {{}}
_state = {{"instrumented": False, "depth": 0, "start": 0.0}}


def _record_sql(execute, sql, params, many, context):
    _seen["statements"].append(sql)
    return execute(sql, params, many, context)


def _timed(method):
    def timed(*args, **kwargs):
        if _state["depth"]:
            return method(*args, **kwargs)
        _state["depth"] += 1
        start = _time.process_time()
        try:
            return method(*args, **kwargs)
        finally:
            _seen["hash_cpu_ms"] += (_time.process_time() - start) * 1000
            _state["depth"] -= 1

    return timed


def _instrument():
    from django.conf import settings
    from django.db import connection
    from django.utils.module_loading import import_string

    connection.execute_wrappers.append(_record_sql)
    is_usable = connection.is_usable

    def counted_is_usable():
        _seen["health_checks"] += 1
        return is_usable()

    connection.is_usable = counted_is_usable
    for path in settings.PASSWORD_HASHERS:
        hasher = import_string(path)
        for name in ("encode", "verify"):
            setattr(hasher, name, _timed(getattr(hasher, name)))


def pre_request(worker, req):
    if not _state["instrumented"]:
        _instrument()
        _state["instrumented"] = True
    _seen.update(statements=[], health_checks=0, hash_cpu_ms=0.0)
    _state["start"] = _time.process_time()


def post_request(worker, req, environ, resp):
    cpu_ms = (_time.process_time() - _state["start"]) * 1000
    record = {{"path": req.path, "status": resp.status_code, "cpu_ms": cpu_ms,
               "sql": len(_seen["statements"]), **_seen}}
    with open({output!r}, "a") as out:
        out.write(_json.dumps(record) + "\\n")
"""


class Server:
    """gunicorn (and the project's background processes), started and stopped."""

    def __init__(self, project, config, workers, log_path):
        self.project = project
        self.config = config
        self.workers = workers
        self.log_path = log_path
        self.processes = []
        self.peak_rss = {}
        self.cpu = {}
        self.backends = {}
        self._lock = threading.Lock()
        self._sampling = False

    def __enter__(self):
        self.log_file = open(self.log_path, "a")  # noqa: SIM115
        gunicorn = self.project.python.parent / "gunicorn"
        # gunicorn's control socket goes in $XDG_RUNTIME_DIR, else one path
        # in the home folder that every gunicorn of the user would share.
        runtime = self.log_path.with_suffix(".run")
        runtime.mkdir(mode=0o700, exist_ok=True)
        self.master = subprocess.Popen(
            [
                str(gunicorn),
                "--config",
                str(self.config),
                "--bind",
                f"127.0.0.1:{self.project.port}",
                "--workers",
                str(self.workers),
                f"{self.project.wsgi}:application",
            ],
            cwd=self.project.folder,
            env={**self.project.environment(), "XDG_RUNTIME_DIR": str(runtime)},
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(self.master)
        try:
            self.processes.extend(self.project.background_processes(self.log_file))
            self.wait_until_serving()
        except BaseException:
            self.__exit__()
            raise
        self._database = (
            psycopg.connect(self.project.database, autocommit=True)
            if self.project.database
            else None
        )
        self._sampling = True
        self._sampler = threading.Thread(target=self.keep_sampling, daemon=True)
        self._sampler.start()
        return self

    def __exit__(self, *exc):
        if self._sampling:
            self._sampling = False
            self._sampler.join()
            if self._database is not None:
                self._database.close()
        for process in self.processes:
            stop(process)
        self.log_file.close()

    @contextlib.contextmanager
    def background_paused(self, pause=True):
        """Stop the background processes (the mail worker) for the block."""
        groups = [process.pid for process in self.processes[1:]] if pause else []
        for group in groups:
            os.killpg(group, signal.SIGSTOP)
        try:
            yield
        finally:
            for group in groups:
                os.killpg(group, signal.SIGCONT)

    def wait_until_serving(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.master.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                url = self.project.url + PREFIX + "profile/"
                urllib.request.urlopen(url, timeout=5)
                return
            except urllib.error.HTTPError:
                return  # 401 or 403: serving
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer in {timeout} s")

    def keep_sampling(self):
        while self._sampling:
            self.sample()
            time.sleep(0.25)

    def sample(self):
        """Record each worker's peak RSS, and the CPU time used so far by the
        server's processes and by the PostgreSQL backends of its database."""
        with self._lock:
            try:
                children = psutil.Process(self.master.pid).children()
            except psutil.Error:
                children = []
            # A worker that has exited and been reaped counts in its parent's
            # children's time, so only the live ones are read one by one.
            gunicorn = 0.0
            for child in children:
                with contextlib.suppress(OSError, ValueError):
                    status = Path(f"/proc/{child.pid}/status").read_text()
                    for line in status.splitlines():
                        if line.startswith("VmHWM:"):
                            kib = int(line.split()[1])
                            self.peak_rss[child.pid] = max(
                                kib, self.peak_rss.get(child.pid, 0)
                            )
                    gunicorn += cpu_seconds(child.pid)
            with contextlib.suppress(OSError, ValueError):
                gunicorn += cpu_seconds(self.master.pid, children=True)
            self.cpu["gunicorn"] = gunicorn
            background = 0.0
            for process in self.processes[1:]:
                with contextlib.suppress(OSError, ValueError):
                    background += cpu_seconds(process.pid, children=True)
            self.cpu["background"] = max(background, self.cpu.get("background", 0))
            # A backend that has ended keeps the time last read.
            with contextlib.suppress(psycopg.Error, AttributeError):
                backends = self._database.execute(
                    "SELECT pid FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).fetchall()
                for (pid,) in backends:
                    with contextlib.suppress(OSError, ValueError):
                        self.backends[pid] = cpu_seconds(pid)
            self.cpu["postgresql"] = sum(self.backends.values())

    def cpu_snapshot(self):
        """Return the CPU seconds used so far by gunicorn, by the background
        processes and by PostgreSQL for this project."""
        self.sample()
        with self._lock:
            return dict(self.cpu)


def cpu_seconds(pid, children=False):
    """Return the CPU time of a process (and of its waited-for children)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def stop(process, timeout=15):
    """Stop a process we started (and its process group), politely then not."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


def post_json(url, body, headers=None):
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def sign_in(project):
    """Log in through the API; return the token."""
    return post_json(
        project.url + PREFIX + "login/",
        {"login": project.login, "password": PASSWORD},
    )["token"]


def one_request(project, scenario, token):
    """Send one request of this scenario, outside any timed run."""
    if scenario == "profile":
        request = urllib.request.Request(
            project.url + PREFIX + "profile/",
            headers={"Authorization": f"Token {token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
        return
    if scenario == "login":
        post_json(
            project.url + PREFIX + "login/",
            {"login": project.login, "password": PASSWORD},
        )
    elif scenario == "register":
        unique = uuid.uuid4().hex
        body = {
            "email": f"count-{unique}@example.com",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        }
        if project.name == "baseline":
            body["username"] = f"count-{unique}"
        post_json(project.url + PREFIX + "register/", body)
    elif scenario == "reset":
        post_json(
            project.url + PREFIX + "send-reset-password-link/",
            {"login": project.login},
        )


def count_queries(project, scenarios, workdir, base_config):
    """Return per-scenario database work of one request, from a counting server."""
    output = workdir / f"{project.name}-queries.jsonl"
    config = workdir / f"{project.name}-gunicorn-counting.py"
    config.write_text(
        base_config.read_text() + QUERY_COUNTING_HOOKS.format(output=str(output))
    )
    counts = {}
    with Server(project, config, 1, workdir / f"{project.name}-counting.log"):
        token = sign_in(project)
        for scenario in scenarios:
            # The first request warms the worker (and its connection); of the
            # others, the last one's queries and the median CPU times count.
            start = count_lines(output)
            for _ in range(5):
                seen = count_lines(output)
                one_request(project, scenario, token)
                # The hook writes once the response is sent: wait for it.
                deadline = time.monotonic() + 10
                while count_lines(output) <= seen and time.monotonic() < deadline:
                    time.sleep(0.05)
            records = [
                json.loads(line)
                for line in output.read_text().splitlines()[start + 1 :]
            ]
            counts[scenario] = {
                **records[-1],
                "cpu_ms": statistics.median(r["cpu_ms"] for r in records),
                "framework_cpu_ms": statistics.median(
                    r["cpu_ms"] - r["hash_cpu_ms"] for r in records
                ),
            }
    return counts


def count_lines(path):
    return len(path.read_text().splitlines()) if path.exists() else 0


def run_wrk(args, project, scenario, token, seconds, output):
    """Drive one endpoint with wrk for this many seconds; return its figures."""
    environment = clean_environment(
        BENCH_SCENARIO=scenario,
        BENCH_FLAVOUR=project.name,
        BENCH_LOGIN=project.login,
        BENCH_PASSWORD=PASSWORD,
        BENCH_TOKEN=token,
        BENCH_OUTPUT=str(output),
        BENCH_RUN_ID=uuid.uuid4().hex[:12],
    )
    check(
        [
            args.wrk,
            "--threads",
            "1",
            "--connections",
            str(args.connections),
            "--duration",
            f"{seconds:g}s",
            "--timeout",
            "30s",
            "--script",
            str(BENCH / "load.lua"),
            project.url,
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        timeout=seconds + 60,
    )
    return json.loads(output.read_text())


def warm_up(project, server, scenario, token, args, workdir):
    """Run an endpoint unmeasured, then let the mail worker send what it queued."""
    output = workdir / f"{project.name}-{scenario}-warm-up.json"
    with server.background_paused(not args.worker_alongside):
        run_wrk(args, project, scenario, token, args.warmup, output)
    wait_for_tasks(project)
    # Fresh tables have no planner statistics yet; a running deployment's
    # autovacuum gathers them within a minute of such writes. Without them
    # PostgreSQL sorts the whole mail queue each time the worker takes a task.
    analyze(project)


def measure(project, server, scenario, token, args, workdir, round_number):
    """Drive one endpoint for one round; return wrk's figures and the CPU used.

    Unless --worker-alongside is given, the mail worker is paused during the
    run, as if it ran on other cores (in a deployment it is a service of its
    own), and resumed after it to send what it queued: the CPU time it spends
    on that mail counts all the same.
    """
    output = workdir / f"{project.name}-{scenario}-{round_number}.json"
    before = server.cpu_snapshot()
    with server.background_paused(not args.worker_alongside):
        data = run_wrk(args, project, scenario, token, args.seconds, output)
    wait_for_tasks(project)
    after = server.cpu_snapshot()
    data["cpu_seconds"] = {part: after[part] - before[part] for part in after}
    return data


def combine(rounds, project, scenario):
    """Return one endpoint's figures from its rounds.

    Throughput and CPU per request are totals over all rounds; the latency
    percentiles are the medians of the rounds' own percentiles.
    """
    succeeded, failures = 0, {}
    for data in rounds:
        for status, count in data["statuses"].items():
            if int(status) < 300:
                succeeded += count
            else:
                key = f"status {status}"
                failures[key] = failures.get(key, 0) + count
        for kind, count in data["errors"].items():
            if count:
                failures[f"{kind} errors"] = failures.get(f"{kind} errors", 0) + count
    if not succeeded:
        # A hash slower than the run (PBKDF2 on a slow machine, a short
        # --seconds): no figures, and the report says why.
        log(f"{project.name} {scenario}: no request finished; raise --seconds")
        failures["no request finished in the run"] = 1
        return {
            "rps": 0.0,
            "rps_rounds": [0.0 for _ in rounds],
            "p50": None,
            "p99": None,
            "requests": 0,
            "failures": failures,
            "cpu_ms_parts": {},
            "cpu_ms": None,
        }
    seconds = sum(data["duration_us"] for data in rounds) / 1e6
    cpu_ms_parts = {
        part: sum(data["cpu_seconds"][part] for data in rounds) * 1000 / succeeded
        for part in rounds[0]["cpu_seconds"]
    }
    return {
        "rps": succeeded / seconds,
        "rps_rounds": [
            sum(c for st, c in data["statuses"].items() if int(st) < 300)
            / (data["duration_us"] / 1e6)
            for data in rounds
        ],
        "p50": statistics.median(data["p50_us"] for data in rounds) / 1000,
        "p99": statistics.median(data["p99_us"] for data in rounds) / 1000,
        "requests": succeeded,
        "failures": failures,
        "cpu_ms_parts": cpu_ms_parts,
        "cpu_ms": sum(cpu_ms_parts.values()),
    }


def analyze(project):
    if not project.database:
        return
    with psycopg.connect(project.database, autocommit=True) as connection:
        connection.execute("ANALYZE")


def wait_for_tasks(project, timeout=300):
    """Let the mail worker catch up, so its backlog does not load the next run."""
    if not isinstance(project, Ours):
        return
    deadline = time.monotonic() + timeout
    while project.pending_tasks() and time.monotonic() < deadline:
        time.sleep(1)


def benchmark(projects, floor, args, workdir, gunicorn_config):
    """Measure both projects: hasher, query counts, then each endpoint under load.

    The endpoints are driven in turn, each in rounds that alternate between the
    projects, so that a change in the machine's load favours neither. The floor
    (a bare view) is driven with them for profile/ GET.
    """
    results = {}
    for project in projects:
        results[project.name] = {
            "hasher": time_hasher(project, args.hash_rounds),
            "queries": count_queries(project, args.scenarios, workdir, gunicorn_config),
        }
        log(f"{project.name}: hasher {results[project.name]['hasher']}")
        if args.show_sql:
            for scenario, seen in results[project.name]["queries"].items():
                log(f"{project.name} {scenario}: {seen['health_checks']} health check")
                for statement in seen["statements"]:
                    log(f"    {statement[:160]}")
    if args.queries_only:
        return results
    with contextlib.ExitStack() as stack:
        servers = {
            project.name: stack.enter_context(
                Server(
                    project,
                    gunicorn_config,
                    args.workers,
                    workdir / f"{project.name}.log",
                )
            )
            for project in projects
        }
        tokens = {project.name: sign_in(project) for project in projects}
        if "profile" in args.scenarios:
            servers[floor.name] = stack.enter_context(
                Server(floor, gunicorn_config, args.workers, workdir / "floor.log")
            )
            tokens[floor.name] = ""
            results[floor.name] = {}
        for scenario in args.scenarios:
            driven = [*projects, floor] if scenario == "profile" else list(projects)
            for project in driven:
                warm_up(
                    project,
                    servers[project.name],
                    scenario,
                    tokens[project.name],
                    args,
                    workdir,
                )
            rounds = {project.name: [] for project in driven}
            for round_number in range(args.rounds):
                # Alternate which project goes first, so that a drift in the
                # machine's speed during the run favours neither.
                order = driven if round_number % 2 == 0 else driven[::-1]
                for project in order:
                    log(
                        f"{project.name}: {SCENARIOS[scenario]}, round"
                        f" {round_number + 1} of {args.rounds}, {args.seconds:g} s"
                    )
                    rounds[project.name].append(
                        measure(
                            project,
                            servers[project.name],
                            scenario,
                            tokens[project.name],
                            args,
                            workdir,
                            round_number,
                        )
                    )
            for project in driven:
                figures = combine(rounds[project.name], project, scenario)
                results[project.name][scenario] = figures
                log(
                    f"{project.name}: {figures['rps']:.1f}/s (rounds:"
                    f" {', '.join(f'{r:.1f}' for r in figures['rps_rounds'])}),"
                    f" p50 {number(figures['p50'])} ms, p99"
                    f" {number(figures['p99'])} ms, CPU"
                    f" {number(figures['cpu_ms'], 2)} ms/request"
                    f" {figures['cpu_ms_parts']}, failures {figures['failures']}"
                )
        for name, server in servers.items():
            results[name]["peak_rss_mib"] = (
                max(server.peak_rss.values(), default=0) / 1024
            )
            results[name]["workers_seen"] = len(server.peak_rss)
    return results


# Report ---------------------------------------------------------------------


def ratio(ours, baseline):
    if not baseline or ours is None:
        return "n/a"
    return f"{ours / baseline:.2f}×"


def number(value, digits=1):
    if value is None:
        return "n/a"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def report(results, args, sink, cache_url):
    ours, base = results["ours"], results["baseline"]
    rows = []

    def row(label, a, b, digits=1):
        rows.append((label, number(a, digits), number(b, digits), ratio(a, b)))

    for scenario, label in SCENARIOS.items():
        if scenario not in ours:
            continue
        o, b = ours[scenario], base[scenario]
        row(f"{label}: requests/s", o["rps"], b["rps"])
        row(f"{label}: p50 ms", o["p50"], b["p50"])
        row(f"{label}: p99 ms", o["p99"], b["p99"])
        oq, bq = ours["queries"][scenario], base["queries"][scenario]
        row(f"{label}: queries/request", oq["sql"], bq["sql"], 0)
        row(f"{label}: server CPU ms/request", o["cpu_ms"], b["cpu_ms"], 2)
        if scenario in ("login", "register"):
            kind = "check" if scenario == "login" else "make"
            oh, bh = ours["hasher"][kind], base["hasher"][kind]
            row(f"{label}: one hash ({kind}_password) ms", oh, bh)
            # Each worker serves one request at a time: its time per request.
            o_time = args.workers * 1000 / o["rps"] if o["rps"] else None
            b_time = args.workers * 1000 / b["rps"] if b["rps"] else None
            row(f"{label}: worker ms/request", o_time, b_time)
            # Measured within one request, outside the timed run: the hasher's
            # share is timed as it runs, so the rest is the framework's.
            oc, bc = ours["queries"][scenario], base["queries"][scenario]
            row(
                f"{label}: CPU ms of one request minus its hashing",
                oc["framework_cpu_ms"],
                bc["framework_cpu_ms"],
                2,
            )
    row(
        "peak RSS per gunicorn worker MiB",
        ours["peak_rss_mib"],
        base["peak_rss_mib"],
    )

    widths = [max(len(r[i]) for r in [*rows, HEADER]) for i in range(4)]
    head = [h.ljust(w) for h, w in zip(HEADER, widths, strict=True)]
    lines = [
        "| " + " | ".join(head) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    for r in rows:
        cells = [r[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)
        ]
        lines.append("| " + " | ".join(cells) + " |")
    print("\n".join(lines))
    print()
    notes = [
        f"Each endpoint: {args.warmup:g} s of warm-up per project, then"
        f" {args.rounds} round{'s' if args.rounds > 1 else ''} of {args.seconds:g} s"
        " per project, alternating"
        " which project goes first; requests/s and CPU are totals over the"
        " rounds, p50 and p99 the medians of the rounds' own. wrk with"
        f" {args.connections} connections, gunicorn {args.workers} sync workers.",
        f"Hashers: ours {ours['hasher']['algorithm']}, "
        f"baseline {base['hasher']['algorithm']}; one hash is the median CPU time "
        f"of {args.hash_rounds} calls in the project's environment, before the "
        "servers start.",
        f"Ours: production settings, CACHE_URL {cache_url}, throttles at "
        f"{HIGH_RATE}, mail by `manage.py db_worker`"
        + (
            " running during the timed runs"
            if args.worker_alongside
            else " paused during each timed run and resumed after it"
        )
        + "".join(
            f", {name}={value}"
            for name, value in args.extra_env.items()
            if name != "CACHE_URL"
        )
        + ".",
        "queries/request: SQL statements of one request after warm-up "
        "(as assertNumQueries counts them); connection health checks: "
        + ", ".join(
            f"{name} {results[name]['queries']['profile']['health_checks']}"
            for name in ("ours", "baseline")
            if "profile" in results[name]["queries"]
        )
        + " per request.",
        "server CPU: CPU time of gunicorn (master and workers), of the mail "
        "worker and of the PostgreSQL backends of the project's database, from the "
        "start of each timed run until the mail it queued is sent, per successful "
        "request.",
        "worker ms/request: workers / requests per second, the time a worker "
        "spends on each request.",
        "CPU ms of one request minus its hashing: the gunicorn worker's CPU time "
        "for a request on the counting server, less the CPU time spent inside "
        "the password hasher during that request (median of 4, after one "
        "warm-up request).",
        f"Messages received by the SMTP sink: {sink.messages}, each accepted "
        f"after {args.smtp_delay:g} ms.",
    ]
    floor = results.get("floor", {}).get("profile")
    if floor and floor["rps"] and ours["profile"]["rps"]:
        notes.append(
            "Floor: a REST framework view with no database, authentication or"
            " middleware, answering the profile/ path, served and driven the"
            f" same way: {floor['rps']:,.0f} requests/s, p50 {floor['p50']:.1f}"
            f" ms, p99 {floor['p99']:.1f} ms, server CPU {floor['cpu_ms']:.2f}"
            " ms/request. profile/ GET reaches "
            f"{ours['profile']['rps'] / floor['rps']:.0%} of it (ours) and "
            f"{base['profile']['rps'] / floor['rps']:.0%} (baseline)."
        )
    failures = {
        f"{name} {scenario}": results[name][scenario]["failures"]
        for name in ("ours", "baseline", "floor")
        for scenario in SCENARIOS
        if scenario in results.get(name, {}) and results[name][scenario]["failures"]
    }
    if failures:
        notes.append(f"FAILED REQUESTS: {failures}")
    print("\n".join(f"- {note}" for note in notes))


HEADER = ("figure", "ours", "baseline", "ours/baseline")


# Main -----------------------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seconds", type=float, default=10, help="per endpoint, project and round"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="timed runs per endpoint and project, alternating between projects",
    )
    parser.add_argument("--warmup", type=float, default=3, help="per endpoint")
    parser.add_argument(
        "--connections", type=int, default=4, help="concurrent clients (wrk)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--hash-rounds", type=int, default=5)
    parser.add_argument(
        "--endpoints",
        default=",".join(SCENARIOS),
        help=f"comma-separated subset of {','.join(SCENARIOS)}",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
        ),
        help="PostgreSQL server and a role that may create databases",
    )
    parser.add_argument(
        "--ours-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an environment variable for the generated project, such as "
        "CACHE_URL=redis://127.0.0.1:6379/0 or CONN_HEALTH_CHECKS=false; repeatable",
    )
    parser.add_argument(
        "--smtp-delay",
        type=float,
        default=0,
        help="milliseconds the mail sink takes to accept a message (default 0)",
    )
    parser.add_argument(
        "--worker-alongside",
        action="store_true",
        help="keep the mail worker running during the timed runs, on the same cores",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder and logs"
    )
    parser.add_argument(
        "--show-sql", action="store_true", help="print each counted request's SQL"
    )
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="count queries (and time the hashers), skip the timed runs",
    )
    args = parser.parse_args()
    args.scenarios = [s for s in args.endpoints.split(",") if s]
    try:
        args.extra_env = dict(item.split("=", 1) for item in args.ours_env)
    except ValueError:
        parser.error("--ours-env takes NAME=VALUE")
    args.wrk = shutil.which("wrk")
    if args.wrk is None and not args.queries_only:
        parser.error(
            "wrk drives the load and is not on PATH: install it first"
            " (apt install wrk on Debian and Ubuntu, brew install wrk on macOS)"
        )
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown endpoints: {', '.join(sorted(unknown))}")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.seconds <= 0 or args.seconds > 600:
        parser.error("--seconds must be between 0 and 600")
    return args


def database_url(admin_url, name):
    info = psycopg.conninfo.conninfo_to_dict(admin_url)
    info["dbname"] = name
    user = info.get("user", "postgres")
    host = info.get("host", "127.0.0.1")
    port = info.get("port", 5432)
    password = f":{info['password']}" if info.get("password") else ""
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def terminate(signum, _frame):
    """Unwind through every finally below, once: a second signal (uv run
    forwards the one it gets) must not interrupt the cleanup."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(128 + signum)


@contextlib.contextmanager
def stdout_to_stderr():
    """Send what child processes print (the template's hook) to stderr, so
    that stdout carries only the table."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def main():
    args = parse_args()
    # Ctrl-C or a TERM signal unwinds through every finally below.
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, terminate)
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    suffix = uuid.uuid4().hex[:8]
    names = {"ours": f"bench_ours_{suffix}", "baseline": f"bench_base_{suffix}"}
    created = []
    sink = CountingSink(args.smtp_delay / 1000)
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    log(f"working in {workdir}")
    try:
        with psycopg.connect(args.database_url, autocommit=True) as connection:
            for name in names.values():
                connection.execute(f'CREATE DATABASE "{name}"')
                created.append(name)

        log("rendering and installing the generated project")
        with stdout_to_stderr():
            folder = Path(
                cookiecutter(
                    str(TEMPLATE),
                    no_input=True,
                    output_dir=str(workdir / "ours"),
                    extra_context={"project_slug": "benchproject"},
                )
            )
        ours = Ours(
            folder, database_url(args.database_url, names["ours"]), controller.port
        )
        ours.extra_env = args.extra_env
        ours.install()
        versions = installed_versions(
            ours.python, ["django", "djangorestframework", "gunicorn", "psycopg"]
        )
        log(f"versions: {versions}")

        log("writing and installing the baseline project")
        baseline = Baseline(
            workdir / "baseline",
            database_url(args.database_url, names["baseline"]),
            controller.port,
        )
        pins = [f"{name}=={version}" for name, version in versions.items()]
        pins[pins.index(f"psycopg=={versions['psycopg']}")] = (
            f"psycopg[binary]=={versions['psycopg']}"
        )
        baseline.install(pins)
        baseline_versions = installed_versions(
            baseline.python, ["django-rest-registration"]
        )
        log(f"baseline: {baseline_versions}")

        # Both are served with the generated project's gunicorn settings.
        gunicorn_config = folder / "config" / "gunicorn.conf.py"
        for project in (ours, baseline):
            log(f"{project.name}: migrating")
            project.set_up()
        floor = Floor(workdir / "floor", baseline)
        floor.install()
        results = benchmark((ours, baseline), floor, args, workdir, gunicorn_config)
        (workdir / "results.json").write_text(json.dumps(results, indent=2))
        if args.queries_only:
            return
        cache_url = args.extra_env.get(
            "CACHE_URL", "dbcache://django_cache (the production default)"
        )
        report(results, args, sink, cache_url)
    finally:
        controller.stop()
        with psycopg.connect(args.database_url, autocommit=True) as connection:
            for name in created:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
