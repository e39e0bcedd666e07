"""WSGI entry point (gunicorn peyvand.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peyvand.settings")
application = get_wsgi_application()

if os.environ.get("PEYVAND_HS_WARM_UP", "true").lower() not in {"0", "false", "no"}:
    from peyvand.trade import hs  # after the application: Django is set up

    hs.warm_up()
