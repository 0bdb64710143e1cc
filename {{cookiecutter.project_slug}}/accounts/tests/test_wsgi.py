import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def test_loading_the_wsgi_application_imports_every_view():
    # gunicorn loads config.wsgi once and forks its workers from that process:
    # what the module imports, no worker has to import on its first request.
    code = (
        "import sys\n"
        "import config.wsgi\n"
        "print('config.urls' in sys.modules, 'accounts.api.login' in sys.modules)\n"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.split() == ["True", "True"]
