"""The demo industrial clinic: cases behind most of the demo's returns to production (each linked to the
unit's own idle → production change, so the 41 stays the life cycle's count), open cases for idle units
at every stage, a few that ended still idle, and units at risk whose head count fell this year.
Deterministic (seeded RNG); dates relative to the day it runs; written through the clinic's services.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db.models import Min

from peyvand.accounts.models import Organisation
from peyvand.core.kpis import last_twelve_months
from peyvand.revival import services
from peyvand.revival.choices import CaseStage, InterventionKind, Result
from peyvand.revival.warning import refresh_assessments
from peyvand.sourcing.choices import RequestState
from peyvand.sourcing.models import Linkage, SourcingRequest
from peyvand.units.choices import PRODUCING, UnitStatus
from peyvand.units.models import ProductionUnit, StatusChange
from peyvand.units.services import units_changed

SEED = 1412
CASE_SHARE = 0.85  # of the returns, how many went through the clinic ("most, not all")
OPEN_CASES = 22  # of the idle units, how many the clinic is treating
ENDED_STILL_IDLE = 4
FALLING_UNITS = 18  # units in production whose head count fell this year (an early-warning signal)

# What stopped a unit (its idle cause in the life cycle) → the clinic's causes.
CAUSES_OF = {
    "working_capital": ["working_capital", "bank_debt"],
    "raw_materials": ["raw_materials", "sanctions"],
    "market": ["market", "working_capital"],
    "energy": ["utilities", "working_capital"],
    "management": ["management", "legal"],
    "debt": ["bank_debt", "working_capital"],
    "obsolete_technology": ["machinery", "market"],
}
FUNDS = ["صندوق توسعه ملی", "بانک صنعت و معدن", "صندوق ضمانت سرمایه‌گذاری صنایع کوچک", "بانک توسعه تعاون"]
DIAGNOSES = [
    "نقدینگی برای خرید مواد اولیه ندارد؛ خط تولید سالم است.",
    "بدهی معوق بانکی و ضمانت‌نامه‌های باطل‌شده، خرید اعتباری را بسته است.",
    "مشتری اصلی قرارداد را تمدید نکرد و بازار جایگزین پیدا نشده است.",
    "ماشین‌آلات فرسوده است و هزینهٔ تعمیر از توان واحد بیشتر است.",
    "اختلاف میان شرکا مدیریت واحد را متوقف کرده است.",
]


def _interventions(
    rng: random.Random,
    cause: str,
    officer: Any,
    investor: Organisation,
    start: dt.date,
    end: dt.date,
    requests: list[SourcingRequest],
    unit_id: int,
    linkages: dict,
) -> list[dict]:
    """The help a revived unit had, as its return's cause suggests; dated between opening and return."""
    span = max((end - start).days, 1)

    def day(low: float, high: float) -> dt.date:
        return start + dt.timedelta(days=int(span * rng.uniform(low, high)))

    rows: list[dict] = []
    if cause in ("revival_support", "market_recovered") or rng.random() < 0.5:
        asked = rng.choice([20, 35, 50, 80, 120]) * 1_000_000_000
        rows.append(
            {
                "kind": InterventionKind.FINANCING,
                "title": "معرفی برای تسهیلات سرمایه در گردش",
                "institution": rng.choice(FUNDS),
                "amount_asked_rial": asked,
                "amount_granted_rial": int(asked * rng.choice([0.5, 0.7, 1.0])),
            }
        )
    if rng.random() < 0.45:
        rows.append(
            {
                "kind": InterventionKind.MEDIATION,
                "title": "مذاکره برای تقسیط بدهی",
                "counterpart": rng.choice(["bank", "tax", "social_security"]),
                "institution": "",
            }
        )
    if cause == "new_investor":
        rows.append(
            {"kind": InterventionKind.PARTNER, "title": "معرفی شریک سرمایه‌گذار", "investor": investor}
        )
    if (cause == "market_recovered" or rng.random() < 0.3) and requests:
        request = rng.choice(requests)
        rows.append(
            {
                "kind": InterventionKind.BUYER_LINKAGE,
                "title": "پیوند با خریدار بزرگ",
                "request": request,
                "linkage": linkages.get((request.pk, unit_id)),
            }
        )
    if rng.random() < 0.35:
        rows.append(
            {
                "kind": rng.choice([InterventionKind.TECHNICAL, InterventionKind.MANAGEMENT]),
                "title": "مشاورهٔ فنی و مدیریتی",
            }
        )
    for row in rows:
        row["owner"] = officer
        row["due_on"] = day(0.2, 0.7)
        row["result_on"] = min(row["due_on"] + dt.timedelta(days=rng.randint(5, 30)), end)
        row["result"] = rng.choice([Result.SUCCEEDED, Result.SUCCEEDED, Result.PARTIAL])
    return rows


