"""Every write of the bridge: permission-checked, atomic, on the timeline, with notifications.

Two workflows have one rule book each: ``REQUEST_TRANSITIONS`` (enforced by ``move_request``) and
``LINKAGE_TRANSITIONS`` (enforced by ``move_linkage``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.accounts.acting import acting_company
from peyvand.core import limits, permissions
from peyvand.core.audit import log_event
from peyvand.core.audit import signed_in as _user
from peyvand.core.jalali import format_date
from peyvand.units.choices import PRODUCING
from peyvand.units.models import ProductionUnit

from .choices import (
    ANSWERED,
    LINKAGE_TRANSITIONS,
    REQUEST_TRANSITIONS,
    STAGE_FIELDS,
    GapState,
    InvitationState,
    LinkageStage,
    RequestState,
    Requirement,
)
from .models import (
    GapTicket,
    Linkage,
    LinkageStep,
    Match,
    RequestAttachment,
    RequestCertification,
    SourcingRequest,
    SupplierInvitation,
)

logger = logging.getLogger(__name__)

# Which permission each request move needs (the buyer submits; officers review and publish).
REQUEST_MOVE_ACTION = {
    RequestState.SUBMITTED: permissions.SUBMIT,
    RequestState.PUBLISHED: permissions.REVIEW,
    RequestState.DRAFT: permissions.REVIEW,
    RequestState.CLOSED: permissions.CHANGE,
    RequestState.CANCELLED: permissions.CHANGE,
}


def _notify(users: Any, kind: str, title: Any, body: Any, url: str, sms: bool = False) -> None:
    from peyvand.notifications.services import notify

    notify(users, kind, title=title, body=body, url=url, sms=sms)


def _in_both_languages(message: Any, **values: Any) -> tuple[str, str]:
    """A lazy message in Persian and English (notifications are stored in both languages)."""
    from peyvand.notifications.services import bilingual

    return bilingual(message, **values)


def officers_of(request: SourcingRequest) -> list[Any]:
    """The linkage officers (and managers) of the estate company brokering ``request``."""
    from peyvand.accounts.models import User

    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation=request.company,
            memberships__role__in=["linkage_officer", "manager"],
        ).distinct()
    )


def members_of(organisation: Any) -> list[Any]:
    if organisation is None:
        return []
    return [
        membership.user
        for membership in organisation.memberships.select_related("user")
        if membership.user.is_active
    ]


# --- requests -------------------------------------------------------------------------------------
def can_move(request: SourcingRequest, user: Any, to_state: str) -> bool:
    if to_state not in REQUEST_TRANSITIONS.get(request.state, frozenset()):
        return False
    action = REQUEST_MOVE_ACTION[to_state]
    if to_state == RequestState.SUBMITTED:
        return permissions.can(user, permissions.SUBMIT, request) or permissions.can(
            user, permissions.REVIEW, request
        )
    return permissions.can(user, action, request)


# The request's own fields a caller may set (the buyer only when filing; company and state never).
REQUEST_FIELDS = (
    "title",
    "text",
    "lang",
    "hs_code",
    "quantity",
    "quantity_unit",
    "target_price_rial",
    "quote_deadline",
    "delivery_from",
    "delivery_to",
    "confidentiality",
    "buyer_may_invite",
)
REQUEST_RELATIONS = ("capabilities", "preferred_counties")


def save_request(request: SourcingRequest | None, values: Mapping[str, Any], *, by: Any) -> SourcingRequest:
    """File a request (``request`` is ``None``; ``values["buyer"]`` is the buyer) or edit one, from cleaned
    values: the page's form, the API and importers all call this. Keys left out keep their value.

    ``values`` may hold the fields of ``REQUEST_FIELDS`` and ``REQUEST_RELATIONS``, ``must_have`` and
    ``preferred`` (certifications) and ``attachment`` (an uploaded file, already checked)."""
    with transaction.atomic():
        return _save_request(request, values, by=by)


def _save_request(request: SourcingRequest | None, values: Mapping[str, Any], *, by: Any) -> SourcingRequest:
    creating = request is None
    if creating:
        permissions.require(by, permissions.ADD, SourcingRequest)
        buyer = values.get("buyer")
        if buyer is None:
            raise ValidationError({"buyer": _("Choose the buyer this request is filed for.")})
        request = SourcingRequest(buyer=buyer, created_by=_user(by))
        request.company_id = buyer.company_id or getattr(acting_company(by), "pk", None)
        if request.company_id is None:
            raise ValidationError(
                _("This buyer is not served by an estate company yet; ask the estate company to register it.")
            )
        before = None
    else:
        permissions.require(by, permissions.CHANGE, request)
        before = SourcingRequest.objects.get(pk=request.pk)
        if before.state not in (RequestState.DRAFT, RequestState.SUBMITTED) and not permissions.can(
            by, permissions.REVIEW, request
        ):
            raise ValidationError(_("A published request can only be changed by the estate company."))
    permissions.require(by, permissions.ADD if creating else permissions.CHANGE, request)
    # compared with the stored row: a ModelForm has already copied its values onto ``request``
    stored = before if before is not None else request
    changed = [name for name in REQUEST_FIELDS if name in values and getattr(stored, name) != values[name]]
    for name in changed:
        setattr(request, name, values[name])
    if (
        before is not None
        and "confidentiality" in changed
        and before.state not in (RequestState.DRAFT, RequestState.SUBMITTED)
        and loosens(before, request.confidentiality)
    ):
        raise ValidationError(
            _(
                "Once a request is published its confidentiality can only be tightened; only the buyer can reveal its identity, by consenting on the request's page."
            )
        )
    request.full_clean(exclude=["buyer", "company", "created_by"])
    request.save()
    for name in REQUEST_RELATIONS:
        if name in values:
            getattr(request, name).set(values[name] or [])
            changed.append(name)
    if "must_have" in values or "preferred" in values:
        _set_certification_needs(request, values.get("must_have") or [], values.get("preferred") or [])
        changed.extend(name for name in ("must_have", "preferred") if name in values)
    upload = values.get("attachment")
    if upload:
        RequestAttachment.objects.create(
            request=request, file=upload, name=upload.name[:200], uploaded_by=_user(by)
        )
        changed.append("attachment")
    log_event(
        request,
        "sourcing.request.created" if creating else "sourcing.request.updated",
        {"title": request.title, "fields": changed},
        actor=_user(by),
    )
    return request


def _set_certification_needs(
    request: SourcingRequest, must_have: Iterable[Any], preferred: Iterable[Any]
) -> None:
    must_have, preferred = list(must_have), list(preferred)
    if set(must_have) & set(preferred):
        raise ValidationError({"preferred": _("A certification is either a must or a preference, not both.")})
    RequestCertification.objects.filter(request=request).delete()
    RequestCertification.objects.bulk_create(
        RequestCertification(request=request, certification=certification, requirement=requirement)
        for requirement, chosen in ((Requirement.MUST_HAVE, must_have), (Requirement.PREFERRED, preferred))
        for certification in chosen
    )


@transaction.atomic
def move_request(request: SourcingRequest, to_state: str, *, by: Any, note: str = "") -> SourcingRequest:
    """Move a request along draft → submitted → published → closed | cancelled (one table, one place)."""
    locked = SourcingRequest.objects.select_for_update().get(pk=request.pk)
    if to_state not in REQUEST_TRANSITIONS.get(locked.state, frozenset()):
        raise ValidationError(
            _("A request cannot go from “%(from)s” to “%(to)s”.")
            % {"from": RequestState(locked.state).label, "to": RequestState(to_state).label}
        )
    if not can_move(locked, by, to_state):
        raise PermissionDenied
    if len(note) > limits.NOTE_LENGTH:
        raise ValidationError(
            _("The note is %(length)d characters long; at most %(max)d fit.")
            % {"length": len(note), "max": limits.NOTE_LENGTH}
        )
    if to_state == RequestState.PUBLISHED and locked.quote_deadline < timezone.localdate():
        raise ValidationError(_("The deadline for quotes has passed; set a new deadline before publishing."))
    from_state = locked.state
    locked.state = to_state
    if to_state == RequestState.PUBLISHED:
        locked.published_at = timezone.now()
    locked.save(update_fields=["state", "published_at", "updated_at"])
    log_event(
        locked,
        f"sourcing.request.{to_state}",
        {"from": from_state, "to": to_state, "note": note},
        actor=_user(by),
    )
    url = locked.get_absolute_url()
    if to_state == RequestState.SUBMITTED:
        _notify(
            officers_of(locked),
            "request",
            _in_both_languages(gettext_lazy("New request to review: %(title)s"), title=locked.title),
            _in_both_languages(
                gettext_lazy("%(buyer)s submitted a sourcing request for review."), buyer=locked.buyer.name
            ),
            url,
        )
    elif to_state in (RequestState.PUBLISHED, RequestState.DRAFT):
        _notify(
            members_of(locked.buyer),
            "request",
            _in_both_languages(gettext_lazy("Your request was published: %(title)s"), title=locked.title)
            if to_state == RequestState.PUBLISHED
            else _in_both_languages(
                gettext_lazy("Your request was returned for changes: %(title)s"), title=locked.title
            ),
            note or "—",
            url,
        )
    if to_state == RequestState.PUBLISHED:
        # Ranked by a job once this transaction (and its row lock) is over; the page shows its progress.
        request_suggestions(locked, by=by, check_permission=False)
    if to_state in (RequestState.CLOSED, RequestState.CANCELLED):
        GapTicket.objects.filter(request=locked).exclude(state=GapState.RESOLVED).update(
            state=GapState.RESOLVED, resolved_at=timezone.now()
        )
        SupplierInvitation.objects.filter(
            request=locked, state__in=[InvitationState.INVITED, InvitationState.OPENED]
        ).update(state=InvitationState.EXPIRED)
    request.state = locked.state
    return locked


def loosens(before: SourcingRequest, confidentiality: str) -> bool:
    """Whether moving ``before`` to ``confidentiality`` shows more: the buyer to suppliers, or the request
    to suppliers who were not invited."""
    from .choices import Confidentiality

    hidden_buyer = before.confidentiality == Confidentiality.ANONYMOUS_BUYER and not before.buyer_consented
    reveals_buyer = hidden_buyer and confidentiality != Confidentiality.ANONYMOUS_BUYER
    reveals_request = (
        before.confidentiality == Confidentiality.INVITED_ONLY
        and confidentiality != Confidentiality.INVITED_ONLY
    )
    return reveals_buyer or reveals_request


def may_consent(user: Any, request: SourcingRequest) -> bool:
    """Only an admin of the buyer — never someone who also holds a staff role — reveals the buyer."""
    if permissions.is_staff_member(user):
        return False
    return any(
        kind == "buyer" and role == "admin" and org_id == request.buyer_id
        for kind, role, org_id in permissions.memberships(user)
    )


@transaction.atomic
def consent_to_reveal(request: SourcingRequest, *, by: Any) -> None:
    """The buyer agrees that suppliers may know who it is (and it sees who they are)."""
    permissions.require(by, permissions.CHANGE, request)
    if not may_consent(by, request):
        raise PermissionDenied
    SourcingRequest.objects.filter(pk=request.pk).update(buyer_consented=True)
    request.buyer_consented = True
    log_event(request, "sourcing.request.identity_revealed", {}, actor=_user(by))


# --- suggestions and gaps -------------------------------------------------------------------------
def qualified(unit: ProductionUnit, capability_ids: set[int], must_have_ids: set[int]) -> bool:
    """VOCABULARY.md: operating or semi-active, every capability needed, every must-have certificate."""
    unit_capabilities = {capability.pk for capability in unit.capabilities.all()}
    unit_certifications = {certification.pk for certification in unit.certifications.all()}
    return (
        unit.status in PRODUCING
        and capability_ids <= unit_capabilities
        and must_have_ids <= unit_certifications
    )


def needed_capabilities(request: SourcingRequest) -> tuple[set[int], str]:
    """What the request really requires, and where that was read: its capability tags (``"tags"``);
    without tags, what the engine's tagger reads in the text (``"text"``) — the capabilities its title
    names (what is bought), else the strongest one in its text (packing, tests and uses mentioned
    beside it are not what is bought); or nothing (``""``): no gap is judged until an officer tags it."""
    tagged = {capability.pk for capability in request.capabilities.all()}
    if tagged:
        return tagged, "tags"
    from peyvand.taxonomy.services import suggest as capabilities_in

    found = capabilities_in(request.title) or capabilities_in(request.title, request.text)[:1]
    return {capability.pk for capability in found}, "text" if found else ""


def qualified_units(request: SourcingRequest, capability_ids: set[int] | None = None) -> list[ProductionUnit]:
    """Every qualified supplier in the registry (not only among the suggestions)."""
    if capability_ids is None:
        capability_ids, _source = needed_capabilities(request)
    must = set(
        request.certification_needs.filter(requirement=Requirement.MUST_HAVE).values_list(
            "certification_id", flat=True
        )
    )
    if not capability_ids:
        return []
    units = ProductionUnit.objects.filter(status__in=PRODUCING)
    for capability_id in capability_ids:
        units = units.filter(capabilities=capability_id)
    for certification_id in must:
        units = units.filter(certifications=certification_id)
    return list(units.distinct())


# Suggestions asked for this long ago and still not ranked were lost by the job queue: ask again.
SUGGESTION_TIMEOUT = dt.timedelta(minutes=30)


def request_suggestions(request: SourcingRequest, *, by: Any, check_permission: bool = True) -> bool:
    """Queue the ranking of ``request``'s suppliers (a job, after the caller's transaction commits).

    False when a ranking is already waiting or running for it (a double click queues one job).
    """
    from .choices import PREPARING_SUGGESTIONS, SuggestionState

    if check_permission and not permissions.can(by, permissions.BROKER, request):
        raise PermissionDenied
    now = timezone.now()
    queued = (
        SourcingRequest.objects.filter(pk=request.pk)
        .exclude(
            suggestion_state__in=PREPARING_SUGGESTIONS, suggestion_requested_at__gte=now - SUGGESTION_TIMEOUT
        )
        .update(suggestion_state=SuggestionState.PENDING, suggestion_requested_at=now)
    )
    if not queued:
        return False
    request.suggestion_state, request.suggestion_requested_at = SuggestionState.PENDING, now
    user_id = getattr(_user(by), "pk", None)

    def enqueue() -> None:
        from .tasks import suggest_suppliers

        try:
            suggest_suppliers.enqueue(request.pk, user_id)
        except Exception:  # say so on the page (it stops waiting) instead of waiting for ever
            logger.exception("suggesting suppliers for request %s could not be queued", request.pk)
            SourcingRequest.objects.filter(pk=request.pk).update(suggestion_state=SuggestionState.FAILED)

    transaction.on_commit(enqueue)
    return True


def suggest(request: SourcingRequest, *, by: Any = None, top: int = 30) -> list[Match]:
    """Rank every eligible unit for ``request`` and store the result as Match rows (replacing the last).

    Runs in the job worker (``tasks.suggest_suppliers``) or a command: the ranking itself runs outside
    any transaction; only storing its result is one short transaction.
    """
    from peyvand.matching.ranking import rank

    from . import engine

    if by is not None and not permissions.can(by, permissions.BROKER, request):
        raise PermissionDenied
    results = rank(engine.current_index(build_if_missing=True), engine.request_query(request), top=top)
    with transaction.atomic():
        return _store_suggestions(request, results, by=by)


def _store_suggestions(request: SourcingRequest, results: Any, *, by: Any) -> list[Match]:
    from .choices import SuggestionState

    unit_ids = [int(result.profile_id) for result in results]
    units = {
        unit.pk: unit
        for unit in ProductionUnit.objects.filter(pk__in=unit_ids, status__in=PRODUCING).prefetch_related(
            "capabilities", "certifications"
        )
    }
    capability_ids, _source = needed_capabilities(request)
    must = set(
        request.certification_needs.filter(requirement=Requirement.MUST_HAVE).values_list(
            "certification_id", flat=True
        )
    )
    Match.objects.filter(request=request).delete()
    matches = []
    for result in results:
        unit = units.get(int(result.profile_id))
        if unit is None:  # the index is older than the registry: a unit stopped producing meanwhile
            continue
        matches.append(
            Match(
                request=request,
                unit=unit,
                rank=len(matches) + 1,
                score=round(float(result.score), 4),
                reasons_fa=list(result.reasons_fa),
                reasons_en=list(result.reasons_en),
                matched_capabilities=list(result.matched_concepts),
                qualified=bool(capability_ids) and qualified(unit, capability_ids, must),
            )
        )
    Match.objects.bulk_create(matches)
    SourcingRequest.objects.filter(pk=request.pk).update(
        suggested_at=timezone.now(), suggestion_state=SuggestionState.READY
    )
    log_event(request, "sourcing.request.suggested", {"suppliers": len(matches)}, actor=_user(by))
    review_gap(request)
    return matches


def review_gap(request: SourcingRequest) -> GapTicket | None:
    """Open, update or resolve the request's gap ticket from the count of qualified suppliers.

    A gap is judged only against what the request requires (``needed_capabilities``): a request whose
    needs are unknown opens none ("0 qualified, nothing missing" would be a false gap).
    """
    needed = settings.PEYVAND_GAP_MIN_SUPPLIERS
    capability_ids, _source = needed_capabilities(request)
    gap = GapTicket.objects.filter(request=request).first()
    if not capability_ids:
        return gap
    found = len(qualified_units(request, capability_ids))
    if found >= needed:
        if gap and gap.state != GapState.RESOLVED:
            gap.state, gap.resolved_at, gap.qualified_count = GapState.RESOLVED, timezone.now(), found
            gap.save(update_fields=["state", "resolved_at", "qualified_count"])
            log_event(request, "sourcing.gap.resolved", {"qualified": found})
        return gap
    missing = _missing_capabilities(capability_ids)
    if gap is None:
        gap = GapTicket.objects.create(
            request=request, company=request.company, qualified_count=found, needed_count=needed
        )
        log_event(request, "sourcing.gap.opened", {"qualified": found, "needed": needed})
    else:
        gap.qualified_count, gap.needed_count = found, needed
        if gap.state == GapState.RESOLVED:
            gap.state, gap.resolved_at = GapState.OPEN, None
        gap.save(update_fields=["qualified_count", "needed_count", "state", "resolved_at"])
    gap.missing.set(missing)
    return gap


def _missing_capabilities(capability_ids: set[int]) -> list[int]:
    """The needed capabilities too few producing units hold (all of them when none is rare)."""
    needed = settings.PEYVAND_GAP_MIN_SUPPLIERS
    missing = []
    for capability_id in sorted(capability_ids):
        holders = ProductionUnit.objects.filter(status__in=PRODUCING, capabilities=capability_id).count()
        if holders < needed:
            missing.append(capability_id)
    return missing or sorted(capability_ids)


def flag_gaps_for_unit(unit: ProductionUnit) -> list[GapTicket]:
    """A new or edited profile that now qualifies for an open gap flags it for re-matching."""
    if unit.status not in PRODUCING:
        return []
    unit_capabilities = set(unit.capabilities.values_list("pk", flat=True))
    unit_certifications = set(unit.certifications.values_list("pk", flat=True))
    flagged = []
    gaps = (
        GapTicket.objects.filter(state=GapState.OPEN)
        .select_related("request")
        .prefetch_related("request__capabilities", "request__certification_needs")
    )
    for gap in gaps:
        needed, _source = needed_capabilities(gap.request)
        must = {
            need.certification_id
            for need in gap.request.certification_needs.all()
            if need.requirement == Requirement.MUST_HAVE
        }
        if needed and needed <= unit_capabilities and must <= unit_certifications:
            gap.state, gap.flagged_unit, gap.flagged_at = GapState.REMATCH, unit, timezone.now()
            gap.save(update_fields=["state", "flagged_unit", "flagged_at"])
            log_event(gap.request, "sourcing.gap.flagged", {"unit": unit.name})
            _notify(
                officers_of(gap.request),
                "gap_rematch",
                _in_both_languages(
                    gettext_lazy("A supplier may now fill a gap: %(title)s"), title=gap.request.title
                ),
                _in_both_languages(
                    gettext_lazy("%(unit)s now has every capability this request needs."), unit=unit.name
                ),
                gap.request.get_absolute_url(),
            )
            flagged.append(gap)
    return flagged


# --- invitations and responses --------------------------------------------------------------------
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
        _notify(
            members_of(unit.organisation),
            "invitation",
            _in_both_languages(gettext_lazy("Invitation to quote: %(title)s"), title=request.title),
            _in_both_languages(
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
    from .confidentiality import suppliers_visible_to_buyer

    supplier = locked.unit.name if suppliers_visible_to_buyer(request) else (lambda: _("a supplier"))
    title = (
        _in_both_languages(gettext_lazy("New quote on %(title)s"), title=request.title)
        if quote
        else _in_both_languages(gettext_lazy("A supplier declined: %(title)s"), title=request.title)
    )
    _notify(
        officers_of(request),
        "response",
        title,
        _in_both_languages(gettext_lazy("%(supplier)s answered."), supplier=locked.unit.name),
        request.get_absolute_url(),
    )
    if quote:
        _notify(
            members_of(request.buyer),
            "response",
            title,
            _in_both_languages(gettext_lazy("%(supplier)s answered."), supplier=supplier),
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
            _notify(
                members_of(invitation.unit.organisation),
                "reminder",
                _in_both_languages(
                    gettext_lazy("Reminder: quotes for %(title)s close on %(deadline)s"),
                    title=invitation.request.title,
                    deadline=lambda invitation=invitation: format_date(invitation.request.quote_deadline),
                ),
                _in_both_languages(
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
            _notify(
                officers_of(request),
                "silence",
                _in_both_languages(gettext_lazy("Silent suppliers on %(title)s"), title=request.title),
                _in_both_languages(
                    gettext_lazy("No answer before the deadline from: %(units)s"), units=names
                ),
                request.get_absolute_url(),
            )
            silent += len(ids)
    return {"reminded": reminded, "silent": silent}


# --- the linkage ledger ---------------------------------------------------------------------------
@transaction.atomic
def start_linkage(
    request: SourcingRequest, unit: ProductionUnit, *, by: Any, source: str, on: dt.date | None = None
) -> Linkage:
    """An officer puts the buyer and a supplier in touch: the ledger's first row."""
    permissions.require(by, permissions.BROKER, request)
    if request.state not in (RequestState.PUBLISHED, RequestState.CLOSED):
        raise ValidationError(_("Buyers and suppliers are put in touch on published requests only."))
    if not request.buyer_revealed:
        raise ValidationError(
            _(
                "The buyer has not yet agreed to reveal its identity; ask it to consent before putting them in touch."
            )
        )
    if unit.status not in PRODUCING:
        raise ValidationError(_("%(unit)s is not in production.") % {"unit": unit.name})
    if Linkage.objects.filter(request=request, unit=unit).exists():
        raise ValidationError(_("This buyer and supplier are already linked for this request."))
    on = on or timezone.localdate()
    try:
        with transaction.atomic():
            return _create_linkage(request, unit, by=by, source=source, on=on)
    except IntegrityError:  # two officers clicked at once
        raise ValidationError(_("This buyer and supplier are already linked for this request.")) from None


