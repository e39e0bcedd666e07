"""WSGI entry point (gunicorn peyvand.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peyvand.settings")
application = get_wsgi_application()
