"""What merging two records of one unit does to the bridge's rows (rules of ``units.merging``).

* suggestions (``Match``): move; suggested twice for one request → the better-ranked one stays;
* invitations and their answers (quotes, declines): move; invited twice to one request → the one that
  got further stays, the unanswered one goes; answered twice → the merge is refused (a quote is never
  dropped);
* linkages (the ledger): move; both linked for one request → the merge is refused (the ledger keeps
  one linkage per buyer, request and supplier: close or correct one of them first);
* gap tickets flagged for the duplicate point at the survivor.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from peyvand.units import merging
from peyvand.units.models import ProductionUnit

from .choices import ANSWERED, InvitationState
from .models import GapTicket, Linkage, Match, SupplierInvitation

# How far an invitation got: of two for one request, the further one stays.
_PROGRESS = {
    InvitationState.EXPIRED: 0,
    InvitationState.INVITED: 1,
    InvitationState.OPENED: 2,
    InvitationState.DECLINED: 3,
    InvitationState.QUOTED: 4,
}


def _pairs(model, survivor: ProductionUnit, duplicate: ProductionUnit) -> list[tuple]:
    """(survivor's row, duplicate's row) for each request both records have a row of ``model`` for."""
    rows: defaultdict[int, dict[int, Any]] = defaultdict(dict)
    for row in model._default_manager.filter(unit__in=[survivor, duplicate], request__isnull=False):
        rows[row.request_id][row.unit_id] = row
    return [
        (by_unit[survivor.pk], by_unit[duplicate.pk])
        for by_unit in rows.values()
        if survivor.pk in by_unit and duplicate.pk in by_unit
    ]


def _merge_matches(survivor: ProductionUnit, duplicate: ProductionUnit) -> dict[str, int]:
    dropped = 0
    for mine, theirs in _pairs(Match, survivor, duplicate):
        better, worse = (mine, theirs) if mine.rank <= theirs.rank else (theirs, mine)
        better.qualified = mine.qualified or theirs.qualified
        worse.delete()
        better.unit = survivor
        better.save(update_fields=["unit", "qualified"])
        dropped += 1
    moved = Match.objects.filter(unit=duplicate).update(unit=survivor)
    return {"moved": moved, "kept_better": dropped}


def _check_invitations(survivor: ProductionUnit, duplicate: ProductionUnit) -> list[str]:
    return [
        _(
            "Both records answered the invitation to %(request)s (%(first)s, %(second)s): decide which answer stands — the merge never drops a quote."
        )
        % {
            "request": mine.request.reference,
            "first": mine.get_state_display(),
            "second": theirs.get_state_display(),
        }
        for mine, theirs in _pairs(SupplierInvitation, survivor, duplicate)
        if mine.state in ANSWERED and theirs.state in ANSWERED
    ]


def _merge_invitations(survivor: ProductionUnit, duplicate: ProductionUnit) -> dict[str, int]:
    dropped = 0
    for mine, theirs in _pairs(SupplierInvitation, survivor, duplicate):
        further, other = (
            (mine, theirs) if _PROGRESS[mine.state] >= _PROGRESS[theirs.state] else (theirs, mine)
        )
        other.delete()  # unanswered (``check`` refused two answers); the audit trail records it
        if further.unit_id != survivor.pk:
            further.unit = survivor
            further.save(update_fields=["unit"])
        dropped += 1
    moved = SupplierInvitation.objects.filter(unit=duplicate).update(unit=survivor)
    return {"moved": moved, "kept_further": dropped}


def _check_linkages(survivor: ProductionUnit, duplicate: ProductionUnit) -> list[str]:
    return [
        _(
            "Both records are in the ledger for %(request)s (linkages %(first)s and %(second)s): the ledger keeps one linkage per request and supplier — mark one as lost or correct it first."
        )
        % {
            "request": mine.request.reference,
            "first": f"#{mine.pk} {mine.get_stage_display()}",
            "second": f"#{theirs.pk} {theirs.get_stage_display()}",
        }
        for mine, theirs in _pairs(Linkage, survivor, duplicate)
    ]


def _move_linkages(survivor: ProductionUnit, duplicate: ProductionUnit) -> dict[str, int]:
    moved = 0
    for linkage in Linkage.objects.filter(unit=duplicate):  # one by one: the ledger's audit trail
        linkage.unit = survivor
        linkage.save(update_fields=["unit"])
        moved += 1
    return {"moved": moved}


merging.register(Match, "unit", merging.Rule(apply=_merge_matches))
merging.register(SupplierInvitation, "unit", merging.Rule(apply=_merge_invitations, check=_check_invitations))
merging.register(Linkage, "unit", merging.Rule(apply=_move_linkages, check=_check_linkages))
merging.register(GapTicket, "flagged_unit", merging.Rule(apply=merging.move_rows(GapTicket, "flagged_unit")))