def _create_linkage(
    request: SourcingRequest, unit: ProductionUnit, *, by: Any, source: str, on: dt.date
) -> Linkage:
    linkage = Linkage.objects.create(
        request=request,
        company=request.company,
        buyer=request.buyer,
        unit=unit,
        source=source,
        stage=LinkageStage.INTRODUCED,
        stage_date=on,
        introduced_on=on,
        quantity=request.quantity,
        quantity_unit=request.quantity_unit,
        created_by=_user(by),
    )
    LinkageStep.objects.create(
        linkage=linkage, from_stage="", to_stage=LinkageStage.INTRODUCED, date=on, by=_user(by)
    )
    log_event(linkage, "sourcing.linkage.introduced", {"source": source, "unit": unit.name}, actor=_user(by))
    log_event(request, "sourcing.linkage.introduced", {"source": source, "unit": unit.name}, actor=_user(by))
    _notify(
        members_of(unit.organisation) + members_of(request.buyer),
        "linkage",
        _in_both_languages(gettext_lazy("You were put in touch: %(title)s"), title=request.title),
        _in_both_languages(
            gettext_lazy(
                "The estate company introduced the buyer and the supplier; it will follow up with both."
            )
        ),
        linkage.get_absolute_url(),
    )
    return linkage


def _check_move(
    locked: Linkage, to_stage: str, date: dt.date, lost_reason: str, expected_last_step: int | None
) -> None:
    """Refuse a move the ledger does not allow: stale form, forbidden stage, bad date, lost without why."""
    if expected_last_step is not None:
        last = locked.steps.order_by("-id").values_list("id", flat=True).first()
        if last != expected_last_step:
            raise ValidationError(
                _("This linkage changed since you opened it; check its steps and try again.")
            )
    if to_stage not in LINKAGE_TRANSITIONS.get(locked.stage, frozenset()):
        raise ValidationError(
            _("A linkage cannot go from “%(from)s” to “%(to)s”.")
            % {"from": LinkageStage(locked.stage).label, "to": LinkageStage(to_stage).label}
        )
    if date < locked.stage_date:
        raise ValidationError(
            _("The date cannot be before the current stage began (%(since)s).")
            % {"since": format_date(locked.stage_date)}
        )
    if date > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    if to_stage == LinkageStage.LOST and not lost_reason:
        raise ValidationError(_("Say why the linkage was lost."))


