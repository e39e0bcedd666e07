"""Every write to units goes through here: permission check, one transaction, audit event.

The life cycle has one rule book (``choices.TRANSITIONS``) and one enforcer (``change_status``). A unit's
``status`` is written only together with the ``StatusChange`` it comes from — here, by the units and
history importers (which check each move with ``check_move``, the rules ``register_unit`` and
``change_status`` ask) and by a merge (from the merged history) — so it always equals the last
``StatusChange``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.core import limits, permissions, validators
from peyvand.core.audit import log_event
from peyvand.core.audit import signed_in as _user
from peyvand.core.jalali import format_date
from peyvand.matching.text import fold

from .choices import TRANSITIONS, ClaimState, StatusCause, UnitStatus
from .models import ClaimRequest, ProductionUnit, StatusChange

logger = logging.getLogger(__name__)


# --- "These units changed": the one call every writer makes ------------------------------------------
# Apps that act on unit changes register a follower in their AppConfig.ready; the units app knows nothing
# of them. Not plumbing only: the bridge refreshes its matching index and gap tickets, and the clinic
# applies a business rule (a return to production or a closure ends the unit's open case). So it is an
# explicit call every writer makes inside its transaction, run after commit — never a model signal.
UnitsFollower = Callable[[list[int], str], Any]
_followers: list[UnitsFollower] = []


def follow_unit_changes(follower: UnitsFollower) -> None:
    """Call ``follower(unit_ids, reason)`` (in a background job) after units change."""
    if follower not in _followers:
        _followers.append(follower)


def units_changed(unit_ids: Iterable[int | None], *, reason: str) -> None:
    """Say that these units' profiles, products, tags or statuses changed.

    Every writer calls it — forms, status changes (also those written with ``.update()``), merges,
    imports, the admin, the API — inside its transaction. Once that transaction commits, one background
    job tells the followers (the matching index is refreshed, open gaps are re-checked); nothing runs
    while the writer's transaction and its row locks are held, and nothing is said about a rollback.
    """
    ids = sorted({int(unit_id) for unit_id in unit_ids if unit_id})
    if not ids:
        return

    def enqueue() -> None:
        from .tasks import tell_followers

        try:
            tell_followers.enqueue(ids, reason)
        except Exception:  # the write stands; the next change refreshes the index
            logger.exception("could not queue the follow-up of %s changed units (%s)", len(ids), reason)

    transaction.on_commit(enqueue)


def notify_followers(unit_ids: list[int], reason: str) -> None:
    """What the job does: each follower in turn; one failing does not stop the others."""
    for follower in list(_followers):
        try:
            follower(unit_ids, reason)
        except Exception:
            logger.exception("follower %s failed for %s changed units", follower, len(unit_ids))


def allowed_next(status: str) -> list[str]:
    """Statuses a unit in ``status`` may move to, in the order of the life cycle."""
    targets = TRANSITIONS.get(status, frozenset())
    return [value for value in UnitStatus.values if value in targets]


# The codes, read once: an enum's ``values`` builds a new list at each call (an import asks per row).
_STATUS_CODES = frozenset(UnitStatus.values)
_CAUSE_CODES = frozenset(StatusCause.values)


def check_transition(from_status: str | None, to_status: str) -> None:
    """Raise ``ValidationError`` when the table does not allow ``from_status → to_status``."""
    if to_status not in _STATUS_CODES:
        raise ValidationError(
            _("“%(status)s” is not a life-cycle status.") % {"status": to_status}, code="unknown"
        )
    if from_status is None:
        return
    if to_status not in TRANSITIONS.get(from_status, frozenset()):
        raise ValidationError(
            _("A unit cannot go from “%(from)s” to “%(to)s”.")
            % {"from": UnitStatus(from_status).label, "to": UnitStatus(to_status).label},
            code="transition",
        )


def check_move(
    from_status: str | None,
    to_status: str,
    *,
    date: dt.date,
    cause: str,
    since: dt.date | None,
    today: dt.date | None = None,
) -> None:
    """The rules of one dated record of a unit's history (the first one has no ``from_status``):
    the transition table, a cause (the initial one only first), never in the future, never before the
    status it leaves began. ``register_unit``, ``change_status`` and ``build_histories`` all ask here."""
    check_transition(from_status, to_status)
    first = from_status is None
    if cause not in _CAUSE_CODES or (not first and cause == StatusCause.INITIAL):
        raise ValidationError(_("Choose the cause of this change."), code="cause")
    if date > (today or timezone.localdate()):
        raise ValidationError(_("The date cannot be in the future."), code="future")
    if since and date < since:
        raise ValidationError(
            _("The date cannot be before the current status began (%(since)s).")
            % {"since": format_date(since)},
            code="order",
        )


Move = tuple[str | None, str, dt.date, str]  # (from, to, date, cause), as a history is written down


def build_histories(
    histories: Iterable[tuple[ProductionUnit, Sequence[Move]]],
    *,
    by: Any = None,
    today: dt.date | None = None,
) -> list[StatusChange]:
    """Whole histories at once (the demo data, bulk loads): each move checked by ``check_move`` in
    order, each unit's ``status`` and ``status_since`` set from its last record. Returns the records
    for the caller to write in bulk, once the units have their keys."""
    records: list[StatusChange] = []
    for unit, moves in histories:
        if not moves:
            raise ValidationError(_("A unit's history starts with its initial record."), code="empty")
        status: str | None = None
        since: dt.date | None = None
        for from_status, to_status, date, cause in moves:
            if from_status != status:
                raise ValidationError(
                    _(
                        "The history of %(unit)s is broken: a record leaves “%(from)s” but the unit was “%(was)s”."
                    )
                    % {"unit": unit.name, "from": from_status or "—", "was": status or "—"},
                    code="chain",
                )
            check_move(status, to_status, date=date, cause=cause, since=since, today=today)
            records.append(
                StatusChange(
                    unit=unit, from_status=status, to_status=to_status, date=date, cause=cause, by=_user(by)
                )
            )
            status, since = to_status, date
        unit.status, unit.status_since = status, since
    return records


def refresh_search_text(unit: ProductionUnit) -> None:
    """Recompute the folded search text after products change (name and description are folded on save)."""
    unit.search_text = fold(unit.search_source())
    unit.private_search_text = fold(unit.private_search_source())
    ProductionUnit.objects.filter(pk=unit.pk).update(
        search_text=unit.search_text, private_search_text=unit.private_search_text
    )


@transaction.atomic
def register_unit(
    unit: ProductionUnit,
    *,
    status: str,
    since: dt.date,
    by: Any,
    cause: str = StatusCause.INITIAL,
    note: str = "",
    check_permission: bool = True,
) -> ProductionUnit:
    """Create ``unit`` with the initial record of its history (from: none)."""
    if check_permission:
        permissions.require(by, permissions.ADD, ProductionUnit)
        permissions.require(by, permissions.CHANGE, unit.estate)
    check_move(None, status, date=since, cause=cause, since=None)
    limits.check_values(StatusChange, date=since, note=note)
    for name, value in clean_profile_values({name: getattr(unit, name) for name in FIELD_RULES}).items():
        setattr(unit, name, value)
    unit.status = status
    unit.status_since = since
    unit.save()
    StatusChange.objects.create(
        unit=unit, from_status=None, to_status=status, date=since, cause=cause, note=note, by=_user(by)
    )
    log_event(unit, "units.unit.registered", {"status": status, "since": since.isoformat()}, actor=_user(by))
    units_changed([unit.pk], reason="registered")
    return unit


@transaction.atomic
def change_status(
    unit: ProductionUnit,
    to_status: str,
    *,
    date: dt.date,
    cause: str,
    by: Any,
    note: str = "",
    check_permission: bool = True,
) -> StatusChange:
    """Move ``unit`` along its life cycle, dated, with a cause; the one place status changes."""
    if check_permission:
        permissions.require(by, permissions.CHANGE_STATUS, unit)
    locked = ProductionUnit.objects.select_for_update().get(pk=unit.pk)
    check_move(locked.status, to_status, date=date, cause=cause, since=locked.status_since)
    limits.check_values(StatusChange, date=date, note=note)
    change = StatusChange.objects.create(
        unit=locked,
        from_status=locked.status,
        to_status=to_status,
        date=date,
        cause=cause,
        note=note,
        by=_user(by),
    )
    ProductionUnit.objects.filter(pk=locked.pk).update(status=to_status, status_since=date)
    unit.status, unit.status_since = to_status, date
    log_event(
        unit,
        "units.status.changed",
        {"from": change.from_status, "to": to_status, "date": date.isoformat(), "cause": cause, "note": note},
        actor=_user(by),
    )
    units_changed([unit.pk], reason="status changed")
    return change


# What each side edits on a unit's profile: its representatives their own profile, staff the registry too.
REPRESENTATIVE_FIELDS = (
    "name_en",
    "contact_person",
    "phone",
    "email",
    "website",
    "employees",
    "capacity",
    "description",
    "description_en",
    "certifications",
    "capabilities",
)
STAFF_FIELDS = (
    "name",
    "legal_name",
    "national_id",
    "licence_number",
    "estate",
    "plot",
    "isic",
    "export_oriented",
    "knowledge_based",
    *REPRESENTATIVE_FIELDS,
)
_RELATIONS = ("certifications", "capabilities")

# Profile fields with a rule of their own: the form, the importer, the API and ``update_profile`` clean
# them with these same functions, so a bad value gets the same message through every door.
FIELD_RULES: dict[str, Callable[[Any], Any]] = {
    "national_id": validators.clean_national_id,
    "email": validators.clean_email,
    "website": validators.clean_website,
}


def clean_profile_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with each field that has a rule cleaned by it; a ValidationError names every field refused."""
    cleaned, errors = dict(values), {}
    for name, rule in FIELD_RULES.items():
        if name in cleaned:
            try:
                cleaned[name] = rule(cleaned[name])
            except ValidationError as error:
                errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


