from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "peyvand.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from peyvand.core import navigation
        from peyvand.core.audit import register_audited, register_event

        from .models import Membership, Organisation

        register_audited(Organisation, Membership)
        navigation.register(
            navigation.NavItem(
                "accounts:organisations",
                _("Organisations"),
                visible=lambda user: _is_staff(user),
                order=80,
                match="/accounts/organisations/",
                group="registry",
            )
        )
        register_event("accounts.organisation.created", _("Organisation registered"))
        register_event("accounts.invitation.sent", _("Invitation sent to %(email)s"))
        register_event("accounts.membership.created", _("%(user)s joined"))
        register_event("accounts.membership.removed", _("%(user)s removed"))
        register_event(
            "accounts.membership.awaiting_approval", _("%(user)s awaits a manager's approval to join")
        )
        register_event("accounts.membership.approved", _("%(user)s joined with a manager's approval"))
        register_event("accounts.membership.refused", _("A manager refused %(user)s's membership"))


def _is_staff(user) -> bool:
    from peyvand.core.permissions import is_staff_member

    return is_staff_member(user)
