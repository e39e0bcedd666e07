from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EstatesConfig(AppConfig):
    name = "peyvand.estates"
    label = "estates"
    verbose_name = _("Industrial estates")

    def ready(self) -> None:
        from peyvand.core import navigation
        from peyvand.core.audit import register_event
        from peyvand.core.templatetags.peyvand import register_choices

        from .choices import EstateKind, PlotState, Readiness

        register_choices("readiness", Readiness)
        register_choices("plot_state", PlotState)
        register_choices("estate_kind", EstateKind)
        navigation.register(
            navigation.NavItem(
                "estates:list",
                _("Estates"),
                visible=lambda user: True,
                order=10,
                match="/estates/",
                group="registry",
            )
        )
        from peyvand.imports import engine as imports

        from .importers import EstateImporter, PlotImporter

        imports.register(EstateImporter)
        imports.register(PlotImporter)
        register_event("estates.estate.created", _("Estate added"))
        register_event("estates.estate.updated", _("Estate details updated"))
        register_event("estates.plot.added", _("Plot %(number)s added"))
        register_event("estates.plot.updated", _("Plot %(number)s updated"))