def seed_revival(
    company: Organisation, today: dt.date, officer: Any, investor: Organisation
) -> dict[str, int]:
    rng = random.Random(SEED)
    units = ProductionUnit.objects.filter(estate__company=company)
    requests = list(
        SourcingRequest.objects.filter(
            company=company, state__in=[RequestState.PUBLISHED, RequestState.CLOSED]
        ).order_by("pk")
    )
    linkages = {
        (request_id, unit_id): pk
        for pk, request_id, unit_id in Linkage.objects.values_list("pk", "request_id", "unit_id")
    }
    linkage_objects = Linkage.objects.in_bulk(list(linkages.values()))
    linkages = {key: linkage_objects[pk] for key, pk in linkages.items()}
    window_start = last_twelve_months(today)[0]

    # 1. Cases behind most of the returns of the last 12 months (the first return of each unit).
    first_returns = (
        StatusChange.objects.filter(
            unit__in=units,
            from_status=UnitStatus.IDLE,
            to_status__in=PRODUCING,
            date__gte=window_start,
            date__lte=today,
        )
        .values("unit_id")
        .annotate(first=Min("id"))
        .order_by("unit_id")
    )
    changes = StatusChange.objects.select_related("unit").in_bulk([row["first"] for row in first_returns])
    revived = 0
    for change in sorted(changes.values(), key=lambda c: c.unit_id):
        if rng.random() > CASE_SHARE:
            continue
        went_idle = (
            StatusChange.objects.filter(
                unit_id=change.unit_id, to_status=UnitStatus.IDLE, date__lte=change.date
            )
            .order_by("-date", "-id")
            .first()
        )
        if went_idle is None:
            continue
        earliest = max(went_idle.date + dt.timedelta(days=10), change.date - dt.timedelta(days=240))
        opened = min(earliest + dt.timedelta(days=rng.randint(0, 60)), change.date - dt.timedelta(days=1))
        if opened < went_idle.date:
            opened = went_idle.date
        causes = CAUSES_OF.get(went_idle.cause, ["working_capital", "market"])
        cause_rows = [
            {"cause": code, "severity": 3 - index, "note": ""}
            for index, code in enumerate(causes[: rng.randint(1, 2)])
        ]
        services.build_past_case(
            change,
            opened_on=opened,
            causes=cause_rows,
            interventions=_interventions(
                rng, change.cause, officer, investor, opened, change.date, requests, change.unit_id, linkages
            ),
            jobs_restored=max(1, int((change.unit.employees or 10) * rng.uniform(0.3, 0.9))),
            diagnosis=rng.choice(DIAGNOSES),
            by=officer,
        )
        revived += 1

    # 2. Open cases for idle units, at every stage; a few ended still idle.
    idle = list(units.filter(status=UnitStatus.IDLE).order_by("pk"))
    rng.shuffle(idle)
    opened_cases = 0
    for index, unit in enumerate(idle[: OPEN_CASES + ENDED_STILL_IDLE]):
        since = unit.status_since or today - dt.timedelta(days=400)
        opened_on = max(since, today - dt.timedelta(days=rng.randint(15, 200)))
        case = services.open_case(unit, by=officer, on=opened_on, check_permission=False)
        opened_cases += 1
        if index % 5 == 0:
            continue  # still waiting for its diagnosis visit
        found = list(dict.fromkeys(CAUSES_OF[code][0] for code in rng.sample(sorted(CAUSES_OF), 2)))
        services.record_diagnosis(
            case,
            by=officer,
            visit_on=min(opened_on + dt.timedelta(days=rng.randint(3, 14)), today),
            diagnosis=rng.choice(DIAGNOSES),
            unit_account="واحد می‌گوید بدون سرمایه در گردش و سفارش تازه نمی‌تواند دوباره راه بیفتد.",
            causes=[{"cause": code, "severity": rng.randint(1, 3), "note": ""} for code in found],
        )
        for row in _interventions(
            rng, "revival_support", officer, investor, opened_on, today, requests, unit.pk, {}
        )[:2]:
            kind = row.pop("kind")
            result, result_on = row.pop("result"), row.pop("result_on")
            row.pop("amount_granted_rial", None)
            if kind == InterventionKind.BUYER_LINKAGE:
                row.pop("linkage", None)
            help_ = services.add_intervention(
                case,
                by=officer,
                kind=kind,
                title=row.pop("title"),
                due_on=row.pop("due_on") + dt.timedelta(days=30),
                owner=row.pop("owner"),
                values=row,
            )
            if rng.random() < 0.4:
                services.record_result(
                    help_,
                    by=officer,
                    result=result if result != Result.SUCCEEDED else Result.PARTIAL,
                    on=max(result_on, opened_on),
                )
        if index >= OPEN_CASES:
            services.move_case(
                case,
                CaseStage.STILL_IDLE,
                by=officer,
                on=today,
                note="واحد پس از پیگیری‌ها هنوز راه نیفتاده است.",
            )

    # 3. Units in production whose head count fell this year: an early-warning signal.
    producing = list(units.filter(status__in=PRODUCING, employees__gte=10).order_by("pk"))
    rng.shuffle(producing)
    semi = [u for u in producing if u.status == UnitStatus.SEMI_ACTIVE]
    falling = (semi + [u for u in producing if u.status != UnitStatus.SEMI_ACTIVE])[:FALLING_UNITS]
    for unit in falling:
        unit.employees = max(1, int(unit.employees * rng.uniform(0.55, 0.85)))
        unit.save(update_fields=["employees", "updated_at"])
    units_changed([unit.pk for unit in falling], reason="profile edited")
    counts = refresh_assessments(units, today)
    return {"revived_cases": revived, "open_cases": opened_cases, **counts}
