"""Green estates: plants and their progress, effluent tests that open compliance cases, the symbiosis
matcher and brokered exchanges — through the services and the pages, as users meet them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peyvand.core import kpis
from peyvand.core.jalali import jalali_text, persian_digits
from peyvand.core.kpis import Period, Query
from peyvand.estates.models import County
from peyvand.green import services, symbiosis
from peyvand.green.models import ComplianceCase, EffluentTest, ResourceListing, SymbiosisLink, TreatmentPlant
from peyvand.notifications.models import Notification

from .factories import EstateFactory, UnitFactory
from .green_world import green_officer, make_plant

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def expert(company_a):
    return green_officer(company_a)


def _test(unit, by, **values):
    data = {"sampled_on": TODAY(), "lab": "آزمایشگاه معتمد", "receiving_body": "sewer"}
    return services.record_test(unit, {**data, **values}, by=by)


# --- plants ---------------------------------------------------------------------------------------
def test_progress_reports_move_the_plants_progress_and_never_go_back(estate_a, officer) -> None:
    plant = make_plant(estate_a, officer, stage="under_construction")
    services.report_progress(plant, date=TODAY() - dt.timedelta(days=30), percent=40, by=officer)
    services.report_progress(plant, date=TODAY(), percent=55, inflow_m3_day=Decimal("120.5"), by=officer)
    plant.refresh_from_db()
    assert (plant.progress_percent, plant.inflow_m3_day) == (55, Decimal("120.5"))
    with pytest.raises(ValidationError, match="عقب"):
        services.report_progress(plant, date=TODAY(), percent=50, by=officer)
    with pytest.raises(ValidationError, match="آینده"):
        services.report_progress(plant, date=TODAY() + dt.timedelta(days=1), percent=60, by=officer)
    assert plant.reports.count() == 2


def test_a_plant_moves_only_along_its_stages_and_opens_on_the_day_it_operates(estate_a, officer) -> None:
    plant = make_plant(estate_a, officer, stage="under_construction")
    with pytest.raises(ValidationError):
        services.move_plant(plant, "planned", date=TODAY(), by=officer)
    opened = TODAY() - dt.timedelta(days=3)
    services.move_plant(plant, "commissioning", date=opened - dt.timedelta(days=20), by=officer)
    services.move_plant(plant, "operating", date=opened, by=officer)
    plant.refresh_from_db()
    assert (plant.stage, plant.actual_opening) == ("operating", opened)
    assert list(plant.stage_changes.values_list("to_stage", flat=True)) == [
        "under_construction",
        "commissioning",
        "operating",
    ]


def test_outsiders_and_units_cannot_report_progress(estate_a, staff_b, unit_a_owner, officer) -> None:
    plant = make_plant(estate_a, officer, stage="under_construction")
    for user in (staff_b, unit_a_owner):
        with pytest.raises(PermissionDenied):
            services.report_progress(plant, date=TODAY(), percent=10, by=user)


def test_plants_due_by_year_end_counts_unopened_plants_planned_up_to_the_jalali_year_end(
    estate_a, officer
) -> None:
    today = dt.date(2026, 6, 15)  # 1405/03/25; the Jalali year ends 2027-03-20
    year_end = dt.date(2027, 3, 20)
    make_plant(estate_a, officer, name="الف", stage="under_construction", planned_opening=year_end)
    make_plant(
        estate_a, officer, name="ب", stage="commissioning", planned_opening=dt.date(2026, 1, 1)
    )  # late
    make_plant(estate_a, officer, name="ج", stage="design", planned_opening=year_end + dt.timedelta(days=1))
    make_plant(estate_a, officer, name="د", stage="operating", planned_opening=dt.date(2026, 5, 1))
    make_plant(estate_a, officer, name="ه", stage="planned")  # no date yet
    due = TreatmentPlant.objects.due_by_year_end(today)
    assert sorted(due.values_list("name", flat=True)) == ["الف", "ب"]


def test_a_plant_that_opened_last_month_was_due_two_months_ago(estate_a, officer) -> None:
    plant = make_plant(
        estate_a, officer, stage="commissioning", stage_since=dt.date(2025, 1, 1), planned_opening=TODAY()
    )
    services.move_plant(plant, "operating", date=TODAY() - dt.timedelta(days=30), by=officer)
    assert not TreatmentPlant.objects.due_by_year_end(TODAY()).exists()
    assert TreatmentPlant.objects.due_by_year_end(TODAY() - dt.timedelta(days=60)).get() == plant
    assert TreatmentPlant.objects.in_stage(["operating"], TODAY() - dt.timedelta(days=60)).count() == 0


def test_the_plant_form_refuses_years_outside_1300_to_1500_in_persian(client, manager, estate_a) -> None:
    client.force_login(manager)
    response = client.post(
        reverse("green:plant_create"),
        {
            "name": "تصفیه‌خانه",
            "estates": [estate_a.pk],
            "capacity_m3_day": "۱۵۰۰",
            "technology": "sbr",
            "planned_opening": "1600/01/01",
            "initial_stage": "planned",
            "stage_since": "1404/01/01",
        },
    )
    assert response.status_code == 200
    # The project's one date range (core/limits.py), said in Persian with Persian digits; nothing written.
    assert "خارج از بازه است: تاریخی میان سال‌های ۱۳۰۰ و ۱۵۰۰" in response.text
    assert not TreatmentPlant.objects.filter(name="تصفیه‌خانه").exists()
    assert not TreatmentPlant.objects.exists()


def test_an_officer_registers_a_plant_with_persian_digits_and_sees_it_on_the_estate_page(
    client, officer, estate_a
) -> None:
    client.force_login(officer)
    response = client.post(
        reverse("green:plant_create"),
        {
            "name": "تصفیه‌خانه <b>شهرک</b>",
            "estates": [estate_a.pk],
            "capacity_m3_day": "۱٬۵۰۰",
            "technology": "mbbr",
            "planned_opening": "۱۴۰۵/۱۱/۳۰",
            "initial_stage": "under_construction",
            "stage_since": "1404/06/01",
        },
    )
    plant = TreatmentPlant.objects.get()
    assert response.status_code == 302
    assert (plant.capacity_m3_day, plant.stage, jalali_text(plant.planned_opening)) == (
        1500,
        "under_construction",
        "1405/11/30",
    )
    page = client.get(reverse("estates:detail", args=[estate_a.pk]))
    assert 'data-testid="estate-plants"' in page.text
    assert "&lt;b&gt;شهرک&lt;/b&gt;" in page.text  # escaped, never markup


# --- effluent tests and compliance -----------------------------------------------------------------
def test_a_failing_test_opens_a_case_with_a_deadline_and_tells_the_unit(unit_a, unit_a_owner, expert) -> None:
    passing = _test(unit_a, expert, cod=Decimal("300"), ph=Decimal("7.2"))
    assert passing.passed
    assert not ComplianceCase.objects.exists()
    failing = _test(unit_a, expert, cod=Decimal("820"), ph=Decimal("5.1"), tss=Decimal("100"))
    assert not failing.passed
    assert sorted(row[0] for row in failing.exceedances) == ["cod", "ph"]  # pH under its minimum
    case = failing.case
    assert (case.state, case.deadline, case.repeated) == ("open", TODAY() + dt.timedelta(days=30), False)
    notice = Notification.objects.get(user=unit_a_owner)
    assert notice.url == case.get_absolute_url()
    assert "۸۲۰" not in notice.title_fa
    assert "پساب" in notice.title_fa


def test_a_second_failure_within_twelve_months_is_flagged_repeated(unit_a, expert) -> None:
    _test(unit_a, expert, sampled_on=TODAY() - dt.timedelta(days=200), cod=Decimal("900"))
    second = _test(unit_a, expert, cod=Decimal("700"))
    assert second.case.repeated


def test_the_companys_own_limit_decides(unit_a, expert, company_a) -> None:
    services.ensure_limits(company_a)
    company_a.discharge_limits.filter(receiving_body="sewer", parameter="cod").update(maximum=1000)
    assert _test(unit_a, expert, cod=Decimal("900")).passed


def test_the_limits_page_writes_nothing_and_the_defaults_are_adopted_by_an_explicit_step(
    client, company_a, manager, officer
) -> None:
    from peyvand.core.audit import timeline
    from peyvand.green.choices import DEFAULT_LIMITS
    from peyvand.green.models import DischargeLimit

    wanted = sum(len(limits) for limits in DEFAULT_LIMITS.values())
    client.force_login(officer)  # reads the limits, does not set them: no button, and nothing written
    page = client.get(reverse("green:limit_list"))
    assert page.status_code == 200
    assert 'data-testid="adopt-defaults"' not in page.text
    client.force_login(manager)
    page = client.get(reverse("green:limit_list"))
    assert not DischargeLimit.objects.exists()  # a GET never writes (it used to create the defaults)
    assert 'data-testid="adopt-defaults"' in page.text
    assert persian_digits(str(wanted)) in page.text  # how many are missing, in Persian digits
    client.force_login(officer)
    assert client.post(reverse("green:limit_list")).status_code == 403
    assert not DischargeLimit.objects.exists()
    client.force_login(manager)
    answer = client.post(reverse("green:limit_list"), follow=True)
    assert DischargeLimit.objects.filter(company=company_a).count() == wanted
    assert 'data-testid="adopt-defaults"' not in answer.text
    assert [event.code for event in timeline(company_a)] == ["green.limits.adopted"]
    own = DischargeLimit.objects.get(company=company_a, receiving_body="sewer", parameter="cod")
    DischargeLimit.objects.filter(pk=own.pk).update(maximum=1000)
    client.post(reverse("green:limit_list"))  # nothing missing: nothing changed, its own limit kept
    assert DischargeLimit.objects.get(pk=own.pk).maximum == 1000
    assert len(timeline(company_a)) == 1


def test_a_test_without_any_value_is_refused_and_writes_nothing(unit_a, expert) -> None:
    with pytest.raises(ValidationError):
        _test(unit_a, expert)
    assert not EffluentTest.objects.exists()


def test_units_see_their_own_tests_and_cases_only(
    client, unit_a, unit_b, unit_a_owner, unit_b_owner, expert
) -> None:
    _test(unit_a, expert, cod=Decimal("900"))
    _test(unit_b, expert, cod=Decimal("100"))
    client.force_login(unit_b_owner)
    page = client.get(reverse("green:test_list"))
    assert unit_b.name in page.text
    assert unit_a.name not in page.text
    assert client.get(reverse("green:case_list")).text.count('data-testid="repeated-flag"') == 0
    client.force_login(unit_a_owner)
    case = ComplianceCase.objects.get()
    assert client.get(case.get_absolute_url()).status_code == 200
    assert client.post(case.get_absolute_url(), {"date": "1404/01/01", "resolution": "x"}).status_code == 403


def test_the_test_form_refuses_a_ph_of_15_in_persian(client, manager, unit_a) -> None:
    client.force_login(manager)
    response = client.post(
        reverse("green:test_create"),
        {
            "unit": unit_a.pk,
            "sampled_on": jalali_text(TODAY()),
            "lab": "آزمایشگاه",
            "receiving_body": "sewer",
            "ph": "۱۵",
        },
    )
    assert response.status_code == 200
    assert "کوچکتر و یا مساوی 14" in response.text
    assert not EffluentTest.objects.exists()


def test_resolving_a_case_needs_how_and_closes_it(client, manager, unit_a, expert) -> None:
    case = _test(unit_a, expert, cod=Decimal("900")).case
    client.force_login(manager)
    client.post(case.get_absolute_url(), {"date": jalali_text(TODAY()), "resolution": "پیش‌تصفیه نصب شد"})
    case.refresh_from_db()
    assert (case.state, case.resolution) == ("resolved", "پیش‌تصفیه نصب شد")


# --- symbiosis ------------------------------------------------------------------------------------
def _offer(id, unit, estate, material, text="", tonnes=100.0, lat=37.2, lon=49.6):
    return symbiosis.Offer(
        id, unit, f"unit {unit}", estate, f"estate {estate}", material, text, tonnes, lat, lon
    )


LABELS = {
    "rice_husk": ("پوسته برنج", "rice husk"),
    "waste_heat": ("گرمای اتلافی", "waste heat"),
    "other": ("سایر", "other"),
}


def test_the_matcher_pairs_the_same_material_across_estates_with_reasons_and_distance() -> None:
    have = _offer(1, 10, 1, "rice_husk", "پوسته برنج خشک", 500, 37.2, 49.6)
    want = _offer(2, 20, 2, "rice_husk", "سوخت کوره آجرپزی", 400, 37.3, 49.7)
    far = _offer(3, 30, 3, "rice_husk", "", 400, 38.9, 48.0)  # > 150 km
    (proposal,) = symbiosis.propose([have], [want, far], LABELS)
    assert proposal.want.id == 2
    assert 10 < proposal.distance_km < 20
    assert proposal.reasons["fa"][0] == "همان ماده: پوسته برنج"
    assert proposal.reasons["en"][0] == "same material: rice husk"
    assert any("km apart" in reason for reason in proposal.reasons["en"])


def test_texts_in_persian_and_english_meet_without_a_material_code() -> None:
    have = _offer(1, 10, 1, "other", "پوسته برنج")
    want = _offer(2, 20, 1, "other", "پوسته‌های برنج برای سوخت")
    assert symbiosis.score_pair(have, want, LABELS) is not None
    assert symbiosis.score_pair(have, _offer(3, 30, 1, "other", "بطری پت"), LABELS) is None


def test_heat_pairs_only_inside_one_estate_and_a_unit_never_with_itself() -> None:
    heat = _offer(1, 10, 1, "waste_heat", tonnes=300)
    assert symbiosis.score_pair(heat, _offer(2, 20, 1, "waste_heat"), LABELS).distance_km == 0
    assert symbiosis.score_pair(heat, _offer(3, 30, 2, "waste_heat", lat=37.21, lon=49.61), LABELS) is None
    assert symbiosis.score_pair(heat, _offer(4, 10, 1, "waste_heat"), LABELS) is None


@pytest.fixture
def rice_world(company_a, unit_a, unit_b):
    lahijan = EstateFactory(
        company=company_a, county=County.objects.get(code="lahijan"), latitude=37.2, longitude=50.0
    )
    brick = UnitFactory(estate=lahijan, name="آجرپزی نمونه")
    unit_a.estate.latitude, unit_a.estate.longitude = Decimal("37.28"), Decimal("49.58")
    unit_a.estate.save()
    have = ResourceListing.objects.create(
        unit=unit_a, direction="have", material="rice_husk", tonnes_per_year=500, description="پوسته برنج"
    )
    want = ResourceListing.objects.create(
        unit=brick, direction="want", material="rice_husk", tonnes_per_year=400, description="سوخت کوره"
    )
    ResourceListing.objects.create(unit=unit_b, direction="want", material="pet", tonnes_per_year=50)
    return have, want


def test_an_officer_brokers_a_rice_husk_have_to_a_want_and_the_tonnes_are_counted(
    client, officer, rice_world
) -> None:
    have, want = rice_world
    client.force_login(officer)
    page = client.get(reverse("green:proposal_list"))
    assert f'data-testid="broker-{have.pk}-{want.pk}"' in page.text
    assert "همان ماده: پوسته برنج" in page.text
    response = client.post(reverse("green:link_start"), {"have": have.pk, "want": want.pk})
    link = SymbiosisLink.objects.get()
    assert response["Location"] == link.get_absolute_url()
    assert f'data-testid="broker-{have.pk}-{want.pk}"' not in client.get(reverse("green:proposal_list")).text
    day = jalali_text(TODAY())
    client.post(
        link.get_absolute_url(),
        {"to_stage": "contract", "date": day, "tonnes_per_year": "۴۰۰", "value_rial": "۲۰۰۰۰۰۰۰۰۰"},
    )
    link.refresh_from_db()
    assert (link.stage, link.tonnes_per_year) == ("contract", Decimal("400"))
    figure = kpis.evaluate(kpis.get("tonnes_diverted"), Query(officer, Period(TODAY())))
    assert figure.value == 400
    listing_page = client.get(figure.url)
    assert 'data-total="tonnes" data-value="400"' in listing_page.text


def test_losing_an_exchange_needs_a_reason(officer, rice_world) -> None:
    link = services.start_exchange(*rice_world, by=officer)
    with pytest.raises(ValidationError, match="چرا"):
        services.move_exchange(link, "lost", date=TODAY(), by=officer)
    with pytest.raises(ValidationError):
        services.move_exchange(link, "running", date=TODAY(), by=officer)  # not from introduced


def test_a_unit_lists_its_own_haves_only(client, unit_a_owner, unit_a, unit_b) -> None:
    client.force_login(unit_a_owner)
    form = {
        "direction": "have",
        "material": "rice_husk",
        "tonnes_per_year": "۲۰۰",
        "form": "solid",
        "active": "on",
    }
    assert client.post(reverse("green:listing_create"), {**form, "unit": unit_b.pk}).status_code == 200
    assert client.post(reverse("green:listing_create"), {**form, "unit": unit_a.pk}).status_code == 302
    assert list(ResourceListing.objects.values_list("unit_id", "tonnes_per_year")) == [
        (unit_a.pk, Decimal("200"))
    ]


# --- figures, lists, exports ----------------------------------------------------------------------
def test_the_dashboard_figures_equal_their_lists(
    client, manager, estate_a, unit_a, unit_b, expert, officer
) -> None:
    make_plant(estate_a, officer, name="الف", stage="under_construction", planned_opening=TODAY())
    make_plant(estate_a, officer, name="ب", stage="operating")
    services.save_connection(unit_a, _connection_values(connected=True), by=manager)
    _test(unit_a, expert, cod=Decimal("900"))
    _test(unit_b, expert, cod=Decimal("100"))
    _test(unit_b, expert, cod=Decimal("120"))
    client.force_login(manager)
    page = client.get(reverse("green:dashboard"))
    assert page.status_code == 200
    figures = {
        f.code: f
        for f in kpis.figures(
            Query(manager, Period(TODAY())),
            ["plants_operating", "plants_due_by_year_end", "sewer_connection_share", "effluent_compliance"],
        )
    }
    assert figures["plants_due_by_year_end"].value == 1
    assert figures["plants_operating"].value == 1
    assert (figures["sewer_connection_share"].count, figures["sewer_connection_share"].base) == (1, 2)
    assert (figures["effluent_compliance"].count, figures["effluent_compliance"].base) == (2, 3)
    for figure in figures.values():
        assert f'href="{figure.url}"'.replace("&", "&amp;") in page.text
        listed = client.get(figure.url).text
        count = figure.count if figure.count is not None else figure.value
        assert f'data-testid="result-count">{_fa(count)} ' in listed


def _fa(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def _connection_values(connected: bool):
    """What the connection page's form hands the service."""
    from peyvand.green.forms import ConnectionForm

    form = ConnectionForm(
        {"connected": "on" if connected else "", "connected_on": "1403/01/01", "receiving_body": "sewer"}
    )
    assert form.is_valid(), form.errors
    return form.cleaned_data


