from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "peyvand.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from peyvand.core import navigation, permissions

        navigation.register(
            navigation.NavItem("home", _("Home"), visible=lambda user: True, order=0, match="/")
        )
        navigation.register(
            navigation.NavItem(
                "insights_dashboard",
                _("Dashboard"),
                visible=permissions.is_staff_member,
                order=1,
                match="/dashboard/",
            )
        )
        navigation.register(
            navigation.NavItem(
                "insights_statistics",
                _("Statistics"),
                visible=lambda user: True,
                order=90,
                match="/statistics/",
            )
        )
        navigation.register_group("registry", _("Registry"), 10)
        navigation.register_group("bridge", _("The bridge"), 30)