PRODUCT_FIELDS = ("name", "name_en", "hs", "tariff_line", "annual_capacity", "capacity_unit")


def editable_fields(unit: ProductionUnit, user: Any) -> tuple[str, ...]:
    """The profile fields ``user`` may change on ``unit`` (none unless they may change it at all)."""
    if not permissions.can(user, permissions.CHANGE, unit):
        return ()
    return STAFF_FIELDS if permissions.is_staff_member(user) else REPRESENTATIVE_FIELDS


def update_profile(
    unit: ProductionUnit,
    values: Mapping[str, Any],
    *,
    by: Any,
    products: Sequence[Mapping[str, Any]] | None = None,
) -> ProductionUnit:
    """Change a unit's profile from cleaned values (the profile page, the API, importers) and, when
    ``products`` is given, make its products exactly those: each row ``{"id": …}`` (an existing product of
    the unit, changed) or without ``id`` (a new one); products left out are deleted. Keys of ``values`` left
    out keep their value; a field the caller may not edit is refused."""
    permissions.require(by, permissions.CHANGE, unit)
    refused = sorted(set(values) - set(editable_fields(unit, by)))
    if refused:
        raise PermissionDenied(f"may not change {', '.join(refused)}")
    values = clean_profile_values(values)
    with transaction.atomic():
        stored = ProductionUnit.objects.get(pk=unit.pk)
        changed = [
            name for name in values if name not in _RELATIONS and getattr(stored, name) != values[name]
        ]
        for name in changed:
            setattr(unit, name, values[name])
        unit.full_clean(
            exclude=[field.name for field in ProductionUnit._meta.fields if field.name not in changed]
        )
        unit.save()
        for name in _RELATIONS:
            if name in values:
                before = set(getattr(unit, name).values_list("pk", flat=True))
                getattr(unit, name).set(values[name] or [])
                if before != {item.pk for item in values[name] or []}:
                    changed.append(name)
        if products is not None and _replace_products(unit, products):
            changed.append("products")
        refresh_search_text(unit)
        if changed:
            log_event(unit, "units.profile.updated", {"fields": changed}, actor=_user(by))
    units_changed([unit.pk], reason="profile edited")
    return unit


