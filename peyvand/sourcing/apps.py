from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcingConfig(AppConfig):
    name = "peyvand.sourcing"
    label = "sourcing"
    verbose_name = _("The bridge: sourcing and linkages")

    def ready(self) -> None:
        from peyvand.core import navigation
        from peyvand.core.permissions import can, is_staff_member
        from peyvand.core.templatetags.peyvand import register_choices
        from peyvand.units.services import follow_unit_changes

        from . import events, merging, tasks  # noqa: F401 — events and merge rules register on import
        from .choices import Confidentiality, GapState, InvitationState, LinkageStage, RequestState
        from .models import SourcingRequest

        # The bridge derives its matching index and gap flags from unit profiles: it follows their changes.
        follow_unit_changes(tasks.after_units_changed)

        register_choices("request_state", RequestState)
        register_choices("invitation_state", InvitationState)
        register_choices("linkage_stage", LinkageStage)
        register_choices("gap_state", GapState)
        register_choices("confidentiality", Confidentiality)
        navigation.register(
            navigation.NavItem(
                "sourcing:request_list",
                _("Sourcing requests"),
                visible=lambda user: user.is_authenticated,
                order=30,
                match="/sourcing/requests/",
                group="bridge",
            )
        )
        navigation.register(
            navigation.NavItem(
                "sourcing:invitation_list",
                _("My invitations"),
                visible=lambda user: can(user, "respond", _invitation_model()),
                order=35,
                match="/sourcing/invitations/",
                group="bridge",
            )
        )
        navigation.register(
            navigation.NavItem(
                "sourcing:linkage_list",
                _("Linkage ledger"),
                visible=lambda user: is_staff_member(user),
                order=40,
                match="/sourcing/linkages/",
                group="bridge",
            )
        )
        navigation.register(
            navigation.NavItem(
                "sourcing:gap_list",
                _("Supply gaps"),
                visible=is_staff_member,
                order=45,
                match="/sourcing/gaps/",
                group="bridge",
            )
        )
        navigation.register(
            navigation.NavItem(
                "sourcing:directory",
                _("Supplier directory"),
                visible=lambda user: (
                    user.is_authenticated and not is_staff_member(user) and can(user, "add", SourcingRequest)
                ),
                order=25,
                match="/sourcing/suppliers/",
                group="bridge",
            )
        )


def _invitation_model():
    from .models import SupplierInvitation

    return SupplierInvitation
