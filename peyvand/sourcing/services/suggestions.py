"""Suggestions and gaps: which units qualify for a request, the ranked suggestions, the gap tickets."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from peyvand.core import permissions
from peyvand.core.audit import log_event
from peyvand.core.audit import signed_in as _user
from peyvand.units.choices import PRODUCING
from peyvand.units.models import ProductionUnit

from ..choices import GapState, Requirement
from ..models import GapTicket, Match, SourcingRequest
from .people import in_both_languages, notify_users, officers_of

logger = logging.getLogger(__name__)


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
    from ..choices import PREPARING_SUGGESTIONS, SuggestionState

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
        from ..tasks import suggest_suppliers

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

    from .. import engine

    if by is not None and not permissions.can(by, permissions.BROKER, request):
        raise PermissionDenied
    results = rank(engine.current_index(build_if_missing=True), engine.request_query(request), top=top)
    with transaction.atomic():
        return _store_suggestions(request, results, by=by)


def _store_suggestions(request: SourcingRequest, results: Any, *, by: Any) -> list[Match]:
    from ..choices import SuggestionState

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
    matches: list[Match] = []
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
            notify_users(
                officers_of(gap.request),
                "gap_rematch",
                in_both_languages(
                    gettext_lazy("A supplier may now fill a gap: %(title)s"), title=gap.request.title
                ),
                in_both_languages(
                    gettext_lazy("%(unit)s now has every capability this request needs."), unit=unit.name
                ),
                gap.request.get_absolute_url(),
            )
            flagged.append(gap)
    return flagged
