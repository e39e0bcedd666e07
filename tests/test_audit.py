"""Every change in the registry is attributable: field-level records with the user, events on timelines."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from peyvand.core.audit import acting_as, log_event, timeline
from peyvand.core.models import Event
from peyvand.estates.models import IndustrialEstate, Plot
from peyvand.units import services
from peyvand.units.models import Product, ProductionUnit

from .factories import UnitFactory

pytestmark = pytest.mark.django_db


def _entries(obj) -> list[LogEntry]:
    return list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk)
        ).order_by("timestamp")
    )


def test_editing_a_unit_in_the_ui_records_the_fields_and_the_user(client, manager, unit_a) -> None:
    client.force_login(manager)
    response = client.post(
        f"/units/{unit_a.pk}/edit/",
        {
            "name": unit_a.name,
            "estate": unit_a.estate_id,
            "employees": 44,
            "capacity": "۵۰۰ تن",
            "products-TOTAL_FORMS": "0",
            "products-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    update = _entries(unit_a)[-1]
    assert update.actor == manager
    assert update.action == LogEntry.Action.UPDATE
    assert update.changes_dict["employees"] == ["20", "44"]
    assert Event.objects.filter(code="units.profile.updated", actor=manager).exists()


def test_creating_and_deleting_a_plot_leave_records_with_the_user(client, manager, estate_a) -> None:
    client.force_login(manager)
    response = client.post(
        f"/estates/{estate_a.pk}/plots/new/", {"number": "۱۲", "area_m2": "2500", "state": "free"}
    )
    assert response.status_code == 302
    plot = Plot.objects.get(estate=estate_a, number="12")
    created = _entries(plot)[0]
    assert (created.action, created.actor) == (LogEntry.Action.CREATE, manager)
    plot_pk = plot.pk
    with acting_as(manager):
        plot.delete()
    deleted = LogEntry.objects.get(object_pk=str(plot_pk), action=LogEntry.Action.DELETE)
    assert deleted.actor == manager


def test_a_status_change_appears_on_the_unit_timeline_and_page(client, manager, unit_a) -> None:
    services.change_status(
        unit_a, "idle", date=dt.date(2025, 1, 5), cause="working_capital", by=manager, note="وام"
    )
    events = list(timeline(unit_a))
    assert events[0].code == "units.status.changed"
    client.force_login(manager)
    page = client.get(f"/units/{unit_a.pk}/")
    assert "تغییر وضعیت از فعال به راکد" in page.text or "راکد" in page.text
    assert manager.display_name() in page.text


def test_product_changes_show_in_the_units_full_history(client, manager, unit_a) -> None:
    from auditlog.context import set_actor

    with set_actor(manager):
        Product.objects.create(unit=unit_a, name="برنج هاشمی", annual_capacity=100)
    client.force_login(manager)
    page = client.get(f"/units/{unit_a.pk}/history/")
    assert page.status_code == 200
    assert "برنج هاشمی" in page.text


def test_changes_made_by_a_command_say_which_command(manager, estate_a) -> None:
    with acting_as(manager, via="command import_data"):
        unit = UnitFactory(estate=estate_a)
        log_event(unit, "units.unit.registered", {"status": "operating"})
    entry = _entries(unit)[0]
    assert entry.additional_data == {"via": "command import_data"}
    assert entry.actor == manager
    assert Event.objects.get(code="units.unit.registered").via == "command import_data"


def test_secrets_are_masked_on_the_timeline(unit_a) -> None:
    event = log_event(
        unit_a, "accounts.invitation.sent", {"email": "a@b.ir", "token": "abc", "password": "x"}
    )
    assert event.data == {"email": "a@b.ir", "token": "••••", "password": "••••"}


def test_event_codes_must_be_namespaced(unit_a) -> None:
    with pytest.raises(ValueError, match="namespaced"):
        log_event(unit_a, "changed", {})


def test_the_demo_seed_is_attributed_to_the_command(django_db_blocker) -> None:
    call_command("seed_demo", verbosity=0)
    estate = IndustrialEstate.objects.first()
    assert estate is not None
    assert ProductionUnit.objects.count() > 800
    assert Event.objects.filter(code="units.profile.claimed", via="seed_demo").count() == 2
