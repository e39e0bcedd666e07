from django.apps import AppConfig
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "peyvand.units"
    label = "units"
    verbose_name = _("Production units")

    def ready(self) -> None:
        from peyvand.core import navigation
        from peyvand.core.audit import register_event
        from peyvand.core.permissions import is_staff_member
        from peyvand.core.templatetags.peyvand import register_choices

        from . import merging  # noqa: F401 — the merge rules of the units' own relations
        from .choices import ClaimState, StatusCause, UnitStatus
        from .models import ProductionUnit

        register_choices("unit_status", UnitStatus)
        self._add_to_estate_pages()
        register_choices("claim_state", ClaimState)
        navigation.register(
            navigation.NavItem(
                "units:list",
                _("Production units"),
                visible=lambda user: True,
                order=20,
                match="/units/",
                group="registry",
            )
        )

        navigation.register(
            navigation.NavItem(
                "units:claims",
                _("Claims"),
                visible=is_staff_member,
                order=70,
                match="/units/claims/",
                group="registry",
            )
        )

        def status_labels(data: dict) -> dict:
            def label(code: str | None) -> str:
                return str(UnitStatus(code).label) if code in UnitStatus.values else "—"

            cause = data.get("cause")
            return {
                **data,
                "from": label(data.get("from")),
                "to": label(data.get("to")),
                "status": label(data.get("status")),
                "cause": str(StatusCause(cause).label) if cause in StatusCause.values else "",
            }

        def field_labels(data: dict) -> dict:
            names = []
            for field_name in data.get("fields", []):
                try:
                    names.append(str(ProductionUnit._meta.get_field(field_name).verbose_name))
                except Exception:
                    names.append(field_name)
            return {**data, "fields": ("، " if get_language().startswith("fa") else ", ").join(names)}

        from peyvand.imports import engine as imports

        from .importers import StatusChangeImporter, UnitImporter

        imports.register(UnitImporter)
        imports.register(StatusChangeImporter)
        register_event("units.unit.merged", _("Merged with the duplicate record “%(other)s”"))
        register_event("units.unit.merged_into", _("Merged into “%(other)s” as its duplicate"))
        register_event("units.unit.registered", _("Registered as %(status)s"), status_labels)
        register_event(
            "units.status.changed", _("Status changed from %(from)s to %(to)s — %(cause)s"), status_labels
        )
        register_event("units.profile.updated", _("Profile updated: %(fields)s"), field_labels)
        register_event("units.profile.claimed", _("%(user)s represents this unit"))
        register_event("units.claim.requested", _("%(user)s asked to represent this unit"))
        register_event("units.claim.approved", _("%(user)s approved as the unit's representative"))
        register_event("units.claim.rejected", _("%(user)s's request to represent the unit was rejected"))

    @staticmethod
    def _add_to_estate_pages() -> None:
        """The estate list's "units in production" figure and the estate page's block of its units."""
        from peyvand.estates import extensions

        from .models import units_in_production_of_estate
        from .views import estate_units

        extensions.register_figure("unit_count", units_in_production_of_estate)
        extensions.register_section(extensions.Section("units", estate_units, order=10))