def _queries(client, url: str) -> int:
    """Queries of one request, right after a warm-up request (short-lived caches warm both times)."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


LISTS = [
    "green:proposal_list",
    "green:plant_list",
    "green:test_list",
    "green:case_list",
    "green:listing_list",
    "green:link_list",
    "green:connection_list",
    "green:dashboard",
]


def _grow(estate, officer, expert, size: int) -> None:
    for number in range(size):
        plant = make_plant(estate, officer, name=f"تصفیه‌خانه {number}", planned_opening=TODAY())
        plant.estates.add(EstateFactory(company=estate.company))
        unit = UnitFactory(estate=estate)
        _test(unit, expert, cod=Decimal("900"))
        have = ResourceListing.objects.create(
            unit=unit, direction="have", material="whey", tonnes_per_year=100
        )
        want = ResourceListing.objects.create(
            unit=UnitFactory(estate=estate), direction="want", material="whey", tonnes_per_year=90
        )
        services.start_exchange(have, want, by=officer)


@pytest.mark.parametrize("url_name", LISTS)
def test_green_lists_run_a_fixed_number_of_queries(
    client, manager, officer, expert, estate_a, url_name
) -> None:
    client.force_login(manager)
    _grow(estate_a, officer, expert, 2)
    few = _queries(client, reverse(url_name))
    _grow(estate_a, officer, expert, 12)
    many = _queries(client, reverse(url_name))
    assert many == few, f"{url_name}: {few} queries with few rows, {many} with many"


def test_the_tests_export_neutralises_formulas_and_writes_jalali_dates(
    client, manager, unit_a, expert
) -> None:
    _test(unit_a, expert, lab='=HYPERLINK("http://x")', cod=Decimal("900"))
    client.force_login(manager)
    response = client.get(reverse("green:test_list") + "?export=csv")
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert jalali_text(TODAY()) in text


def test_an_environment_expert_lists_a_have_for_a_unit_of_the_company(client, expert, unit_a, unit_b) -> None:
    from peyvand.green.forms import listing_units

    assert set(listing_units(expert)) == {unit_a, unit_b}
    client.force_login(expert)
    form = {
        "direction": "want",
        "material": "whey",
        "tonnes_per_year": "50",
        "form": "liquid",
        "unit": unit_b.pk,
    }
    assert client.post(reverse("green:listing_create"), form).status_code == 302


def test_merging_two_records_of_a_unit_keeps_its_tests_listings_and_connection(
    manager, company_a, expert
) -> None:
    from peyvand.green.models import UnitConnection
    from peyvand.units.services import merge_units

    estate = EstateFactory(company=company_a)
    survivor, duplicate = UnitFactory(estate=estate), UnitFactory(estate=estate)
    test = _test(duplicate, expert, cod=Decimal("900"))
    listing = ResourceListing.objects.create(
        unit=duplicate, direction="have", material="whey", tonnes_per_year=10
    )
    UnitConnection.objects.create(unit=survivor, connected=False)
    UnitConnection.objects.create(unit=duplicate, connected=True, connected_on=dt.date(2025, 1, 1))
    merge_units(survivor, duplicate, by=manager)
    test.refresh_from_db()
    listing.refresh_from_db()
    assert (test.unit, test.case.unit, listing.unit) == (survivor, survivor, survivor)
    assert UnitConnection.objects.get().unit == survivor
    assert UnitConnection.objects.get().connected


def test_the_compliance_deadline_follows_the_setting(settings, unit_a, expert) -> None:
    settings.PEYVAND_COMPLIANCE_DEADLINE_DAYS = 14
    case = _test(unit_a, expert, cod=Decimal("900")).case
    assert case.deadline == case.opened_on + dt.timedelta(days=14)
