"""WSGI entry point (gunicorn recruiting.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recruiting.settings")

application = get_wsgi_application()