def _replace_products(unit: ProductionUnit, rows: Sequence[Mapping[str, Any]]) -> bool:
    """Make ``unit``'s products exactly ``rows``; whether anything changed."""
    from .models import Product

    existing = {product.pk: product for product in unit.products.all()}
    if len(rows) > 50:
        raise ValidationError(_("A unit lists at most 50 products."))
    kept, changed = set(), False
    for row in rows:
        product = existing.get(row["id"]) if row.get("id") else Product(unit=unit)
        if product is None:
            raise ValidationError(_("A product listed is not one of this unit's."))
        fields = {name: row[name] for name in PRODUCT_FIELDS if name in row}
        if product.pk is None or any(getattr(product, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(product, name, value)
            product.full_clean(exclude=["unit"])
            product.save()
            changed = True
        kept.add(product.pk)
    gone = [pk for pk in existing if pk not in kept]
    if gone:
        Product.objects.filter(pk__in=gone).delete()
        changed = True
    return changed


@transaction.atomic
def request_claim(
    unit: ProductionUnit, user: Any, *, position: str, evidence: str, evidence_file: Any = None
) -> ClaimRequest:
    """A person asks to represent ``unit``; staff of the unit's estate company review it."""
    if not getattr(user, "is_authenticated", False):
        raise permissions.PermissionDenied
    if unit.organisation_id and unit.organisation.memberships.filter(user=user).exists():
        raise ValidationError(_("You already represent this unit."), code="member")
    if ClaimRequest.objects.filter(unit=unit, user=user, state=ClaimState.PENDING).exists():
        raise ValidationError(
            _("You already asked to represent this unit; the estate company is reviewing it."), code="pending"
        )
    limits.check_values(ClaimRequest, position=position, evidence=evidence)
    claim = ClaimRequest.objects.create(
        unit=unit, user=user, position=position, evidence=evidence, evidence_file=evidence_file or ""
    )
    log_event(unit, "units.claim.requested", {"user": user.username, "position": position}, actor=user)
    _notify_claim_reviewers(unit, user)
    return claim


def _notify_claim_reviewers(unit: ProductionUnit, user: Any) -> None:
    from peyvand.notifications.services import bilingual, notify_organisation

    notify_organisation(
        unit.estate.company,
        "claim",
        roles=["manager", "linkage_officer"],
        title=bilingual(gettext_lazy("Request to represent %(unit)s"), unit=lambda: unit.display_name),
        body=bilingual(
            gettext_lazy("%(user)s asks to represent this unit."), user=user.get_full_name() or user.username
        ),
        url="/units/claims/",
    )


def _ensure_organisation(unit: ProductionUnit) -> Any:
    """The organisation whose members represent ``unit`` (made, served by its estate's company, if none)."""
    from peyvand.accounts.models import Organisation

    if unit.organisation_id is None:
        organisation = Organisation.objects.create(
            kind="production_unit", name=unit.name, name_en=unit.name_en, company_id=unit.estate.company_id
        )
        ProductionUnit.objects.filter(pk=unit.pk).update(organisation=organisation)
        unit.organisation = organisation
    return unit.organisation


@transaction.atomic
def open_representation(unit: ProductionUnit, *, by: Any) -> Any:
    """Staff make the organisation of an imported unit so they can invite its representatives."""
    from peyvand.accounts.models import Organisation

    permissions.require(by, permissions.CHANGE, unit)
    permissions.require(by, permissions.ADD, Organisation)
    created = unit.organisation_id is None
    organisation = _ensure_organisation(unit)
    if created:
        log_event(organisation, "accounts.organisation.created", {"kind": organisation.kind}, actor=_user(by))
    return organisation


@transaction.atomic
def review_claim(claim: ClaimRequest, *, approve: bool, by: Any, note: str = "") -> ClaimRequest:
    """Approve (the claimant becomes the unit's representative) or reject a pending claim."""
    from peyvand.accounts.services import add_membership

    permissions.require(by, permissions.REVIEW, claim)
    locked = ClaimRequest.objects.select_for_update().select_related("unit", "user").get(pk=claim.pk)
    if locked.user_id == getattr(by, "pk", None):
        raise PermissionDenied  # nobody approves their own claim
    if locked.state != ClaimState.PENDING:
        raise ValidationError(_("This claim was already decided."), code="decided")
    limits.check_values(ClaimRequest, decision_note=note)
    locked.state = ClaimState.APPROVED if approve else ClaimState.REJECTED
    locked.decision_note = note
    locked.reviewed_by = _user(by)
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["state", "decision_note", "reviewed_by", "reviewed_at"])
    unit = locked.unit
    if approve:
        _ensure_organisation(unit)
        has_admin = unit.organisation.memberships.filter(role="admin").exists()
        add_membership(unit.organisation, locked.user, "editor" if has_admin else "admin", by=by, via="claim")
    from peyvand.notifications.services import bilingual, notify

    notify(
        locked.user,
        "claim",
        title=bilingual(gettext_lazy("Your request to represent the unit was approved"))
        if approve
        else bilingual(gettext_lazy("Your request to represent the unit was not approved")),
        body=bilingual(gettext_lazy("%(unit)s — %(note)s"), unit=lambda: unit.display_name, note=note)
        if note
        else (lambda: unit.display_name),
        url=unit.get_absolute_url(),
    )
    log_event(
        unit,
        "units.claim.approved" if approve else "units.claim.rejected",
        {"user": locked.user.username, "note": note},
        actor=_user(by),
    )
    return locked


# --- Merging duplicate units ------------------------------------------------------------------------
# Profile fields the survivor takes from the duplicate when its own are blank.
MERGE_FILL_FIELDS = (
    "name_en",
    "legal_name",
    "national_id",
    "licence_number",
    "plot",
    "isic",
    "employees",
    "contact_person",
    "phone",
    "email",
    "website",
    "description",
    "description_en",
    "capacity",
    "organisation",
)
_UNIQUE_FIELDS = ("national_id", "licence_number", "organisation")


@transaction.atomic
def merge_units(survivor: ProductionUnit, duplicate: ProductionUnit, *, by: Any) -> ProductionUnit:
    """Merge ``duplicate`` into ``survivor`` and delete it — or refuse, saying what blocks it.

    Every relation that points at a unit has one rule (``units.merging``): history, products, claims,
    memberships and invitations of its organisation, and every other app's records (matches,
    invitations and quotes, linkages…) move to the survivor, collisions merge by the rule of their
    kind, and what cannot merge (two quotes on one request, two linkages for one request, histories
    that contradict the life cycle, different national IDs) refuses the whole merge before anything
    is written. Blank profile fields of the survivor are filled from the duplicate; the duplicate's
    timeline moves with it; both timelines record the merge.
    """
    from . import merging

    permissions.require(by, permissions.MERGE, survivor)
    permissions.require(by, permissions.MERGE, duplicate)
    if survivor.pk == duplicate.pk:
        raise ValidationError(_("A unit cannot be merged with itself."), code="same")
    survivor, duplicate = _locked_for_merge(survivor), _locked_for_merge(duplicate)
    problems = merging.blockers(survivor, duplicate)
    if problems:
        raise ValidationError(problems, code="blocked")
    duplicate_pk = duplicate.pk
    _move_timeline(duplicate, survivor, by=by)
    organisations = merging.merge_organisations(survivor, duplicate)
    filled = _fill_blanks(survivor, duplicate)
    moved = merging.move_all(survivor, duplicate)
    survivor.refresh_from_db(fields=["status", "status_since"])
    refresh_search_text(survivor)
    log_event(
        survivor,
        "units.unit.merged",
        {
            "other": duplicate.name,
            "other_id": duplicate_pk,
            "filled": filled,
            "moved": {key: counts for key, counts in moved.items() if any(counts.values())},
            "organisation": organisations,
        },
        actor=_user(by),
    )
    duplicate.delete()
    units_changed([survivor.pk, duplicate_pk], reason="merged")
    return survivor


def _locked_for_merge(unit: ProductionUnit) -> ProductionUnit:
    return (
        ProductionUnit.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=unit.pk)
    )


