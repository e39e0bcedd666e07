from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "peyvand.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from peyvand.core.templatetags.peyvand import register_choices

        from .choices import NotificationKind

        register_choices("notification_kind", NotificationKind)
