"""The unit life cycle: one transition table, one enforcer, history and status always agree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from peyvand.core.models import Event
from peyvand.units import services
from peyvand.units.choices import TRANSITIONS, UnitStatus
from peyvand.units.models import ProductionUnit, StatusChange

from .factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_every_status_has_a_row_in_the_transition_table() -> None:
    assert set(TRANSITIONS) == set(UnitStatus.values)


def test_an_operating_unit_can_go_idle_and_come_back(unit_a, manager) -> None:
    services.change_status(unit_a, "idle", date=dt.date(2024, 5, 1), cause="working_capital", by=manager)
    services.change_status(unit_a, "operating", date=dt.date(2025, 6, 1), cause="revival_support", by=manager)
    unit_a.refresh_from_db()
    assert unit_a.status == "operating"
    assert unit_a.status_since == dt.date(2025, 6, 1)
    moves = list(unit_a.status_changes.values_list("from_status", "to_status"))
    assert moves == [(None, "operating"), ("operating", "idle"), ("idle", "operating")]


@pytest.mark.parametrize(
    ("start", "target"), [("operating", "planned"), ("closed", "operating"), ("planned", "operating")]
)
def test_moves_the_table_does_not_allow_are_refused(estate_a, manager, start, target) -> None:
    unit = UnitFactory(estate=estate_a, status=start)
    with pytest.raises(ValidationError):
        services.change_status(unit, target, date=dt.date(2025, 1, 1), cause="other", by=manager)
    unit.refresh_from_db()
    assert unit.status == start
    assert unit.status_changes.count() == 1


def test_a_change_cannot_be_dated_before_the_current_status_began(unit_a, manager) -> None:
    with translation.override("en"), pytest.raises(ValidationError, match="before"):
        services.change_status(unit_a, "idle", date=dt.date(2020, 1, 1), cause="market", by=manager)


def test_a_change_cannot_be_dated_in_the_future(unit_a, manager) -> None:
    with pytest.raises(ValidationError):
        services.change_status(unit_a, "idle", date=dt.date(2999, 1, 1), cause="market", by=manager)


def test_a_unit_representative_cannot_change_the_status(unit_a, unit_a_owner) -> None:
    with pytest.raises(PermissionDenied):
        services.change_status(unit_a, "idle", date=dt.date(2024, 1, 1), cause="market", by=unit_a_owner)


def test_staff_of_another_company_cannot_change_the_status(unit_a, staff_b) -> None:
    with pytest.raises(PermissionDenied):
        services.change_status(unit_a, "idle", date=dt.date(2024, 1, 1), cause="market", by=staff_b)


def test_a_status_change_lands_on_the_timeline_with_who_made_it(unit_a, manager) -> None:
    services.change_status(
        unit_a, "semi_active", date=dt.date(2024, 1, 1), cause="market", by=manager, note="کم‌کاری"
    )
    event = Event.objects.get(code="units.status.changed")
    assert event.actor == manager
    assert event.data["from"] == "operating"
    assert event.data["to"] == "semi_active"


def test_registering_a_unit_writes_its_initial_record(estate_a, manager) -> None:
    unit = ProductionUnit(name="کارگاه نو", estate=estate_a)
    services.register_unit(unit, status="under_construction", since=dt.date(2025, 1, 1), by=manager)
    first = StatusChange.objects.get(unit=unit)
    assert (first.from_status, first.to_status, first.by) == (None, "under_construction", manager)


def test_current_status_always_equals_the_last_history_record(estate_a, manager) -> None:
    unit = UnitFactory(estate=estate_a, status="under_construction", status_since=dt.date(2022, 1, 1))
    path = ["operating", "semi_active", "idle", "semi_active", "operating", "idle", "closed"]
    day = dt.date(2022, 6, 1)
    for status in path:
        services.change_status(unit, status, date=day, cause="other", by=manager)
        day += dt.timedelta(days=40)
        last = unit.status_changes.order_by("-date", "-id").first()
        unit.refresh_from_db()
        assert unit.status == last.to_status
