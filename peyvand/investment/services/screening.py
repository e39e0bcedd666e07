"""Screening: the company's weights, an application's score criterion by criterion, and the screen step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peyvand.core import permissions
from peyvand.core.audit import log_event
from peyvand.core.audit import signed_in as _user
from peyvand.core.jalali import format_date

from ..choices import (
    DEFAULT_WEIGHTS,
    ApplicationState,
    Criterion,
    EvidenceKind,
)
from ..models import (
    Application,
    ScreeningWeight,
)
from .land import estate_fit


def weights_for(company_id: int) -> dict[str, int]:
    weights = {str(code): points for code, points in DEFAULT_WEIGHTS.items()}
    for row in ScreeningWeight.objects.filter(company_id=company_id):
        weights[row.criterion] = row.weight
    return weights


@dataclass
class CriterionScore:
    code: str
    fraction: float  # 0..1 of the criterion's points
    weight: int
    why: str

    @property
    def points(self) -> float:
        return round(self.fraction * self.weight, 1)


def _ratio(value: float, target: float) -> float:
    return max(0.0, min(1.0, value / target)) if target else 0.0


def open_gap_match(application: Application) -> Any:
    """An open supply gap whose missing capabilities the application's product provides."""
    from peyvand.sourcing.models import GapTicket
    from peyvand.taxonomy.services import suggested_codes

    codes = suggested_codes(application.product, application.title)
    if not codes:
        return None
    return (
        GapTicket.objects.filter(state="open", company_id=application.company_id, missing__code__in=codes)
        .select_related("request")
        .order_by("-created_at")
        .first()
    )


def score(application: Application, *, today: dt.date | None = None) -> list[CriterionScore]:
    """Each criterion's share of its points, with why — the reviewer reads it; it never decides alone."""
    today = today or timezone.localdate()
    targets = settings.PEYVAND_INVESTMENT_TARGETS
    weights = weights_for(application.company_id)
    investor = application.investor
    scores: list[CriterionScore] = []

    def add(code: str, fraction: float, why: str) -> None:
        scores.append(CriterionScore(code, round(fraction, 3), weights.get(code, 0), why))

    if investor.is_knowledge_based(today):
        add(
            Criterion.KNOWLEDGE_BASED,
            1,
            _("knowledge-based certificate valid until %(date)s")
            % {"date": format_date(investor.knowledge_expiry) if investor.knowledge_expiry else "—"},
        )
    else:
        add(Criterion.KNOWLEDGE_BASED, 0, _("no valid knowledge-based certificate"))
    checked = set(investor.evidence.filter(checked=True).values_list("kind", flat=True))
    add(
        Criterion.TECHNICAL_CAPACITY,
        len(checked) / len(EvidenceKind.values),
        _("%(count)s of %(all)s kinds of evidence checked")
        % {"count": len(checked), "all": len(EvidenceKind)},
    )
    hectares = float(application.land_m2) / 10_000
    jobs_per_ha = application.jobs_planned / hectares if hectares else 0
    add(
        Criterion.JOBS_PER_HECTARE,
        _ratio(jobs_per_ha, targets["jobs_per_hectare"]),
        _("%(value)s jobs per hectare (target %(target)s)")
        % {"value": round(jobs_per_ha), "target": targets["jobs_per_hectare"]},
    )
    per_m2 = application.investment_rial / float(application.land_m2) if application.land_m2 else 0
    add(
        Criterion.INVESTMENT_PER_M2,
        _ratio(per_m2, targets["rial_per_m2"]),
        _("%(value)s million rial per m² (target %(target)s)")
        % {"value": round(per_m2 / 1_000_000), "target": round(targets["rial_per_m2"] / 1_000_000)},
    )
    export = float(application.export_share)
    add(
        Criterion.EXPORT_PLAN,
        _ratio(export, targets["export_share"]) if application.export_markets or not export else 0,
        _("%(share)s%% of the output exported") % {"share": round(export)},
    )
    add(
        Criterion.GREEN_PROFILE,
        (5 - application.environment_group) / 4,
        _("environmental group %(group)s") % {"group": application.environment_group},
    )
    gap = open_gap_match(application)
    if gap is not None:
        add(Criterion.FILLS_GAP, 1, _("supplies an open gap: %(request)s") % {"request": gap.request.title})
    elif application.import_substitution:
        add(Criterion.FILLS_GAP, 1, _("replaces imports"))
    else:
        add(Criterion.FILLS_GAP, 0, _("no open gap or import need named"))
    fits = [fit for fit in estate_fit(application) if fit.fits]
    preferred = {estate.pk for estate in application.preferred_estates.all()}
    if any(fit.estate.pk in preferred for fit in fits):
        add(Criterion.ESTATE_FIT, 1, _("a preferred estate admits it and has a plot"))
    elif fits:
        add(Criterion.ESTATE_FIT, 0.5, _("%(count)s other estates fit") % {"count": len(fits)})
    else:
        add(Criterion.ESTATE_FIT, 0, _("no estate fits yet"))
    return scores


def _store_score(application: Application, *, today: dt.date | None = None) -> None:
    """Keep the score with each criterion's reasons in both languages (the page shows the reader's)."""
    from django.utils import translation

    by_language = {}
    for language in ("fa", "en"):
        with translation.override(language):
            by_language[language] = score(application, today=today)
    scores = by_language["fa"]
    total = sum(item.points for item in scores)
    maximum = sum(item.weight for item in scores) or 1
    application.score = Decimal(str(round(100 * total / maximum, 1)))
    application.score_details = [
        {
            "code": s.code,
            "fraction": s.fraction,
            "weight": s.weight,
            "points": s.points,
            "why_fa": s.why,
            "why_en": english.why,
        }
        for s, english in zip(scores, by_language["en"], strict=True)
    ]
    application.save(update_fields=["score", "score_details"])


@transaction.atomic
def screen(application: Application, *, by: Any, note: str = "", today: dt.date | None = None) -> Application:
    """Recompute the score and keep the reviewer's notes beside it."""
    permissions.require(by, permissions.REVIEW, application)
    if application.state not in (ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW):
        raise ValidationError(_("Only submitted applications are screened."), code="state")
    _store_score(application, today=today)
    application.reviewer_note = note.strip()
    application.save(update_fields=["reviewer_note"])
    log_event(
        application,
        "investment.application.screened",
        {"score": str(application.score), "note": note},
        actor=_user(by),
    )
    return application


@transaction.atomic
def save_weights(company_id: int, weights: dict[str, int], *, by: Any) -> None:
    """The company's screening weights; scores are recomputed when an application is next screened."""
    from peyvand.accounts.models import Organisation

    company = Organisation.objects.get(pk=company_id)
    if not permissions.can(by, permissions.REVIEW, Application(company=company)):
        raise PermissionDenied
    before = weights_for(company_id)
    for code, weight in weights.items():
        ScreeningWeight.objects.update_or_create(company=company, criterion=code, defaults={"weight": weight})
    log_event(
        company,
        "investment.weights.changed",
        {"before": before, "after": weights_for(company_id)},
        actor=_user(by),
    )
