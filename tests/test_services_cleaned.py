"""Services take cleaned values and the acting user (issue 19 item 4): called here directly, with no page,
as the API, a command or an importer would — a valid save (written, on the timeline), a refused actor and a
field the caller may not set or a key it does not know (both refused with nothing written)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from peyvand.core.audit import timeline
from peyvand.estates import services as estate_services
from peyvand.estates.models import County, IndustrialEstate, Plot
from peyvand.green import services as green_services
from peyvand.green.models import ResourceListing, TreatmentPlant, UnitConnection
from peyvand.investment import services as investment_services
from peyvand.investment.models import Application, Investor, LandUse
from peyvand.sourcing import services as sourcing_services
from peyvand.sourcing.models import SourcingRequest
from peyvand.taxonomy.models import Classification

from .factories import PlotFactory
from .green_world import make_plant
from .investment_world import make_application, make_investor

pytestmark = pytest.mark.django_db


def _codes(obj) -> list[str]:
    return [event.code for event in timeline(obj)]


# --- estates ---------------------------------------------------------------------------------------
def _estate_values(**values):
    return {
        "name": "شهرک صنعتی رودبار",
        "name_en": "Rudbar Industrial Estate",
        "code": "rudbar",
        "kind": "estate",
        "county": County.objects.get(code="rasht"),
        "total_area_ha": Decimal(120),
        "industrial_area_ha": Decimal(80),
        **values,
    }


def test_save_estate_adds_an_estate_of_the_acting_company_on_its_timeline(company_a, manager) -> None:
    estate = estate_services.save_estate(None, _estate_values(), by=manager)
    estate.refresh_from_db()
    assert (estate.name, estate.company, estate.industrial_area_ha) == (
        "شهرک صنعتی رودبار",
        company_a,
        Decimal(80),
    )
    assert _codes(estate) == ["estates.estate.created"]

    estate_services.save_estate(estate, {"industrial_area_ha": Decimal(90), "name": estate.name}, by=manager)
    estate.refresh_from_db()
    assert estate.industrial_area_ha == Decimal(90)
    updated = timeline(estate).filter(code="estates.estate.updated").get()
    assert updated.data == {"fields": ["industrial_area_ha"]}


def test_save_estate_refuses_another_companys_staff_and_a_unit(estate_a, staff_b, unit_a_owner) -> None:
    for outsider in (staff_b, unit_a_owner):
        with pytest.raises(PermissionDenied):
            estate_services.save_estate(estate_a, {"name": "تغییر"}, by=outsider)
    with pytest.raises(PermissionDenied):
        estate_services.save_estate(None, _estate_values(), by=unit_a_owner)
    estate_a.refresh_from_db()
    assert estate_a.name != "تغییر"
    assert not IndustrialEstate.objects.filter(code="rudbar").exists()


def test_save_estate_refuses_a_field_not_allowed_and_bad_areas(estate_a, manager) -> None:
    with pytest.raises(PermissionDenied):
        estate_services.save_estate(estate_a, {"name": "تغییر", "sort_name": "x"}, by=manager)
    with pytest.raises(ValidationError) as error:
        estate_services.save_estate(estate_a, {"industrial_area_ha": Decimal(500)}, by=manager)
    assert "industrial_area_ha" in error.value.message_dict
    estate_a.refresh_from_db()
    assert estate_a.name != "تغییر"
    assert estate_a.industrial_area_ha == Decimal(70)
    assert "estates.estate.updated" not in _codes(estate_a)


def test_save_plot_adds_a_plot_with_latin_digits_and_refuses_a_duplicate_number(estate_a, manager) -> None:
    plot = estate_services.save_plot(
        None, {"estate": estate_a, "number": "۱۲", "area_m2": Decimal(3000)}, by=manager
    )
    assert Plot.objects.get(pk=plot.pk).number == "12"
    assert timeline(estate_a).filter(code="estates.plot.added").get().data == {"number": "12"}
    with pytest.raises(ValidationError) as error:
        estate_services.save_plot(None, {"estate": estate_a, "number": "12", "area_m2": 10}, by=manager)
    assert "number" in error.value.message_dict
    estate_services.save_plot(plot, {"state": "allocated"}, by=manager)
    assert Plot.objects.get(pk=plot.pk).state == "allocated"
    assert Plot.objects.filter(estate=estate_a).count() == 1


def test_save_plot_refuses_another_companys_staff_and_a_move_to_another_estate(
    estate_a, estate_b, manager, staff_b
) -> None:
    plot = PlotFactory(estate=estate_a, number="7")
    with pytest.raises(PermissionDenied):
        estate_services.save_plot(plot, {"area_m2": 1}, by=staff_b)
    with pytest.raises(PermissionDenied):
        estate_services.save_plot(None, {"estate": estate_a, "number": "8", "area_m2": 1}, by=staff_b)
    with pytest.raises(PermissionDenied):  # a plot stays in its estate
        estate_services.save_plot(plot, {"estate": estate_b}, by=manager)
    assert list(Plot.objects.values_list("estate_id", "number", "area_m2")) == [(estate_a.pk, "7", 2000)]


# --- green -----------------------------------------------------------------------------------------
def test_save_plant_registers_and_edits_a_plant_from_values(estate_a, officer) -> None:
    plant = green_services.save_plant(
        None,
        {
            "name": "تصفیه‌خانه رودبار",
            "estates": [estate_a],
            "capacity_m3_day": Decimal(1200),
            "technology": "sbr",
            "initial_stage": "design",
            "stage_since": dt.date(2024, 5, 1),
        },
        by=officer,
    )
    plant = TreatmentPlant.objects.get(pk=plant.pk)
    assert (plant.company_id, plant.stage, plant.stage_since) == (
        estate_a.company_id,
        "design",
        dt.date(2024, 5, 1),
    )
    assert list(plant.estates.all()) == [estate_a]
    green_services.save_plant(plant, {"contractor": "پیمانکار گیلان", "estates": [estate_a]}, by=officer)
    assert TreatmentPlant.objects.get(pk=plant.pk).contractor == "پیمانکار گیلان"
    assert timeline(plant).filter(code="green.plant.updated").get().data == {"fields": ["contractor"]}


def test_save_plant_refuses_an_outsider_a_stage_on_edit_and_estates_of_two_companies(
    estate_a, estate_b, officer, staff_b
) -> None:
    plant = make_plant(estate_a, officer)
    with pytest.raises(PermissionDenied):
        green_services.save_plant(plant, {"name": "دیگر"}, by=staff_b)
    with pytest.raises(PermissionDenied):  # the stage moves only through move_plant
        green_services.save_plant(plant, {"initial_stage": "operating"}, by=officer)
    with pytest.raises(ValidationError):
        green_services.save_plant(None, {"name": "دو شرکت", "estates": [estate_a, estate_b]}, by=officer)
    plant.refresh_from_db()
    assert (plant.name, plant.stage) == ("تصفیه‌خانه شهرک", "planned")
    assert TreatmentPlant.objects.count() == 1


def test_save_connection_records_the_connection_and_needs_its_date(unit_a, manager, unit_b_owner) -> None:
    with pytest.raises(ValidationError):
        green_services.save_connection(unit_a, {"connected": True, "receiving_body": "sewer"}, by=manager)
    with pytest.raises(PermissionDenied):
        green_services.save_connection(
            unit_a, {"connected": True, "connected_on": dt.date(2024, 1, 1)}, by=unit_b_owner
        )
    with pytest.raises(PermissionDenied):
        green_services.save_connection(unit_a, {"connected": False, "unit": unit_a}, by=manager)
    assert not UnitConnection.objects.exists()
    green_services.save_connection(
        unit_a,
        {"connected": True, "connected_on": dt.date(2024, 1, 1), "receiving_body": "sewer"},
        by=manager,
    )
    connection = UnitConnection.objects.get(unit=unit_a)
    assert (connection.connected, connection.connected_on) == (True, dt.date(2024, 1, 1))
    green_services.save_connection(unit_a, {"connected": False}, by=manager)
    connection.refresh_from_db()
    assert (connection.connected, connection.connected_on) == (False, None)


def test_save_listing_lists_for_the_own_unit_only_and_keeps_its_unit(unit_a, unit_b, unit_a_owner) -> None:
    values = {"direction": "have", "material": "rice_husk", "tonnes_per_year": Decimal(200)}
    with pytest.raises(PermissionDenied):
        green_services.save_listing(None, {**values, "unit": unit_b}, by=unit_a_owner)
    listing = green_services.save_listing(None, {**values, "unit": unit_a}, by=unit_a_owner)
    assert "green.listing.added" in _codes(unit_a)
    with pytest.raises(PermissionDenied):
        green_services.save_listing(listing, {"unit": unit_b}, by=unit_a_owner)
    with pytest.raises(PermissionDenied):
        green_services.save_listing(listing, {"tonnes_per_year": Decimal(1), "company": 1}, by=unit_a_owner)
    green_services.save_listing(listing, {"tonnes_per_year": Decimal(150), "unit": unit_a}, by=unit_a_owner)
    assert list(ResourceListing.objects.values_list("unit_id", "tonnes_per_year")) == [
        (unit_a.pk, Decimal(150))
    ]


# --- investment ------------------------------------------------------------------------------------
def test_save_investor_opens_the_investors_own_file_under_its_company(company_a) -> None:
    investor, user = make_investor(company_a)
    investor.delete()
    opened = investment_services.save_investor(None, {"kind": "company", "name": "پلیمر کاسپین"}, by=user)
    assert (opened.company, opened.organisation.memberships.get().user) == (company_a, user)
    assert _codes(opened) == ["investment.investor.created"]
    with pytest.raises(ValidationError):  # one file per investor
        investment_services.save_investor(None, {"kind": "company", "name": "دوباره"}, by=user)
    with pytest.raises(PermissionDenied):  # the company is chosen when the file is opened only
        investment_services.save_investor(opened, {"company": company_a}, by=user)
    assert Investor.objects.count() == 1


def test_save_investor_refuses_another_companys_staff(company_a, staff_b) -> None:
    investor, _user = make_investor(company_a)
    with pytest.raises(PermissionDenied):
        investment_services.save_investor(investor, {"phone": "09120000000"}, by=staff_b)
    investor.refresh_from_db()
    assert investor.phone != "09120000000"


def test_save_application_files_for_the_own_investor_and_edits_only_while_undecided(
    company_a, estate_a
) -> None:
    investor, user = make_investor(company_a)
    application = investment_services.save_application(
        None,
        {
            "title": "تولید لوله",
            "product": "لوله پلی‌اتیلن",
            "isic": Classification.objects.get(scheme="isic4", code="2220"),
            "investment_rial": 2_000_000_000,
            "jobs_planned": 10,
            "land_m2": Decimal(3000),
            "environment_group": 2,
            "preferred_estates": [estate_a],
        },
        by=user,
    )
    application = Application.objects.get(pk=application.pk)
    assert (application.investor, application.company, application.state) == (investor, company_a, "draft")
    assert list(application.preferred_estates.all()) == [estate_a]
    investment_services.save_application(application, {"jobs_planned": 12}, by=user)
    assert Application.objects.get(pk=application.pk).jobs_planned == 12
    Application.objects.filter(pk=application.pk).update(state="rejected")
    with pytest.raises(ValidationError):
        investment_services.save_application(application, {"jobs_planned": 99}, by=user)
    assert Application.objects.get(pk=application.pk).jobs_planned == 12


def test_save_application_refuses_an_outsider_a_state_and_another_companys_estate(
    company_a, estate_b, staff_b
) -> None:
    investor, user = make_investor(company_a)
    application = make_application(investor)
    with pytest.raises(PermissionDenied):
        investment_services.save_application(application, {"jobs_planned": 1}, by=staff_b)
    with pytest.raises(PermissionDenied):  # the state moves only through move_application / approve
        investment_services.save_application(application, {"state": "approved"}, by=user)
    with pytest.raises(ValidationError):
        investment_services.save_application(application, {"preferred_estates": [estate_b]}, by=user)
    application.refresh_from_db()
    assert (application.state, application.jobs_planned, application.preferred_estates.count()) == (
        "draft",
        25,
        0,
    )


def test_save_land_use_sets_the_plan_and_refuses_others(estate_a, manager, staff_b) -> None:
    investment_services.save_land_use(
        estate_a, {"admitted_isic": "C 10", "max_environment_group": 2}, by=manager
    )
    land_use = LandUse.objects.get(estate=estate_a)
    assert (land_use.admitted_isic, land_use.max_environment_group) == ("C 10", 2)
    assert "investment.land_use.updated" in _codes(estate_a)
    with pytest.raises(PermissionDenied):
        investment_services.save_land_use(estate_a, {"admitted_isic": ""}, by=staff_b)
    with pytest.raises(PermissionDenied):
        investment_services.save_land_use(estate_a, {"admitted_isic": "", "estate": estate_a}, by=manager)
    assert LandUse.objects.get(estate=estate_a).admitted_isic == "C 10"


# --- sourcing --------------------------------------------------------------------------------------
def _request_values(buyer_organisation, **values):
    return {
        "buyer": buyer_organisation,
        "title": "خرید قالب",
        "text": "قالب‌سازی تزریق پلاستیک",
        "quote_deadline": dt.date.today() + dt.timedelta(days=30),
        **values,
    }


@pytest.fixture
def served_buyer(buyer, company_a):
    organisation = buyer.memberships.get().organisation
    organisation.company = company_a
    organisation.save()
    return organisation


def test_save_request_refuses_a_key_it_does_not_know_with_nothing_written(served_buyer, manager) -> None:
    with pytest.raises(PermissionDenied, match="state"):  # a request is published only through move_request
        sourcing_services.save_request(None, _request_values(served_buyer, state="published"), by=manager)
    with pytest.raises(PermissionDenied, match="titel"):  # a misspelt field is not silently dropped
        sourcing_services.save_request(None, _request_values(served_buyer, titel="قالب"), by=manager)
    assert not SourcingRequest.objects.exists()

    request_row = sourcing_services.save_request(None, _request_values(served_buyer), by=manager)
    assert (request_row.state, _codes(request_row)) == ("draft", ["sourcing.request.created"])
    with pytest.raises(PermissionDenied, match="buyer"):  # the buyer is chosen once, when filing
        sourcing_services.save_request(request_row, {"buyer": served_buyer, "title": "تغییر"}, by=manager)
    request_row.refresh_from_db()
    assert (request_row.title, _codes(request_row)) == ("خرید قالب", ["sourcing.request.created"])
