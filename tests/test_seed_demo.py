"""The demo dataset gives the stated figures on the day it runs, and is realistic and consistent."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.management import call_command
from django.db.models import Count, Max

from peyvand.accounts.models import User
from peyvand.estates.models import County, IndustrialEstate
from peyvand.insights.figures import home_figures
from peyvand.insights.report import report_context
from peyvand.units.models import ProductionUnit, StatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_db_blocker):
    call_command("seed_demo", verbosity=0)


def test_the_demo_shows_743_operating_and_41_returned_units(demo) -> None:
    figures = {figure.code: figure.value for figure in home_figures(User.objects.get(username="manager"))}
    assert figures["operating_units"] == 743
    assert figures["returned_to_production"] == 41
    _the_press_report_reads_the_same_figures()
    assert 850 <= ProductionUnit.objects.count() < 1000  # ~900 registered + the investment demo's units
    assert IndustrialEstate.objects.count() == 33
    assert set(IndustrialEstate.objects.values_list("county__code", flat=True)) == set(
        County.objects.values_list("code", flat=True)
    )
    _the_bridge_shows_every_state_and_stage()
    _green_estates_show_every_stage_failures_and_exchanges()
    _every_unit_status_equals_the_end_of_its_history()
    _history_spans_three_years_and_never_the_future()
    _unit_names_are_unique_and_persian()


def _the_press_report_reads_the_same_figures() -> None:
    """Today's press report states 743, 41, 85 and 2, and the direct exports of the demo's records."""
    from django.utils import timezone, translation

    with translation.override("fa"):
        rows = {row["figure"].code: row for row in report_context(timezone.localdate())["rows"]}
    assert rows["operating_units"]["text"] == "۷۴۳"
    assert rows["returned_to_production"]["text"] == "۴۱"
    assert rows["new_investors"]["text"] == "۸۵"  # from the demo's allocation contracts
    assert rows["plants_due_by_year_end"]["text"] == "۲"  # the seed's two plants to open by year end
    _exports_span_three_jalali_years(rows["direct_exports"]["figure"].value)


def _exports_span_three_jalali_years(direct_exports) -> None:
    """The export-oriented units export in each of three Jalali years; buyers' exports reach destinations."""
    from peyvand.trade.models import BuyerInput, ExportRecord

    units = ExportRecord.objects.filter(unit__isnull=False)
    assert len(set(units.values_list("year", flat=True))) == 3
    assert direct_exports > 0
    assert not units.exclude(unit__export_oriented=True).exists()
    assert ExportRecord.objects.filter(buyer__isnull=False).values("destination").distinct().count() >= 5
    assert BuyerInput.objects.filter(origin="imported").count() >= 10


def _green_estates_show_every_stage_failures_and_exchanges() -> None:
    from peyvand.green.choices import PlantStage
    from peyvand.green.models import ComplianceCase, EffluentTest, SymbiosisLink, TreatmentPlant

    assert set(TreatmentPlant.objects.values_list("stage", flat=True)) == set(PlantStage.values)
    assert TreatmentPlant.objects.due_by_year_end().count() == 2
    assert EffluentTest.objects.filter(passed=False).count() == ComplianceCase.objects.count() > 0
    assert ComplianceCase.objects.filter(repeated=True).exists()
    assert (
        EffluentTest.objects.filter(passed=True).count() > EffluentTest.objects.filter(passed=False).count()
    )
    assert SymbiosisLink.objects.filter(material="rice_husk", stage="running").exists()


def _the_bridge_shows_every_state_and_stage() -> None:
    from peyvand.sourcing.choices import LinkageStage, RequestState
    from peyvand.sourcing.models import GapTicket, Linkage, Match, SourcingRequest, SupplierInvitation

    assert 55 <= SourcingRequest.objects.count() <= 70
    assert set(SourcingRequest.objects.values_list("state", flat=True)) == set(RequestState.values)
    assert set(Linkage.objects.values_list("stage", flat=True)) >= {
        LinkageStage.INTRODUCED,
        LinkageStage.CONTRACT_SIGNED,
        LinkageStage.FIRST_DELIVERY,
        LinkageStage.LOST,
    }
    assert set(SupplierInvitation.objects.values_list("state", flat=True)) >= {
        "invited",
        "quoted",
        "declined",
    }
    assert GapTicket.objects.filter(state="open").exists()
    assert not Match.objects.exclude(unit__status__in=["operating", "semi_active"]).exists()


def _every_unit_status_equals_the_end_of_its_history() -> None:
    for unit in ProductionUnit.objects.prefetch_related("status_changes"):
        changes = sorted(unit.status_changes.all(), key=lambda change: (change.date, change.id))
        assert changes[0].from_status is None
        assert changes[-1].to_status == unit.status
        assert all(a.to_status == b.from_status and a.date <= b.date for a, b in itertools.pairwise(changes))


