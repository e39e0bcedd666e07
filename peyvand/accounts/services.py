"""Writes of the accounts area: organisations, invitations, memberships (checked, atomic, logged)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peyvand.core import permissions
from peyvand.core.audit import log_event
from peyvand.matching.text import fold

from .acting import acting_company
from .choices import ROLES_BY_KIND, ApprovalState, InvitationState
from .models import Invitation, Membership, Organisation, PendingMembership, User
from .signals import membership_awaits_approval


def check_role(organisation: Organisation, role: str) -> None:
    if role not in ROLES_BY_KIND.get(organisation.kind, ()):
        raise ValidationError(_("This role does not exist in this kind of organisation."), code="role")


@transaction.atomic
def create_organisation(organisation: Organisation, *, by: Any) -> Organisation:
    """Register a buyer, investor or unit organisation served by one of ``by``'s estate companies."""
    permissions.require(by, permissions.ADD, Organisation)
    if organisation.company_id is None and not by.is_superuser:
        company = acting_company(by)
        if company is None:
            raise PermissionDenied
        organisation.company = company
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
    granted = _grant(locked.organisation, user, locked.role, by=user, via="invitation")
    locked.state = InvitationState.ACCEPTED
    locked.save(update_fields=["state"])
    return granted


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
    return _grant(organisation, user, role, by=by, via=via)


# --- staff roles and client roles never meet in one person without a manager's approval -------------
def _side(kind: str) -> str:
    return "staff" if kind in permissions.STAFF_KINDS else "client"


def crosses_sides(user: User, organisation: Organisation) -> bool:
    """Whether a role in ``organisation`` would give ``user`` a staff role and a client role at once
    (an officer acting for a buyer could consent on its behalf; a buyer's admin could broker its own
    requests)."""
    if user.pk is None:
        return False
    side = _side(organisation.kind)
    kinds = user.memberships.exclude(organisation=organisation).values_list("organisation__kind", flat=True)
    return any(_side(kind) != side for kind in kinds)


def approving_company(organisation: Organisation) -> Organisation | None:
    """Whose manager approves a role in ``organisation``: the company itself, or the one serving it."""
    return organisation if organisation.kind in permissions.STAFF_KINDS else organisation.company


def may_approve(user: Any, pending: PendingMembership) -> bool:
    """A manager of the approving company, never the person asking."""
    if getattr(user, "pk", None) == pending.user_id:
        return False
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return True
    company = approving_company(pending.organisation)
    return company is not None and any(
        kind in permissions.STAFF_KINDS and role == "manager" and org_id == company.pk
        for kind, role, org_id in permissions.memberships(user)
    )


def _grant(
    organisation: Organisation, user: User, role: str, *, by: Any, via: str
) -> Membership | PendingMembership:
    """Give ``user`` ``role`` in ``organisation`` — or, when that would join a staff and a client role
    in one person, ask a manager of the company (a pending membership with no rights meanwhile)."""
    check_role(organisation, role)
    member = Membership.objects.filter(user=user, organisation=organisation).first()
    if member is None and crosses_sides(user, organisation):
        pending, _created = PendingMembership.objects.update_or_create(
            user=user,
            organisation=organisation,
            state=ApprovalState.PENDING,
            defaults={"role": role, "via": via},
        )
        log_event(
            organisation,
            "accounts.membership.awaiting_approval",
            {"user": user.username, "role": role, "via": via},
            actor=by,
        )
        _ask_managers(pending)
        return pending
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


def _ask_managers(pending: PendingMembership) -> None:
    """Tell whoever listens (the notifications app asks the managers) that ``pending`` awaits them."""
    company = approving_company(pending.organisation)
    if company is None:
        return
    managers = User.objects.filter(
        is_active=True, memberships__organisation=company, memberships__role="manager"
    ).exclude(pk=pending.user_id)
    membership_awaits_approval.send(sender=PendingMembership, pending=pending, managers=managers)


