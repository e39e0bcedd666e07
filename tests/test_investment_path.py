"""The investment path through its services: application → screening → approval (the unit enters the
registry) → contract on a fitting plot → milestones → operating; overdue flags and repossession."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from peyvand.core.audit import timeline
from peyvand.investment import services
from peyvand.investment.models import Milestone
from peyvand.notifications.models import Notification
from peyvand.units.models import ProductionUnit, StatusChange

from .clock import clock_at_noon
from .investment_world import make_application, make_estate, make_investor

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
clock = clock_at_noon(TODAY)  # services asking the date agree with TODAY, past midnight too


def _terms(**values):
    return services.Terms(
        price_per_m2_rial=values.get("price", 5_000_000),
        down_payment_share=Decimal(values.get("down", 30)),
        instalments=values.get("instalments", 12),
        waiver_share=Decimal(10),
        grace_days=values.get("grace", 90),
    )


@pytest.fixture
def world(company_a, manager):
    estate = make_estate(company_a)
    investor, investor_user = make_investor(company_a)
    application = make_application(investor)
    application.preferred_estates.add(estate)
    return {
        "estate": estate,
        "investor": investor,
        "investor_user": investor_user,
        "application": application,
    }


def _approved(world, manager, on=None):
    application = world["application"]
    services.move_application(application, "submitted", by=world["investor_user"], today=on)
    services.move_application(application, "under_review", by=manager, today=on)
    return services.approve(application, world["estate"], by=manager, today=on)


def test_the_investor_submits_and_the_reviewers_are_told(world, manager) -> None:
    application = services.move_application(world["application"], "submitted", by=world["investor_user"])
    assert application.state == "submitted"
    assert application.score is not None
    assert application.score_details
    assert Notification.objects.filter(user=manager, url=application.get_absolute_url()).exists()


def test_the_investor_cannot_take_its_own_application_under_review(world) -> None:
    services.move_application(world["application"], "submitted", by=world["investor_user"])
    with pytest.raises(PermissionDenied):
        services.move_application(world["application"], "under_review", by=world["investor_user"])


def test_rejecting_needs_a_reason_and_keeps_it_on_the_timeline(world, manager) -> None:
    application = world["application"]
    services.move_application(application, "submitted", by=world["investor_user"])
    with pytest.raises(ValidationError):
        services.move_application(application, "rejected", by=manager, reason="  ")
    application.refresh_from_db()
    assert application.state == "submitted"
    services.move_application(application, "rejected", by=manager, reason="طرح در فهرست صنایع مجاز نیست")
    event = timeline(application).filter(code="investment.application.moved").first()
    assert event.data["to"] == "rejected"
    assert "مجاز نیست" in event.data["reason"]


def test_a_draft_cannot_be_approved_directly(world, manager) -> None:
    with pytest.raises(ValidationError):
        services.approve(world["application"], world["estate"], by=manager)
    assert not ProductionUnit.objects.exists()


def test_the_score_shows_each_criterion_and_knowledge_based_counts(world, manager) -> None:
    scores = {item.code: item for item in services.score(world["application"])}
    assert set(scores) == {
        "knowledge_based",
        "technical_capacity",
        "jobs_per_hectare",
        "investment_per_m2",
        "export_plan",
        "green_profile",
        "fills_gap",
        "estate_fit",
    }
    assert scores["knowledge_based"].points == scores["knowledge_based"].weight
    assert scores["technical_capacity"].points == 0  # no checked evidence yet
    assert scores["estate_fit"].fraction == 1  # the preferred estate admits it and has a plot
    world["investor"].knowledge_level = "none"
    world["investor"].save()
    assert {item.code: item for item in services.score(world["application"])}["knowledge_based"].points == 0


def test_checked_evidence_raises_the_technical_capacity_points(world, manager) -> None:
    evidence = services.add_evidence(
        world["investor"], kind="team", description="۱۲ مهندس پلیمر", file=None, by=world["investor_user"]
    )
    before = {item.code: item for item in services.score(world["application"])}["technical_capacity"].points
    services.check_evidence(evidence, by=manager)
    after = {item.code: item for item in services.score(world["application"])}["technical_capacity"].points
    assert after > before
    with pytest.raises(PermissionDenied):  # the investor cannot check its own evidence
        services.check_evidence(evidence, by=world["investor_user"])


def test_estate_fit_ranks_fitting_estates_first_and_says_why_others_do_not(world, company_a) -> None:
    food_only = make_estate(company_a, admitted="10 11")
    thirsty = make_estate(company_a, water=5)
    small = make_estate(company_a, plots=(1000,))
    fits = services.estate_fit(world["application"])
    assert fits[0].estate == world["estate"]
    assert fits[0].fits
    assert [plot.area_m2 for plot in fits[0].plots][:1] == [5000]  # the closest size that is large enough
    by_estate = {fit.estate: fit for fit in fits}
    assert "2220" in " ".join(by_estate[food_only].reasons)
    assert not by_estate[thirsty].fits
    assert by_estate[thirsty].reasons
    assert not by_estate[small].fits


def test_approval_registers_the_unit_as_land_allocated(world, manager) -> None:
    application = _approved(world, manager)
    unit = application.unit
    assert unit.status == "land_allocated"
    assert unit.estate == world["estate"]
    assert StatusChange.objects.filter(unit=unit).count() == 1
    assert Notification.objects.filter(user=world["investor_user"]).exists()


def test_the_contract_allocates_the_plot_with_a_schedule_that_sums_to_the_price(world, manager) -> None:
    application = _approved(world, manager)
    plot = services.estate_fit(application)[0].plots[0]
    contract = services.allocate(application, plot, _terms(instalments=7), by=manager)
    plot.refresh_from_db()
    assert plot.state == "allocated"
    assert contract.total_rial == 5000 * 5_000_000
    payments = list(contract.payments.order_by("number"))
    assert len(payments) == 8
    assert payments[0].amount_rial == contract.total_rial * 30 // 100
    assert sum(payment.amount_rial for payment in payments) == contract.total_rial
    assert [payment.due_on for payment in payments] == sorted(payment.due_on for payment in payments)
    assert contract.milestones.count() == 6
    assert ProductionUnit.objects.get(pk=application.unit_id).plot == plot
    with pytest.raises(ValidationError):  # the plot is no longer free
        services.allocate(application, plot, _terms(), by=manager)


def test_milestones_move_the_unit_to_construction_then_operating(world, manager) -> None:
    start = TODAY - dt.timedelta(days=400)
    application = _approved(world, manager, on=start)
    contract = services.allocate(
        application, services.estate_fit(application)[0].plots[0], _terms(), by=manager, signed_on=start
    )
    permit = contract.milestones.get(kind="permit")
    services.complete_milestone(permit, done_on=start + dt.timedelta(days=60), by=manager)
    unit = ProductionUnit.objects.get(pk=application.unit_id)
    assert unit.status == "under_construction"
    licence = contract.milestones.get(kind="operation_licence")
    services.complete_milestone(licence, done_on=TODAY, by=manager)
    unit.refresh_from_db()
    contract.refresh_from_db()
    assert unit.status == "operating"
    assert contract.state == "completed"
    assert list(unit.status_changes.values_list("to_status", flat=True)) == [
        "land_allocated",
        "under_construction",
        "operating",
    ]


def test_overdue_milestones_are_flagged_once_and_the_investor_is_told(world, manager) -> None:
    start = TODAY - dt.timedelta(days=200)
    application = _approved(world, manager, on=start)
    contract = services.allocate(
        application, services.estate_fit(application)[0].plots[0], _terms(), by=manager, signed_on=start
    )
    assert services.flag_overdue() == 1  # the permit was due three months after signing
    assert services.flag_overdue() == 0
    assert Notification.objects.filter(user=world["investor_user"], kind="reminder").count() == 1
    assert Milestone.objects.overdue().get().kind == "permit"
    assert services.repossession_due(contract).kind == "permit"  # 108 days late, 90 days of grace


def test_repossession_waits_for_the_grace_period_then_keeps_the_trail(world, manager) -> None:
    start = TODAY - dt.timedelta(days=300)
    application = _approved(world, manager, on=start)
    plot = services.estate_fit(application)[0].plots[0]
    contract = services.allocate(application, plot, _terms(grace=365), by=manager, signed_on=start)
    with pytest.raises(ValidationError):
        services.repossess(contract, by=manager, reason="عدم شروع ساخت")
    contract.grace_days = 30
    contract.save()
    services.repossess(contract, by=manager, reason="عدم شروع ساخت")
    plot.refresh_from_db()
    unit = ProductionUnit.objects.get(pk=application.unit_id)
    assert plot.state == "repossessed"
    assert unit.status == "land_repossessed"
    assert unit.status_changes.last().cause == "contract_breach"
    assert timeline(contract).filter(code="investment.contract.repossessed").exists()


def test_an_investor_cannot_sign_its_own_contract(world, manager) -> None:
    application = _approved(world, manager)
    with pytest.raises(PermissionDenied):
        services.allocate(
            application, services.estate_fit(application)[0].plots[0], _terms(), by=world["investor_user"]
        )


def test_the_company_sets_its_weights_and_the_score_follows(world, manager, officer, client) -> None:
    client.force_login(officer)  # reads the rubric, may not change it
    assert client.post("/investment/weights/", {"knowledge_based": "90"}).status_code == 403
    client.force_login(manager)
    fields = dict.fromkeys(("technical_capacity", "jobs_per_hectare", "investment_per_m2"), "0")
    fields |= {"export_plan": "0", "green_profile": "0", "fills_gap": "0", "estate_fit": "0"}
    response = client.post("/investment/weights/", {**fields, "knowledge_based": "۵۰"})
    assert response.status_code == 302
    scores = {item.code: item for item in services.score(world["application"])}
    assert scores["knowledge_based"].weight == 50
    assert scores["estate_fit"].weight == 0
    refused = client.post("/investment/weights/", {**fields, "knowledge_based": "500"})
    assert refused.status_code == 200
    assert {item.code: item for item in services.score(world["application"])}["knowledge_based"].weight == 50


def test_merging_moves_the_application_to_the_surviving_record(world, manager) -> None:
    from peyvand.units.services import merge_units

    from .factories import UnitFactory

    application = _approved(world, manager)
    registered = ProductionUnit.objects.get(pk=application.unit_id)
    older = UnitFactory(
        estate=world["estate"],
        name="لوله کاسپین (ثبت قدیمی)",
        status="planned",
        status_since=TODAY - dt.timedelta(days=100),
    )
    merge_units(older, registered, by=manager)
    application.refresh_from_db()
    assert application.unit_id == older.pk
