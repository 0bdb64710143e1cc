import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

# Import the URLconf, and with it every view, now rather than on the first
# request: gunicorn loads this module before it forks (preload_app), so each
# worker, also one started to replace a recycled worker, serves its first
# request as fast as the others.
import_module(settings.ROOT_URLCONF)