def _history_spans_three_years_and_never_the_future() -> None:
    latest = StatusChange.objects.aggregate(latest=Max("date"))["latest"]
    assert latest <= dt.date.today() + dt.timedelta(days=1)
    assert StatusChange.objects.filter(date__lt=dt.date.today() - dt.timedelta(days=3 * 365 - 30)).exists()


def test_demo_accounts_log_in_with_the_published_password(demo, client) -> None:
    for username in ["manager", "officer", "unit1", "unit2", "buyer", "investor"]:
        response = client.post("/accounts/login/", {"username": username, "password": "peyvand-demo"})
        assert response.status_code == 302, username
        client.post("/accounts/logout/")
    for username in ("unit1", "unit2"):
        organisation = User.objects.get(username=username).memberships.get().organisation
        assert organisation.unit.status == "operating"
        assert organisation.unit.invitations.filter(state__in=["invited", "opened"]).exists(), username


def test_seed_demo_refuses_to_run_twice_and_skips_quietly_when_asked(demo) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("seed_demo", verbosity=0)
    call_command("seed_demo", "--if-empty", verbosity=0)
    assert ProductionUnit.objects.count() < 1000


def _unit_names_are_unique_and_persian() -> None:
    duplicates = ProductionUnit.objects.values("name").annotate(n=Count("id")).filter(n__gt=1)
    assert not duplicates.exists()
    assert not ProductionUnit.objects.filter(name__regex="[يك]").exists()


# --- the histories decide the statuses ---------------------------------------------------------------
@pytest.fixture
def small_demo(monkeypatch):
    """The demo builder on 30 units instead of 900 (the same code, fewer rows)."""
    from peyvand.demo import seed

    monkeypatch.setattr(
        seed,
        "FINAL_STATUSES",
        {
            "operating": 14,
            "semi_active": 5,
            "idle": 4,
            "under_construction": 2,
            "land_allocated": 2,
            "planned": 1,
            "closed": 1,
            "land_repossessed": 1,
        },
    )
    monkeypatch.setattr(seed, "TARGET_RETURNED", 3)
    monkeypatch.setattr(seed, "RETURNED_SEMI_ACTIVE", 1)
    return seed


def test_each_demo_units_status_is_the_end_of_its_history_not_the_plan(small_demo, monkeypatch) -> None:
    planned = small_demo.DemoBuilder.history_for
    went_idle = []

    def history_with_a_late_stop(self, final, returned):
        moves = planned(self, final, returned)
        if final == "operating" and not returned and len(went_idle) < 4:
            went_idle.append(final)
            moves = [*moves, ("operating", "idle", self.today, "market")]
        return moves

    monkeypatch.setattr(small_demo.DemoBuilder, "history_for", history_with_a_late_stop)
    counts = small_demo.seed()
    assert (counts["operating"], counts["idle"]) == (10, 8)
    figures = {figure.code: figure.value for figure in home_figures(User.objects.get(username="manager"))}
    assert figures["operating_units"] == ProductionUnit.objects.filter(status="operating").count() == 10
    _every_unit_status_equals_the_end_of_its_history()


def test_the_demo_refuses_a_history_the_life_cycle_forbids(small_demo, monkeypatch) -> None:
    from django.core.exceptions import ValidationError

    planned = small_demo.DemoBuilder.history_for

    def history_skipping_construction(self, final, returned):
        if final == "under_construction":
            return [(None, "planned", self.start, "initial"), ("planned", "operating", self.today, "other")]
        return planned(self, final, returned)

    monkeypatch.setattr(small_demo.DemoBuilder, "history_for", history_skipping_construction)
    with pytest.raises(ValidationError):
        small_demo.seed()
    assert not ProductionUnit.objects.exists()


# --- a clone without ../shared/data ------------------------------------------------------------------
@pytest.fixture
def without_shared_hs_table(monkeypatch, tmp_path):
    """As on a fresh clone: the official HS 2022 table (../shared/data/hs2022) is nowhere to be found."""
    from peyvand.trade import hs

    monkeypatch.setenv("PEYVAND_HS_FILE", str(tmp_path / "absent" / "harmonized-system.csv"))
    hs._nomenclature.cache_clear()
    yield
    hs._nomenclature.cache_clear()


def test_the_demo_has_direct_exports_without_the_shared_hs_table(small_demo, without_shared_hs_table) -> None:
    from django.utils import timezone, translation

    from peyvand.trade import hs
    from peyvand.trade.models import ExportRecord

    assert hs.suggest("Milled Hashemi rice") == []  # no official table: the suggester is silent
    small_demo.seed()
    units = ExportRecord.objects.filter(unit__isnull=False)
    assert len(set(units.values_list("year", flat=True))) == 3
    with translation.override("fa"):
        rows = {row["figure"].code: row for row in report_context(timezone.localdate())["rows"]}
    assert rows["direct_exports"]["figure"].value > 0
    # The codes are the project's own subheadings, with their Persian names on the record's page.
    record = units.order_by("pk").first()
    assert hs.label(record.hs_code)
