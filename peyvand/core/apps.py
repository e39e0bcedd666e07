from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "peyvand.core"
    label = "core"
    verbose_name = _("Core mechanisms")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from . import caching

        # Every write to a domain table changes the data version of the cached figures and pages.
        connection_created.connect(caching.install, dispatch_uid="peyvand.core.caching.install")
