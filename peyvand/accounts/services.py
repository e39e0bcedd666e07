"""Writes of the accounts area: organisations, invitations, memberships (checked, atomic, logged)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from peyvand.core import permissions
from peyvand.core.audit import log_event

from .choices import ROLES_BY_KIND, InvitationState
from .models import Invitation, Membership, Organisation, User


def check_role(organisation: Organisation, role: str) -> None:
    if role not in ROLES_BY_KIND.get(organisation.kind, ()):
        raise ValidationError(_("This role does not exist in this kind of organisation."), code="role")


@transaction.atomic
def create_organisation(organisation: Organisation, *, by: Any) -> Organisation:
    """Register a buyer, investor or unit organisation served by one of ``by``'s estate companies."""
    permissions.require(by, permissions.ADD, Organisation)
    if organisation.company_id is None and not by.is_superuser:
        companies = permissions.organisations(by, "estate_company")
        if not companies:
            raise PermissionDenied
        organisation.company_id = companies[0]
    organisation.save()
    log_event(organisation, "accounts.organisation.created", {"kind": organisation.kind}, actor=by)
    return organisation


def grantable_roles(user: Any, organisation: Organisation) -> tuple[str, ...]:
    """The roles ``user`` may give in ``organisation``: staff roles only by that organisation's managers
    (nobody promotes themselves), client organisations' roles by their admins and their estate company."""
    roles = ROLES_BY_KIND.get(organisation.kind, ())
    if getattr(user, "is_superuser", False):
        return roles
    own = [role for kind, role, org_id in permissions.memberships(user) if org_id == organisation.pk]
    if organisation.kind in permissions.STAFF_KINDS:
        return roles if "manager" in own else ()
    return roles if permissions.can(user, permissions.INVITE, organisation) else ()


@transaction.atomic
def invite(organisation: Organisation, email: str, role: str, *, by: Any, base_url: str) -> Invitation:
    """Invite ``email`` into ``organisation`` in ``role`` and e-mail the link."""
    permissions.require(by, permissions.INVITE, organisation)
    check_role(organisation, role)
    if role not in grantable_roles(by, organisation):
        raise PermissionDenied
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(_("Someone with this e-mail address is already a member."), code="member")
    Invitation.objects.filter(
        organisation=organisation, email__iexact=email, state=InvitationState.PENDING
    ).update(state=InvitationState.REVOKED)
    invitation = Invitation.objects.create(organisation=organisation, email=email, role=role, invited_by=by)
    link = base_url + reverse("accounts:accept_invitation", args=[invitation.token])
    context = {"invitation": invitation, "link": link, "by": by}
    send_mail(
        _("Invitation to Peyvand: %(organisation)s") % {"organisation": organisation.name},
        render_to_string("accounts/invitation_email.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [email],
    )
    log_event(organisation, "accounts.invitation.sent", {"email": email, "role": role}, actor=by)
    return invitation


@transaction.atomic
def accept_invitation(invitation: Invitation, user: User) -> Membership:
    """Turn a usable invitation into a membership for ``user`` (new or existing)."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_usable:
        raise ValidationError(_("This invitation has expired or was already used."), code="used")
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=locked.organisation, defaults={"role": locked.role}
    )
    locked.state = InvitationState.ACCEPTED
    locked.save(update_fields=["state"])
    permissions.forget_memberships(user)
    log_event(
        locked.organisation,
        "accounts.membership.created",
        {"user": user.username, "role": locked.role},
        actor=user,
    )
    return membership


@transaction.atomic
def remove_membership(membership: Membership, *, by: Any) -> None:
    permissions.require(by, permissions.DELETE, membership)
    organisation = membership.organisation
    log_event(organisation, "accounts.membership.removed", {"user": membership.user.username}, actor=by)
    membership.delete()


@transaction.atomic
def add_membership(
    organisation: Organisation, user: User, role: str, *, by: Any, via: str = ""
) -> Membership:
    """Give ``user`` a role in ``organisation`` (used by claim approval)."""
    check_role(organisation, role)
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    permissions.forget_memberships(user)
    log_event(
        organisation,
        "accounts.membership.created",
        {"user": user.username, "role": role, "via": via},
        actor=by,
    )
    return membership
