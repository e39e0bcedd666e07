"""Requests: filing and editing them from cleaned values, moving them through ``REQUEST_TRANSITIONS``, the
buyer's consent to reveal its identity."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.accounts.acting import acting_company
from peyvand.core import limits, permissions
from peyvand.core.audit import log_event
from peyvand.core.audit import signed_in as _user
from peyvand.core.cleaned import refuse_others

from ..choices import REQUEST_TRANSITIONS, GapState, InvitationState, RequestState, Requirement
from ..models import GapTicket, RequestAttachment, RequestCertification, SourcingRequest, SupplierInvitation
from .people import in_both_languages, members_of, notify_users, officers_of
from .suggestions import request_suggestions

# Which permission each request move needs (the buyer submits; officers review and publish).
REQUEST_MOVE_ACTION: dict[str, str] = {
    RequestState.SUBMITTED: permissions.SUBMIT,
    RequestState.PUBLISHED: permissions.REVIEW,
    RequestState.DRAFT: permissions.REVIEW,
    RequestState.CLOSED: permissions.CHANGE,
    RequestState.CANCELLED: permissions.CHANGE,
}


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
# What else a caller may give: the certifications needed and an uploaded file (checked by the caller).
REQUEST_EXTRAS = ("must_have", "preferred", "attachment")


def save_request(request: SourcingRequest | None, values: Mapping[str, Any], *, by: Any) -> SourcingRequest:
    """File a request (``request`` is ``None``; ``values["buyer"]`` is the buyer) or edit one, from cleaned
    values: the page's form, the API and importers all call this. Keys left out keep their value; others
    are refused (``PermissionDenied``), ``buyer`` too once the request is filed.

    ``values`` may hold the fields of ``REQUEST_FIELDS`` and ``REQUEST_RELATIONS``, ``must_have`` and
    ``preferred`` (certifications) and ``attachment`` (an uploaded file, already checked)."""
    with transaction.atomic():
        return _save_request(request, values, by=by)


def _save_request(request: SourcingRequest | None, values: Mapping[str, Any], *, by: Any) -> SourcingRequest:
    creating = request is None
    refuse_others(
        values, (*REQUEST_FIELDS, *REQUEST_RELATIONS, *REQUEST_EXTRAS, *(("buyer",) if creating else ()))
    )
    before: SourcingRequest | None = None
    if request is None:
        request = _new_request(values, by=by)
    else:
        before = _stored_for_change(request, by=by)
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


def _new_request(values: Mapping[str, Any], *, by: Any) -> SourcingRequest:
    """A request not saved yet, for ``values["buyer"]``, brokered by the buyer's company (or the acting one)."""
    permissions.require(by, permissions.ADD, SourcingRequest)
    buyer = values.get("buyer")
    if buyer is None:
        raise ValidationError({"buyer": _("Choose the buyer this request is filed for.")})
    company_id = buyer.company_id or getattr(acting_company(by), "pk", None)
    if company_id is None:
        raise ValidationError(
            _("This buyer is not served by an estate company yet; ask the estate company to register it.")
        )
    request = SourcingRequest(buyer=buyer, created_by=_user(by))
    request.company_id = company_id
    return request


def _stored_for_change(request: SourcingRequest, *, by: Any) -> SourcingRequest:
    """The request as stored, once ``by`` may change it (a published one only the estate company may)."""
    permissions.require(by, permissions.CHANGE, request)
    before = SourcingRequest.objects.get(pk=request.pk)
    if before.state not in (RequestState.DRAFT, RequestState.SUBMITTED) and not permissions.can(
        by, permissions.REVIEW, request
    ):
        raise ValidationError(_("A published request can only be changed by the estate company."))
    return before


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
        notify_users(
            officers_of(locked),
            "request",
            in_both_languages(gettext_lazy("New request to review: %(title)s"), title=locked.title),
            in_both_languages(
                gettext_lazy("%(buyer)s submitted a sourcing request for review."), buyer=locked.buyer.name
            ),
            url,
        )
    elif to_state in (RequestState.PUBLISHED, RequestState.DRAFT):
        notify_users(
            members_of(locked.buyer),
            "request",
            in_both_languages(gettext_lazy("Your request was published: %(title)s"), title=locked.title)
            if to_state == RequestState.PUBLISHED
            else in_both_languages(
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
    from ..choices import Confidentiality

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