@transaction.atomic
def decide_membership(pending: PendingMembership, *, approve: bool, by: Any) -> Membership | None:
    """A manager of the company approves (the membership starts) or refuses a pending membership."""
    locked = (
        PendingMembership.objects.select_for_update()
        .select_related("organisation", "user")
        .get(pk=pending.pk)
    )
    if not may_approve(by, locked):
        raise PermissionDenied
    if locked.state != ApprovalState.PENDING:
        raise ValidationError(_("This membership was already decided."), code="decided")
    locked.state = ApprovalState.APPROVED if approve else ApprovalState.REFUSED
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.save(update_fields=["state", "decided_by", "decided_at"])
    data = {"user": locked.user.username, "role": locked.role, "via": locked.via}
    if not approve:
        log_event(locked.organisation, "accounts.membership.refused", data, actor=by)
        return None
    membership, _created = Membership.objects.update_or_create(
        user=locked.user, organisation=locked.organisation, defaults={"role": locked.role}
    )
    permissions.forget_memberships(locked.user)
    log_event(locked.organisation, "accounts.membership.approved", data, actor=by)
    return membership


@dataclass
class CompanySetup:
    """What ``setup_company`` found or made."""

    company: Organisation
    manager: User
    company_created: bool
    manager_created: bool
    membership_created: bool

    @property
    def needs_password(self) -> bool:
        return not self.manager.has_usable_password()


@transaction.atomic
def setup_company(name: str, *, name_en: str = "", manager: str, email: str) -> CompanySetup:
    """The first run of a real deployment: the estate company and its first manager (idempotent).

    The same name finds the same company and the same username the same person; running it again
    changes nothing but the English name and the e-mail address when they are given anew. A person who
    represents a unit, a buyer or an investor is refused: staff and client roles never meet in one
    account. The manager gets no password here: ``password_link`` or ``set_password`` gives them one.
    """
    from django.core.validators import validate_email

    name, name_en, username, email = name.strip(), name_en.strip(), manager.strip(), email.strip().lower()
    if not name or not username:
        raise ValidationError(_("Give the company's name and the manager's username."), code="required")
    validate_email(email)
    company = next(
        (
            found
            for found in Organisation.objects.filter(kind="estate_company")
            if fold(found.name) == fold(name)
        ),
        None,
    )
    company_created = company is None
    if company is None:
        company = Organisation.objects.create(kind="estate_company", name=name, name_en=name_en, email=email)
        log_event(company, "accounts.organisation.created", {"kind": company.kind, "via": "setup_company"})
    elif name_en and company.name_en != name_en:
        company.name_en = name_en
        company.save()
    user = User.objects.filter(username=username).first()
    manager_created = user is None
    if user is None:
        user = User(username=username, email=email)
        user.set_unusable_password()
        user.save()
    else:
        clients = user.memberships.exclude(organisation__kind__in=permissions.STAFF_KINDS)
        if clients.exists():
            raise ValidationError(
                _(
                    "%(user)s represents a client organisation; an estate company's manager needs an account of their own."
                )
                % {"user": username},
                code="client",
            )
        if user.email.lower() != email:
            user.email = email
            user.save(update_fields=["email"])
    membership, membership_created = Membership.objects.get_or_create(
        user=user, organisation=company, defaults={"role": "manager"}
    )
    if membership.role != "manager":
        membership.role = "manager"
        membership.save(update_fields=["role"])
        membership_created = True
    if membership_created:
        permissions.forget_memberships(user)
        log_event(
            company,
            "accounts.membership.created",
            {"user": user.username, "role": "manager", "via": "setup_company"},
        )
    return CompanySetup(company, user, company_created, manager_created, membership_created)


def password_link(user: User, base_url: str = "") -> str:
    """A one-time link to set ``user``'s password (it stops working once the password is set)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse("accounts:password_reset_confirm", args=[uid, token])
