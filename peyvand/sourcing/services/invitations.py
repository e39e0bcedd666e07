"""Invitations and responses: inviting suppliers, their quotes and declines, the reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.core import permissions
from peyvand.core.audit import log_event
from peyvand.core.audit import signed_in as _user
from peyvand.core.jalali import format_date
from peyvand.units.choices import PRODUCING
from peyvand.units.models import ProductionUnit

from ..choices import ANSWERED, InvitationState, RequestState
from ..models import SourcingRequest, SupplierInvitation
from .people import in_both_languages, members_of, notify_users, officers_of


@transaction.atomic
def invite(request: SourcingRequest, units: Iterable[ProductionUnit], *, by: Any) -> list[SupplierInvitation]:
    """Invite suppliers to quote (officers; the buyer too when the request allows it)."""
    buyer_inviting = request.buyer_may_invite and request.buyer_id in permissions.organisations(by, "buyer")
    if not (permissions.can(by, permissions.BROKER, request) or buyer_inviting):
        raise PermissionDenied
    if request.state != RequestState.PUBLISHED:
        raise ValidationError(_("Suppliers can be invited only to a published request."))
    if request.quote_deadline < timezone.localdate():
        raise ValidationError(_("The deadline for quotes has passed."))
    created = []
    for unit in units:
        if unit.status not in PRODUCING:
            raise ValidationError(
                _("%(unit)s is not in production and cannot be invited.") % {"unit": unit.name}
            )
        invitation, is_new = SupplierInvitation.objects.get_or_create(
            request=request, unit=unit, defaults={"invited_by": _user(by)}
        )
        if not is_new:
            continue
        created.append(invitation)
        log_event(request, "sourcing.invitation.sent", {"unit": unit.name}, actor=_user(by))
        notify_users(
            members_of(unit.organisation),
            "invitation",
            in_both_languages(gettext_lazy("Invitation to quote: %(title)s"), title=request.title),
            in_both_languages(
                gettext_lazy("You are invited to quote before %(deadline)s."),
                deadline=lambda: format_date(request.quote_deadline),
            ),
            invitation.get_absolute_url(),
            sms=True,
        )
    return created


def mark_opened(invitation: SupplierInvitation, *, by: Any) -> None:
    """The supplier opened its invitation (the officer's board shows it)."""
    if invitation.state == InvitationState.INVITED and permissions.can(by, permissions.RESPOND, invitation):
        SupplierInvitation.objects.filter(pk=invitation.pk, state=InvitationState.INVITED).update(
            state=InvitationState.OPENED, opened_at=timezone.now()
        )
        invitation.state = InvitationState.OPENED


def _check_can_answer(invitation: SupplierInvitation, by: Any) -> None:
    permissions.require(by, permissions.RESPOND, invitation)
    if invitation.state in ANSWERED:
        raise ValidationError(_("This invitation was already answered."))
    if (
        invitation.state == InvitationState.EXPIRED
        or invitation.request.quote_deadline < timezone.localdate()
    ):
        raise ValidationError(_("The deadline for quotes has passed."))
    if invitation.request.state != RequestState.PUBLISHED:
        raise ValidationError(_("This request is no longer open for quotes."))


QUOTE_FIELDS = ("price_rial", "lead_time_days", "capacity", "note", "file")
DECLINE_FIELDS = ("decline_reason", "note")


def _check_answer(answered: SupplierInvitation, *, quote: bool) -> None:
    """What an answer must hold, whoever sends it (the page's form asks the same)."""
    if quote:
        if answered.price_rial is None or answered.price_rial <= 0:
            raise ValidationError({"price_rial": _("Enter a price above zero.")})
        if answered.lead_time_days is None:
            raise ValidationError({"lead_time_days": _("Enter the lead time in days.")})
    elif not answered.decline_reason:
        raise ValidationError({"decline_reason": _("Choose the reason for declining.")})


@transaction.atomic
def answer(
    invitation: SupplierInvitation, values: Mapping[str, Any], *, quote: bool, by: Any
) -> SupplierInvitation:
    """Quote (price, lead time, capacity, note, file) or decline (reason + note) before the deadline, from
    cleaned values (the invitation page's form, the API)."""
    locked = (
        SupplierInvitation.objects.select_for_update().select_related("request", "unit").get(pk=invitation.pk)
    )
    _check_can_answer(locked, by)
    answered = locked
    for name in QUOTE_FIELDS if quote else DECLINE_FIELDS:
        if name not in values or (name == "file" and values[name] is None):  # no new file: keep the old
            continue
        setattr(answered, name, values[name] or "" if name == "file" else values[name])
    _check_answer(answered, quote=quote)
    answered.state = InvitationState.QUOTED if quote else InvitationState.DECLINED
    answered.responded_at = timezone.now()
    answered.opened_at = answered.opened_at or answered.responded_at
    answered.save()
    request = locked.request
    code = "sourcing.invitation.quoted" if quote else "sourcing.invitation.declined"
    log_event(request, code, {"unit": locked.unit.name, "reason": answered.decline_reason}, actor=_user(by))
    from ..confidentiality import suppliers_visible_to_buyer

    supplier = locked.unit.name if suppliers_visible_to_buyer(request) else (lambda: _("a supplier"))
    title = (
        in_both_languages(gettext_lazy("New quote on %(title)s"), title=request.title)
        if quote
        else in_both_languages(gettext_lazy("A supplier declined: %(title)s"), title=request.title)
    )
    notify_users(
        officers_of(request),
        "response",
        title,
        in_both_languages(gettext_lazy("%(supplier)s answered."), supplier=locked.unit.name),
        request.get_absolute_url(),
    )
    if quote:
        notify_users(
            members_of(request.buyer),
            "response",
            title,
            in_both_languages(gettext_lazy("%(supplier)s answered."), supplier=supplier),
            request.get_absolute_url(),
        )
    return answered


def send_reminders(today: dt.date | None = None) -> dict[str, int]:
    """Remind invited suppliers two days before the deadline (once), and tell officers who stayed silent
    once the deadline has passed (their invitations then read 'silent')."""
    today = today or timezone.localdate()
    reminded = silent = 0
    soon = today + dt.timedelta(days=settings.PEYVAND_REMINDER_DAYS)
    waiting = SupplierInvitation.objects.filter(
        state__in=[InvitationState.INVITED, InvitationState.OPENED], request__state=RequestState.PUBLISHED
    ).select_related("request", "unit", "unit__organisation")
    for invitation in waiting.filter(reminded_at__isnull=True, request__quote_deadline__range=(today, soon)):
        with transaction.atomic():
            if not SupplierInvitation.objects.filter(pk=invitation.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            ):
                continue  # another worker sent it
            notify_users(
                members_of(invitation.unit.organisation),
                "reminder",
                in_both_languages(
                    gettext_lazy("Reminder: quotes for %(title)s close on %(deadline)s"),
                    title=invitation.request.title,
                    deadline=lambda invitation=invitation: format_date(invitation.request.quote_deadline),
                ),
                in_both_languages(
                    gettext_lazy("Quote or decline before the deadline so the buyer hears from you.")
                ),
                invitation.get_absolute_url(),
                sms=True,
            )
            reminded += 1
    overdue = waiting.filter(request__quote_deadline__lt=today, silence_reported_at__isnull=True)
    by_request: dict[int, list[SupplierInvitation]] = {}
    for invitation in overdue:
        by_request.setdefault(invitation.request_id, []).append(invitation)
    for invitations in by_request.values():
        request = invitations[0].request
        with transaction.atomic():
            ids = [invitation.pk for invitation in invitations]
            SupplierInvitation.objects.filter(pk__in=ids).update(
                state=InvitationState.EXPIRED, silence_reported_at=timezone.now()
            )
            names = "، ".join(invitation.unit.name for invitation in invitations)
            log_event(request, "sourcing.invitation.silent", {"units": names})
            notify_users(
                officers_of(request),
                "silence",
                in_both_languages(gettext_lazy("Silent suppliers on %(title)s"), title=request.title),
                in_both_languages(gettext_lazy("No answer before the deadline from: %(units)s"), units=names),
                request.get_absolute_url(),
            )
            silent += len(ids)
    return {"reminded": reminded, "silent": silent}
