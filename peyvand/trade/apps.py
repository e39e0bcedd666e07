from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradeConfig(AppConfig):
    name = "peyvand.trade"
    label = "trade"
    verbose_name = _("Exports and value chains")

    def ready(self) -> None:
        from peyvand.core import navigation
        from peyvand.core.permissions import can, is_staff_member
        from peyvand.core.templatetags.peyvand import register_choices
        from peyvand.imports import engine as imports
        from peyvand.units.views import add_main_block

        from . import events, merging  # noqa: F401 — events and merge rules register on import
        from .views import unit_exports

        add_main_block(unit_exports)  # the unit page's exports block; units knows nothing of trade
        from .choices import ExportSource, InputOrigin
        from .importers import ExportRecordImporter
        from .models import BuyerInput, ExportRecord

        imports.register(ExportRecordImporter)
        register_choices("export_source", ExportSource)
        register_choices("input_origin", InputOrigin)
        navigation.register_group("trade", _("Exports"), 45)
        navigation.register(
            navigation.NavItem(
                "trade:export_list",
                _("Export records"),
                visible=lambda user: can(user, "view", ExportRecord),
                order=45,
                match="/trade/exports/",
                group="trade",
            )
        )
        navigation.register(
            navigation.NavItem(
                "trade:summary",
                _("Exports by year"),
                visible=is_staff_member,
                order=46,
                match="/trade/summary/",
                group="trade",
            )
        )
        navigation.register(
            navigation.NavItem(
                "trade:chains",
                _("Value chains"),
                visible=is_staff_member,
                order=47,
                match="/trade/chains/",
                group="trade",
            )
        )
        navigation.register(
            navigation.NavItem(
                "trade:opportunities",
                _("Local-sourcing opportunities"),
                visible=lambda user: can(user, "view", BuyerInput),
                order=48,
                match="/trade/opportunities/",
                group="trade",
            )
        )