def _stage_values(
    locked: Linkage, to_stage: str, values: dict[str, Any], date: dt.date, note: str
) -> dict[str, Any]:
    """The values the stage records (``STAGE_FIELDS``), checked against the ledger's limits."""
    values = {
        key: value
        for key, value in values.items()
        if key in STAGE_FIELDS[to_stage] and value not in (None, "")
    }
    values = limits.check_values(Linkage, **values)
    limits.check_values(LinkageStep, date=date, note=note)
    if (
        to_stage == LinkageStage.CONTRACT_SIGNED
        and not values.get("contract_value_rial")
        and not locked.contract_value_rial
    ):
        raise ValidationError(_("Record the contract value when the contract is signed."))
    return values


def _record_values(locked: Linkage, to_stage: str, values: dict[str, Any]) -> None:
    """Write the stage's values on the linkage; a repeat order adds to the contracted value."""
    for key, value in values.items():
        if to_stage == LinkageStage.REPEAT_ORDER and key in ("contract_value_rial", "contract_value_usd"):
            value = (getattr(locked, key) or 0) + value
        setattr(locked, key, value)
    if to_stage == LinkageStage.REPEAT_ORDER:  # the sum of the orders must still fit the ledger
        limits.check_values(
            Linkage,
            **{
                key: getattr(locked, key)
                for key in ("contract_value_rial", "contract_value_usd")
                if key in values
            },
        )


