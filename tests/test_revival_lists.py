"""The clinic's lists and figures: a fixed number of queries whatever the rows, each figure equal to its
list, exports that neutralise formulas, and the early warning with every signal's weight."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from peyvand.core import kpis
from peyvand.insights.figures import query_for
from peyvand.revival import services
from peyvand.revival.models import RevivalCase, RiskAssessment
from peyvand.revival.tasks import weekly_early_warning
from peyvand.revival.views import clinic_figures
from peyvand.revival.warning import AT_RISK_SCORE, BY_CODE, refresh_assessments
from peyvand.units.models import StatusChange

from .clock import clock_at_noon
from .factories import UnitFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
clock = clock_at_noon(TODAY)  # services asking the date agree with TODAY, past midnight too
LONG_AGO = dt.date(2022, 1, 1)


def idle_unit(estate, **extra):
    unit = UnitFactory(estate=estate, status="idle", status_since=LONG_AGO, **extra)
    return unit


def revived_case(estate, officer, manager, *, days_ago: int = 10, interventions: int = 2):
    unit = idle_unit(estate)
    case = services.open_case(unit, by=officer, on=TODAY - dt.timedelta(days=days_ago + 30))
    services.record_diagnosis(
        case,
        by=officer,
        visit_on=None,
        diagnosis="",
        unit_account="",
        causes=[{"cause": "market", "severity": 2}],
    )
    for number in range(interventions):
        services.add_intervention(case, by=officer, kind="technical", title=f"کمک {number}", due_on=TODAY)
    services.record_return(
        case, "operating", date=TODAY - dt.timedelta(days=days_ago), cause="revival_support", by=manager
    )
    return case


def _count(client, url: str) -> int:
    """Queries of one request after a warm-up, with short-lived caches (the demo banner's) emptied."""
    cache.clear()
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/revival/cases/",
        "/revival/at-risk/?at_risk=",
        "/units/",
    ],
)
def test_the_clinic_lists_take_the_same_queries_for_few_and_many_rows(
    client, estate_a, officer, manager, url
) -> None:
    client.force_login(manager)
    revived_case(estate_a, officer, manager)
    refresh_assessments()
    few = _count(client, url)
    for days in range(1, 8):
        revived_case(estate_a, officer, manager, days_ago=days, interventions=3)
    for _ in range(5):
        services.open_case(idle_unit(estate_a), by=officer)
    refresh_assessments()
    assert _count(client, url) == few


def test_the_returns_list_takes_the_same_queries_for_few_and_many_rows(
    client, estate_a, officer, manager
) -> None:
    client.force_login(manager)
    start, end = kpis.last_twelve_months()
    url = f"/revival/returns/?returned_from={start.isoformat()}&returned_to={end.isoformat()}"
    revived_case(estate_a, officer, manager)
    few = _count(client, url)
    for days in range(1, 8):
        revived_case(estate_a, officer, manager, days_ago=days, interventions=3)
    assert _count(client, url) == few


