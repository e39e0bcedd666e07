"""The industrial clinic: an officer opens a case for an idle unit, records causes and interventions (one a
buyer linkage through the bridge), the unit returns to production through its life cycle, and the home
figure's drill-down shows it with its case; the rules that keep cases honest."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from peyvand.core import kpis
from peyvand.insights.figures import query_for
from peyvand.revival import services
from peyvand.revival.choices import CaseStage, InterventionKind, Result
from peyvand.revival.models import RevivalCase
from peyvand.sourcing.models import Linkage, SourcingRequest
from peyvand.units import services as unit_services
from peyvand.units.models import StatusChange

from .clock import clock_at_noon
from .factories import UnitFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
clock = clock_at_noon(TODAY)  # services asking the date agree with TODAY, past midnight too
LONG_AGO = dt.date(2022, 1, 1)


@pytest.fixture
def idle_unit(estate_a, unit_a):
    """Unit A, idle for years (its organisation has an admin through ``unit_a_owner`` when asked)."""
    StatusChange.objects.filter(unit=unit_a).update(to_status="idle", date=LONG_AGO)
    unit_a.status, unit_a.status_since = "idle", LONG_AGO
    unit_a.save()
    return unit_a


@pytest.fixture
def published_request(estate_a, buyer):
    return SourcingRequest.objects.create(
        buyer=buyer.memberships.get().organisation,
        company=estate_a.company,
        title="خرید کیسه برنج",
        text="بسته‌بندی برنج",
        quote_deadline=TODAY + dt.timedelta(days=20),
        state="published",
    )


def _diagnose(case, by):
    return services.record_diagnosis(
        case,
        by=by,
        visit_on=TODAY - dt.timedelta(days=2),
        diagnosis="نقدینگی ندارد و بازارش را از دست داده",
        unit_account="بانک ضمانت‌نامه را تمدید نکرد",
        causes=[
            {"cause": "working_capital", "severity": 3, "note": ""},
            {"cause": "market", "severity": 2, "note": "مشتری اصلی رفت"},
        ],
    )


def test_an_officer_takes_an_idle_unit_from_case_to_revival_and_the_home_figure_lists_it_with_its_case(
    client, officer, manager, idle_unit, published_request
) -> None:
    opened = TODAY - dt.timedelta(days=30)
    case = services.open_case(idle_unit, by=officer, on=opened)
    assert case.stage == CaseStage.DIAGNOSIS
    _diagnose(case, officer)
    services.add_intervention(
        case,
        by=officer,
        kind=InterventionKind.FINANCING,
        title="معرفی به صندوق توسعه",
        due_on=TODAY + dt.timedelta(days=10),
        owner=officer,
        values={"institution": "صندوق توسعه ملی", "amount_asked_rial": 50_000_000_000},
    )
    linkage_help = services.add_intervention(
        case,
        by=officer,
        kind=InterventionKind.BUYER_LINKAGE,
        title="سفارش کیسه از خریدار بزرگ",
        due_on=TODAY + dt.timedelta(days=15),
        values={"request": published_request},
    )
    case.refresh_from_db()
    assert case.stage == CaseStage.TREATMENT
    # An idle unit cannot be put in touch yet: the bridge's own rule.
    with pytest.raises(ValidationError):
        services.put_in_touch(linkage_help, by=officer)
    # The officer may not change a unit's life cycle; the manager does (units' rule).
    with pytest.raises(PermissionDenied):
        services.record_return(
            case, "semi_active", date=TODAY - dt.timedelta(days=2), cause="revival_support", by=officer
        )
    services.record_return(
        case,
        "semi_active",
        date=TODAY - dt.timedelta(days=2),
        cause="revival_support",
        by=manager,
        jobs_restored=12,
    )
    case.refresh_from_db()
    idle_unit.refresh_from_db()
    assert idle_unit.status == "semi_active"
    assert case.stage == CaseStage.REVIVED
    assert case.return_change.from_status == "idle"
    assert case.return_change.to_status == "semi_active"
    assert case.outcome_on == TODAY - dt.timedelta(days=2)
    assert case.days_to_revival == 28
    assert case.jobs_restored == 12
    linkage = services.put_in_touch(linkage_help, by=officer)
    assert Linkage.objects.get(pk=linkage.pk).unit == idle_unit

    # The home figure's drill-down (the units list) shows the unit with its case.
    client.force_login(manager)
    figure = kpis.evaluate(kpis.get("returned_to_production"), query_for(manager))
    assert figure.value == 1
    page = client.get(figure.url).content.decode()
    assert idle_unit.name in page
    assert "C-" + f"{case.pk:05d}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in page
    # The clinic's figure: the returns that had a case, listed with their interventions.
    with_case = kpis.evaluate(kpis.get("returns_with_case"), query_for(manager))
    assert with_case.value == 1
    listed = client.get(with_case.url).content.decode()
    assert idle_unit.name in listed
    assert "پیوند با خریدار از راه پل" in listed  # the buyer-linkage intervention, in Persian


def test_a_status_change_made_on_the_units_page_revives_the_open_case(
    django_capture_on_commit_callbacks, manager, officer, idle_unit
) -> None:
    case = services.open_case(idle_unit, by=officer, on=TODAY - dt.timedelta(days=40))
    with django_capture_on_commit_callbacks(execute=True):
        unit_services.change_status(idle_unit, "operating", date=TODAY, cause="market_recovered", by=manager)
    case.refresh_from_db()
    assert case.stage == CaseStage.REVIVED
    assert case.return_change == StatusChange.objects.filter(unit=idle_unit).latest("id")


def test_a_unit_closed_ends_its_case_as_closed(
    django_capture_on_commit_callbacks, manager, officer, idle_unit
) -> None:
    case = services.open_case(idle_unit, by=officer, on=TODAY - dt.timedelta(days=40))
    with django_capture_on_commit_callbacks(execute=True):
        unit_services.change_status(idle_unit, "closed", date=TODAY, cause="owner_decision", by=manager)
    case.refresh_from_db()
    assert case.stage == CaseStage.CLOSED
    assert case.return_change is None


def test_the_clinic_refuses_an_operating_unit_and_a_second_open_case(officer, unit_a, idle_unit) -> None:
    operating = UnitFactory(estate=unit_a.estate)
    with pytest.raises(ValidationError, match=r"راکد|idle"):
        services.open_case(operating, by=officer)
    services.open_case(idle_unit, by=officer)
    with pytest.raises(ValidationError):
        services.open_case(idle_unit, by=officer)
    assert RevivalCase.objects.filter(unit=idle_unit).count() == 1


def test_staff_of_another_company_and_outsiders_cannot_open_a_case(staff_b, buyer, idle_unit) -> None:
    for person in (staff_b, buyer):
        with pytest.raises(PermissionDenied):
            services.open_case(idle_unit, by=person)
    assert not RevivalCase.objects.exists()


def test_a_unit_asks_for_help_and_staff_are_told(unit_a_owner, officer, manager, idle_unit) -> None:
    case = services.request_case(idle_unit, by=unit_a_owner, unit_account="بانک حساب‌ها را بست")
    assert case.stage == CaseStage.REQUESTED
    assert case.requested_by_unit
    assert officer.notifications.filter(url=case.get_absolute_url()).exists()
    # The representative sees the case, but cannot record its diagnosis.
    with pytest.raises(PermissionDenied):
        _diagnose(case, unit_a_owner)


def test_staff_do_not_ask_in_the_units_name_they_open_the_case(client, officer, manager, idle_unit) -> None:
    """A case asked for by staff would say the unit asked: staff are sent to the form that opens it."""
    for person in (officer, manager):
        with pytest.raises(PermissionDenied):
            services.request_case(idle_unit, by=person, unit_account="سفارش‌ها قطع شد")
        client.force_login(person)
        ask = reverse("revival:case_request", args=[idle_unit.pk])
        opening = f"{reverse('revival:case_create')}?unit={idle_unit.pk}"
        assert client.get(ask)["Location"] == opening
        response = client.post(ask, {"unit_account": "سفارش‌ها قطع شد"}, follow=True)
        assert response.redirect_chain[-1][0] == opening
        assert "خودشان" in response.content.decode()  # the message says why (in Persian)
    assert not RevivalCase.objects.exists()


def test_a_wrong_diagnosis_writes_nothing(officer, idle_unit) -> None:
    case = services.open_case(idle_unit, by=officer, on=TODAY - dt.timedelta(days=5))
    _diagnose(case, officer)
    with pytest.raises(ValidationError):
        services.record_diagnosis(
            case,
            by=officer,
            visit_on=TODAY + dt.timedelta(days=3),  # in the future
            diagnosis="x",
            unit_account="",
            causes=[{"cause": "legal", "severity": 1}],
        )
    assert sorted(case.causes.values_list("cause", flat=True)) == ["market", "working_capital"]


def test_the_amount_granted_cannot_exceed_the_amount_asked(officer, idle_unit) -> None:
    case = services.open_case(idle_unit, by=officer)
    with pytest.raises(ValidationError):
        services.add_intervention(
            case,
            by=officer,
            kind="financing",
            title="وام",
            due_on=TODAY,
            values={"amount_asked_rial": 10, "amount_granted_rial": 20},
        )
    help_ = services.add_intervention(
        case, by=officer, kind="financing", title="وام", due_on=TODAY, values={"amount_asked_rial": 10}
    )
    with pytest.raises(ValidationError):
        services.record_result(help_, by=officer, result=Result.SUCCEEDED, on=TODAY, amount_granted_rial=11)
    services.record_result(help_, by=officer, result=Result.PARTIAL, on=TODAY, amount_granted_rial=6)
    help_.refresh_from_db()
    assert help_.amount_granted_rial == 6
    assert help_.result == Result.PARTIAL


def test_the_diagnosis_form_speaks_persian_and_keeps_the_page(client, officer, idle_unit) -> None:
    case = services.open_case(idle_unit, by=officer)
    client.force_login(officer)
    url = reverse("revival:case_diagnosis", args=[case.pk])
    response = client.post(url, {"diagnosis_visit_on": "۱۴۰۵/۱۳/۰۱", "note_market": "<script>x</script>"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "ماه" in text  # the date's month is named in Persian
    assert "<script>x</script>" not in text
    assert not case.causes.exists()


def test_the_case_page_shows_causes_interventions_and_the_timeline(client, officer, idle_unit) -> None:
    case = services.open_case(idle_unit, by=officer, on=TODAY - dt.timedelta(days=3))
    _diagnose(case, officer)
    services.add_intervention(
        case,
        by=officer,
        kind="mediation",
        title="مذاکره با بانک ملی",
        due_on=TODAY,
        values={"counterpart": "bank"},
    )
    client.force_login(officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "مذاکره با بانک ملی" in page
    assert "سرمایه در گردش" in page  # the cause, in Persian
    assert re.search(r'data-testid="timeline"', page)


def test_the_units_page_opens_the_clinic_for_staff_and_for_its_representatives(
    client, officer, unit_a_owner, buyer, idle_unit
) -> None:
    client.force_login(officer)
    page = client.get(idle_unit.get_absolute_url()).content.decode()
    assert 'data-testid="open-case-for-unit"' in page
    client.force_login(unit_a_owner)
    page = client.get(idle_unit.get_absolute_url()).content.decode()
    assert 'data-testid="ask-clinic"' in page
    response = client.post(
        reverse("revival:case_request", args=[idle_unit.pk]), {"unit_account": "سفارش‌ها قطع شد"}
    )
    case = RevivalCase.objects.get(unit=idle_unit)
    assert response["Location"] == case.get_absolute_url()
    assert case.requested_by_unit
    # Now the case is open: the page shows it instead of the way in.
    page = client.get(idle_unit.get_absolute_url()).content.decode()
    assert 'data-testid="ask-clinic"' not in page
    assert case.get_absolute_url() in page
    client.force_login(buyer)
    assert (
        client.post(reverse("revival:case_request", args=[idle_unit.pk]), {"unit_account": "x"}).status_code
        == 404
    )


def test_merging_two_records_of_one_unit_moves_its_cases_or_refuses_two_open_ones(
    manager, officer, estate_a, idle_unit
) -> None:
    duplicate = UnitFactory(estate=estate_a, name=idle_unit.name, status="idle", status_since=LONG_AGO)
    mine = services.open_case(idle_unit, by=officer)
    theirs = services.open_case(duplicate, by=officer)
    with pytest.raises(ValidationError, match="کلینیک"):
        unit_services.merge_units(idle_unit, duplicate, by=manager)
    services.move_case(theirs, CaseStage.STILL_IDLE, by=officer, note="دوباره ثبت شده بود")
    unit_services.merge_units(idle_unit, duplicate, by=manager)
    assert set(RevivalCase.objects.filter(unit=idle_unit)) == {mine, theirs}


def test_the_board_counts_cases_by_stage_and_estate(client, officer, estate_a, idle_unit) -> None:
    services.open_case(idle_unit, by=officer)
    services.open_case(UnitFactory(estate=estate_a, status="semi_active"), by=officer)
    client.force_login(officer)
    page = client.get(reverse("revival:case_list")).content.decode()
    board = page[page.index('data-testid="estate-board"') :]
    assert estate_a.name in board
    assert '<td class="num text-end">۲</td>' in board  # two open cases in the estate
    assert "عارضه‌یابی" in page[page.index('data-testid="stage-board"') :]


def test_opening_a_case_refuses_a_date_before_1300_in_persian(client, officer, idle_unit) -> None:
    client.force_login(officer)
    response = client.post(reverse("revival:case_create"), {"unit": idle_unit.pk, "opened_on": "1250/01/01"})
    assert response.status_code == 200
    assert "۱۳۰۰" in response.content.decode()
    assert not RevivalCase.objects.exists()


def test_a_return_to_production_imported_from_a_sheet_revives_the_open_case_too(
    django_capture_on_commit_callbacks, tmp_path, settings, manager, officer, idle_unit
) -> None:
    import jdatetime

    from .test_import_units import import_data, xlsx

    settings.MEDIA_ROOT = tmp_path / "media"
    case = services.open_case(idle_unit, by=officer, on=TODAY - dt.timedelta(days=40))
    today = jdatetime.date.fromgregorian(date=TODAY).strftime("%Y/%m/%d")
    rows = [
        ["نام واحد", "شناسه ملی", "وضعیت جدید", "تاریخ تغییر", "علت", "توضیحات"],
        [idle_unit.name, "", "دایر", today, "بازگشت بازار", ""],
    ]
    with django_capture_on_commit_callbacks(execute=True):
        code, output = import_data(
            "status_changes", str(xlsx(tmp_path / "h.xlsx", rows)), "--user", "manager_a", "--apply"
        )
    assert code == 0, output
    case.refresh_from_db()
    assert case.stage == CaseStage.REVIVED
    assert case.return_change == StatusChange.objects.filter(unit=idle_unit).latest("id")
