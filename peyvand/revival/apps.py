from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RevivalConfig(AppConfig):
    name = "peyvand.revival"
    label = "revival"
    verbose_name = _("Industrial clinic: revival of idle units")

    def ready(self) -> None:
        from peyvand.core import navigation
        from peyvand.core.permissions import can, is_staff_member
        from peyvand.core.templatetags.peyvand import register_choices
        from peyvand.units.services import follow_unit_changes

        from . import events, merging, services, tasks  # noqa: F401 — events, merge rules and jobs register
        from .choices import CaseStage, Result, Severity
        from .models import RevivalCase

        # Life-cycle changes made anywhere reach the clinic's open cases.
        follow_unit_changes(services.follow_unit_changes)
        # The registry of units shows each unit's clinic case (the home figure's drill-down among them).
        from peyvand.units.tables import add_staff_column

        from .tables import UnitCaseColumn, annotate_unit_case

        add_staff_column("revival_case", UnitCaseColumn(), annotate_unit_case)
        from peyvand.units.views import add_detail_panel

        from .views import unit_panel

        add_detail_panel(unit_panel)
        register_choices("case_stage", CaseStage)
        register_choices("intervention_result", Result)
        register_choices("cause_severity", Severity)
        navigation.register_group("clinic", _("Industrial clinic"), 45)
        for url_name, label, order, match in [
            ("revival:case_list", _("Revival cases"), 46, "/revival/cases/"),
            ("revival:at_risk", _("Units at risk"), 47, "/revival/at-risk/"),
            ("revival:figures", _("Clinic figures"), 48, "/revival/figures/"),
        ]:
            navigation.register(
                navigation.NavItem(
                    url_name,
                    label,
                    visible=lambda user: is_staff_member(user) and can(user, "view", RevivalCase),
                    order=order,
                    match=match,
                    group="clinic",
                )
            )