@transaction.atomic
def move_linkage(
    linkage: Linkage,
    to_stage: str,
    *,
    date: dt.date,
    by: Any,
    values: dict[str, Any] | None = None,
    note: str = "",
    lost_reason: str = "",
    expected_last_step: int | None = None,
) -> LinkageStep:
    """Move a linkage one step along the ledger, recording what that stage knows (one table, one place).

    ``expected_last_step`` (the id of the last step when the form was shown) turns a double submit into
    an error instead of a second repeat order.
    """
    permissions.require(by, permissions.BROKER, linkage)
    locked = Linkage.objects.select_for_update().get(pk=linkage.pk)
    _check_move(locked, to_stage, date, lost_reason, expected_last_step)
    values = _stage_values(locked, to_stage, values or {}, date, note)
    step = LinkageStep.objects.create(
        linkage=locked,
        from_stage=locked.stage,
        to_stage=to_stage,
        date=date,
        values={key: str(value) for key, value in values.items()},
        note=note,
        by=_user(by),
    )
    _record_values(locked, to_stage, values)
    locked.stage, locked.stage_date = to_stage, date
    if to_stage == LinkageStage.LOST:
        locked.lost_reason = lost_reason
    locked.save()
    data = {"from": step.from_stage, "to": to_stage, "date": date.isoformat(), **step.values}
    log_event(locked, "sourcing.linkage.moved", data, actor=_user(by))
    if locked.request_id:
        log_event(
            locked.request, "sourcing.linkage.moved", {**data, "unit": locked.unit.name}, actor=_user(by)
        )
    linkage.stage, linkage.stage_date = locked.stage, locked.stage_date
    return step
