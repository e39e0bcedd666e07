"""Organisation kinds and the roles each kind has (VOCABULARY.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from peyvand.core.choices import BadgeColour, badge_colours


class OrganisationKind(models.TextChoices):
    NATIONAL_BODY = "national_body", _("national body")
    ESTATE_COMPANY = "estate_company", _("estate company")
    PRODUCTION_UNIT = "production_unit", _("production unit")
    BUYER = "buyer", _("buyer firm")
    INVESTOR = "investor", _("investor")


class Role(models.TextChoices):
    MANAGER = "manager", _("manager")
    LINKAGE_OFFICER = "linkage_officer", _("linkage officer")
    INVESTMENT_EXPERT = "investment_expert", _("investment expert")
    ENVIRONMENT_EXPERT = "environment_expert", _("environment expert")
    VIEWER = "viewer", _("viewer")
    ADMIN = "admin", _("administrator")
    EDITOR = "editor", _("editor")


ROLES_BY_KIND: dict[str, tuple[str, ...]] = {
    OrganisationKind.NATIONAL_BODY: (Role.MANAGER, Role.VIEWER),
    OrganisationKind.ESTATE_COMPANY: (
        Role.MANAGER,
        Role.LINKAGE_OFFICER,
        Role.INVESTMENT_EXPERT,
        Role.ENVIRONMENT_EXPERT,
        Role.VIEWER,
    ),
    OrganisationKind.PRODUCTION_UNIT: (Role.ADMIN, Role.EDITOR, Role.VIEWER),
    OrganisationKind.BUYER: (Role.ADMIN, Role.EDITOR, Role.VIEWER),
    OrganisationKind.INVESTOR: (Role.ADMIN, Role.EDITOR, Role.VIEWER),
}


class MoneyUnit(models.TextChoices):
    TOMAN = "toman", _("toman")
    RIAL = "rial", _("rial")


class InvitationState(models.TextChoices):
    PENDING = "pending", _("pending")
    ACCEPTED = "accepted", _("accepted")
    REVOKED = "revoked", _("revoked")


@badge_colours({"pending": "warning", "approved": "success", "refused": "danger"})
class ApprovalState(BadgeColour, models.TextChoices):
    """A membership that would join a staff role and a client role in one person waits for a manager."""

    PENDING = "pending", _("awaiting a manager's approval")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
