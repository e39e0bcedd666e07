from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "peyvand.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from peyvand.accounts.signals import membership_awaits_approval
        from peyvand.core.templatetags.peyvand import register_choices

        from .choices import NotificationKind
        from .services import ask_managers_to_approve

        register_choices("notification_kind", NotificationKind)
        membership_awaits_approval.connect(ask_managers_to_approve, dispatch_uid="notifications.approve")
