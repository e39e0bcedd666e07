from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GreenConfig(AppConfig):
    name = "peyvand.green"
    label = "green"
    verbose_name = _("Green estates")

    def ready(self) -> None:
        from peyvand.core import navigation
        from peyvand.core.permissions import can, is_staff_member
        from peyvand.core.templatetags.peyvand import register_choices

        from . import events, merging  # noqa: F401 — timeline labels and merge rules register on import
        from .choices import CaseState, Direction, EnvironmentalGroup, PlantStage, SymbiosisStage
        from .models import EffluentTest, ResourceListing, SymbiosisLink

        register_choices("plant_stage", PlantStage)
        register_choices("case_state", CaseState)
        register_choices("direction", Direction)
        register_choices("environmental_group", EnvironmentalGroup)
        register_choices("symbiosis_stage", SymbiosisStage)
        navigation.register_group("green", _("Green estates"), 45)
        items = [
            ("green:dashboard", _("Green dashboard"), is_staff_member, 60, "/green/dashboard/"),
            ("green:plant_list", _("Treatment plants"), is_staff_member, 61, "/green/plants/"),
            ("green:connection_list", _("Sewer connections"), is_staff_member, 62, "/green/connections/"),
            (
                "green:test_list",
                _("Effluent tests"),
                lambda user: can(user, "view", EffluentTest),
                63,
                "/green/tests/",
            ),
            (
                "green:case_list",
                _("Compliance cases"),
                lambda user: can(user, "view", EffluentTest),
                64,
                "/green/cases/",
            ),
            (
                "green:listing_list",
                _("Haves and wants"),
                lambda user: can(user, "view", ResourceListing),
                65,
                "/green/resources/",
            ),
            (
                "green:proposal_list",
                _("Symbiosis proposals"),
                is_staff_member,
                66,
                "/green/symbiosis/proposals/",
            ),
            (
                "green:link_list",
                _("Symbiosis exchanges"),
                lambda user: can(user, "view", SymbiosisLink),
                67,
                "/green/symbiosis/exchanges/",
            ),
            ("green:limit_list", _("Discharge limits"), is_staff_member, 68, "/green/limits/"),
        ]
        for url_name, label, visible, order, match in items:
            navigation.register(
                navigation.NavItem(url_name, label, visible=visible, order=order, match=match, group="green")
            )
        self._add_to_estate_pages()

    @staticmethod
    def _add_to_estate_pages() -> None:
        """The estate page's block of the treatment plants serving it (above its units); estates knows
        nothing of green (ARCHITECTURE.md: arrows point one way)."""
        from peyvand.estates import extensions

        from .views import estate_plants

        extensions.register_section(extensions.Section("green_plants", estate_plants, order=5))