def _rows(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return len(list(load_workbook(io.BytesIO(client.get(url + "&export=xlsx").content)).active.values)) - 1


def test_the_clinic_figures_equal_their_lists(client, estate_a, officer, manager) -> None:
    for days in (5, 20, 40):
        revived_case(estate_a, officer, manager, days_ago=days)
    # A return without a case counts for "returned to production" but not for "with a case".
    plain = idle_unit(estate_a)
    from peyvand.units import services as unit_services

    unit_services.change_status(plain, "semi_active", date=TODAY, cause="market_recovered", by=manager)
    # A return before the case was opened is not the case's.
    services.open_case(idle_unit(estate_a), by=officer)
    client.force_login(manager)
    returned = kpis.evaluate(kpis.get("returned_to_production"), query_for(manager))
    with_case = kpis.evaluate(kpis.get("returns_with_case"), query_for(manager))
    open_cases = kpis.evaluate(kpis.get("open_revival_cases"), query_for(manager))
    assert (returned.value, with_case.value, open_cases.value) == (4, 3, 1)
    assert _rows(client, with_case.url) == 3
    assert _rows(client, open_cases.url) == 1
    page = client.get(with_case.url.replace("with_case=true", "with_case=")).content.decode()
    assert "بدون پرونده" in page  # the return without a case is listed as such


def test_staff_of_another_company_count_and_see_none_of_these_cases(
    client, estate_a, officer, manager, staff_b
) -> None:
    case = revived_case(estate_a, officer, manager)
    assert kpis.evaluate(kpis.get("returns_with_case"), query_for(staff_b)).value == 0
    client.force_login(staff_b)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert case.unit.name not in client.get("/revival/cases/").content.decode()


def test_clinic_figures_count_causes_interventions_and_days_to_revival(estate_a, officer, manager) -> None:
    revived_case(estate_a, officer, manager, days_ago=10)  # opened 40 days ago: 30 days to revival
    revived_case(estate_a, officer, manager, days_ago=20)  # opened 50 days ago: 30 days
    figures = clinic_figures(RevivalCase.objects.all())
    assert figures["revived"] == 2
    assert figures["days_mean"] == 30
    assert [(cause.value, n) for cause, n, _high in figures["causes"]] == [("market", 2)]
    technical = next(row for row in figures["interventions"] if row[0].value == "technical")
    assert technical[2] == 4


def test_the_exports_neutralise_formulas(client, estate_a, officer, manager) -> None:
    unit = idle_unit(estate_a, name="=SUM(1+1) واحد")
    case = services.open_case(unit, by=officer)
    services.record_diagnosis(
        case,
        by=officer,
        visit_on=None,
        diagnosis="",
        unit_account="",
        causes=[{"cause": "other", "severity": 1}],
    )
    client.force_login(manager)
    csv = client.get("/revival/cases/?export=csv").content.decode("utf-8-sig")
    assert "'=SUM(1+1) واحد" in csv
    response = client.get("/revival/figures/?sheet=causes&export=csv")
    assert response.status_code == 200
    assert "سایر,1,0" in response.content.decode("utf-8-sig")
    xlsx = client.get("/revival/figures/?sheet=interventions&export=xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert rows[0][0] == "اقدام"


def test_the_early_warning_scores_each_signal_by_its_weight(estate_a, manager) -> None:
    steady = UnitFactory(estate=estate_a, employees=40)
    falling = UnitFactory(estate=estate_a, employees=40, status="semi_active")
    falling.employees = 30  # a quarter fewer, recorded by the field-level audit
    falling.save()
    came_back = idle_unit(estate_a)
    StatusChange.objects.create(
        unit=came_back,
        from_status="idle",
        to_status="operating",
        date=TODAY - dt.timedelta(days=100),
        cause="other",
    )
    came_back.status = "operating"
    came_back.save()
    counts = refresh_assessments()
    scores = {row.unit_id: row for row in RiskAssessment.objects.all()}
    weight = {code: signal.weight for code, signal in BY_CODE.items()}
    assert scores[steady.pk].score == weight["no_bridge_activity"]
    assert not scores[steady.pk].at_risk
    expected = weight["semi_active"] + weight["falling_employees"] + weight["no_bridge_activity"]
    assert scores[falling.pk].score == expected
    assert scores[falling.pk].at_risk == (expected >= AT_RISK_SCORE)
    assert {s["code"] for s in scores[came_back.pk].signals} == {"was_idle", "no_bridge_activity"}
    assert counts["at_risk"] == sum(row.at_risk for row in scores.values())


def test_the_weekly_job_tells_each_companys_staff_of_their_units_at_risk(
    estate_a, manager, officer, staff_b
) -> None:
    falling = UnitFactory(estate=estate_a, employees=40, status="semi_active")
    falling.employees = 20
    falling.save()
    result = weekly_early_warning.call()
    assert result["at_risk"] == 1
    assert result["companies_told"] == 1
    assert manager.notifications.filter(url="/revival/at-risk/").exists()
    assert officer.notifications.filter(url="/revival/at-risk/").exists()
    assert not staff_b.notifications.exists()


def test_the_at_risk_page_shows_the_weights(client, estate_a, manager) -> None:
    falling = UnitFactory(estate=estate_a, employees=40, status="semi_active")
    falling.employees = 20
    falling.save()
    refresh_assessments()
    client.force_login(manager)
    page = client.get("/revival/at-risk/?at_risk=true").content.decode()
    assert falling.name in page
    assert "اکنون نیمه‌فعال" in page
    assert "+۲۵" in page  # the weight of "semi-active now", in Persian digits