def _move_timeline(duplicate: ProductionUnit, survivor: ProductionUnit, *, by: Any) -> None:
    """The duplicate's timeline becomes part of the survivor's (its field-level audit stays with it)."""
    from django.contrib.contenttypes.models import ContentType

    from peyvand.core.models import Event

    unit_type = ContentType.objects.get_for_model(ProductionUnit)
    Event.objects.filter(content_type=unit_type, object_id=str(duplicate.pk)).update(
        object_id=str(survivor.pk)
    )
    log_event(
        duplicate,
        "units.unit.merged_into",
        {"other": survivor.name, "other_id": survivor.pk},
        actor=_user(by),
    )


def _fill_blanks(survivor: ProductionUnit, duplicate: ProductionUnit) -> list[str]:
    """Fill the survivor's blank profile fields from the duplicate (unique identifiers leave the
    duplicate first); returns the names of the fields filled."""
    filled = [
        name
        for name in MERGE_FILL_FIELDS
        if getattr(survivor, name) in (None, "") and getattr(duplicate, name) not in (None, "")
    ]
    unique = [name for name in filled if name in _UNIQUE_FIELDS]
    values = {name: getattr(duplicate, name) for name in filled}
    if unique:
        for name in unique:
            setattr(duplicate, name, None)
        duplicate.save(update_fields=unique)
    for name, value in values.items():
        setattr(survivor, name, value)
    survivor.export_oriented = survivor.export_oriented or duplicate.export_oriented
    survivor.knowledge_based = survivor.knowledge_based or duplicate.knowledge_based
    survivor.save()
    return filled


def merge_candidates(unit: ProductionUnit, user: Any, limit: int = 10) -> list[ProductionUnit]:
    """Units that look like ``unit`` (same national ID, licence or name) that ``user`` may merge."""
    from django.db.models import Q

    condition = Q(search_name__contains=fold(unit.name)) if unit.name else Q(pk__in=[])
    if unit.national_id:
        condition |= Q(national_id=unit.national_id)
    if unit.licence_number:
        condition |= Q(licence_number=unit.licence_number)
    queryset = ProductionUnit.objects.filter(condition).exclude(pk=unit.pk).select_related("estate")
    return list(permissions.restrict(queryset, user, permissions.MERGE)[:limit])
