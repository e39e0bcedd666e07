"""Importing life-cycle history: checked against the transition table in date order, per unit; the unit's
status always equals its last record afterwards."""

from __future__ import annotations

import jdatetime
import pytest

from peyvand.units.models import ProductionUnit, StatusChange

from .factories import UnitFactory
from .test_import_units import import_data, xlsx

pytestmark = pytest.mark.django_db
HEADER = ["نام واحد", "شناسه ملی", "وضعیت جدید", "تاریخ تغییر", "علت", "توضیحات"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def jalali(text: str):
    year, month, day = (int(part) for part in text.split("/"))
    return jdatetime.date(year, month, day).togregorian()


def chain(unit: ProductionUnit) -> list[tuple]:
    return list(
        StatusChange.objects.filter(unit=unit)
        .order_by("date", "id")
        .values_list("from_status", "to_status", "date")
    )


@pytest.fixture
def mill(estate_a):
    """Operating since 1400/01/01, with only its initial record."""
    return UnitFactory(estate=estate_a, name="برنج‌کوبی کاسپین", national_id="10100000101")


def test_changes_after_the_last_record_are_added_in_date_order_whatever_the_file_order(
    tmp_path, mill, manager
):
    rows = [
        HEADER,
        ["برنج‌کوبی کاسپین", "", "دایر", "1402/01/10", "بازگشت بازار", ""],
        ["", "10100000101", "خوابیده", "1401/05/01", "کمبود نقدینگی", "یادداشت"],
    ]
    code, output = import_data(
        "status_changes", str(xlsx(tmp_path / "h.xlsx", rows)), "--user", "manager_a", "--apply"
    )
    assert code == 0, output
    mill.refresh_from_db()
    assert chain(mill) == [
        (None, "operating", jalali("1400/01/01")),
        ("operating", "idle", jalali("1401/05/01")),
        ("idle", "operating", jalali("1402/01/10")),
    ]
    assert (mill.status, mill.status_since) == ("operating", jalali("1402/01/10"))
    idle = StatusChange.objects.get(unit=mill, to_status="idle")
    assert (idle.cause, idle.note) == ("working_capital", "یادداشت")


def test_a_move_the_table_forbids_is_refused_by_name(tmp_path, mill, manager):
    rows = [HEADER, ["برنج‌کوبی کاسپین", "", "در مرحله طرح", "1402/01/10", "", ""]]
    code, output = import_data(
        "status_changes",
        str(xlsx(tmp_path / "h.xlsx", rows)),
        "--user",
        "manager_a",
        "--apply",
        "--lang",
        "en",
    )
    assert code == 1
    assert "A unit cannot go from “operating” to “planned” (1402/01/10)." in output
    assert len(chain(mill)) == 1


def test_a_change_dated_before_the_last_recorded_one_is_refused(tmp_path, mill, manager):
    StatusChange.objects.create(
        unit=mill, from_status="operating", to_status="idle", date=jalali("1401/01/01"), cause="market"
    )
    ProductionUnit.objects.filter(pk=mill.pk).update(status="idle", status_since=jalali("1401/01/01"))
    rows = [HEADER, ["برنج‌کوبی کاسپین", "", "فعال", "1400/06/01", "", ""]]
    code, output = import_data(
        "status_changes", str(xlsx(tmp_path / "h.xlsx", rows)), "--user", "manager_a", "--lang", "en"
    )
    assert code == 1
    assert "1400/06/01 is before the unit's last recorded change (1401/01/01, “idle”)" in output


def test_earlier_history_takes_its_place_before_the_initial_record(tmp_path, mill, manager):
    rows = [
        HEADER,
        ["برنج‌کوبی کاسپین", "", "در مرحله طرح", "1396/01/01", "", ""],
        ["برنج‌کوبی کاسپین", "", "زمین واگذار شده", "1397/01/01", "", ""],
        ["برنج‌کوبی کاسپین", "", "در حال ساخت", "1398/01/01", "", ""],
        ["برنج‌کوبی کاسپین", "", "فعال", "1400/01/01", "", ""],
    ]
    code, output = import_data(
        "status_changes",
        str(xlsx(tmp_path / "h.xlsx", rows)),
        "--user",
        "manager_a",
        "--apply",
        "--lang",
        "en",
    )
    assert code == 0, output
    assert "created 3, updated 0, unchanged 1, rejected 0" in output
    mill.refresh_from_db()
    assert chain(mill) == [
        (None, "planned", jalali("1396/01/01")),
        ("planned", "land_allocated", jalali("1397/01/01")),
        ("land_allocated", "under_construction", jalali("1398/01/01")),
        ("under_construction", "operating", jalali("1400/01/01")),
    ]
    assert StatusChange.objects.get(unit=mill, date=jalali("1396/01/01")).cause == "initial"
    assert (mill.status, mill.status_since) == ("operating", jalali("1400/01/01"))


def test_an_initial_record_the_file_shows_was_already_true_earlier_gives_way(tmp_path, mill, manager):
    rows = [
        HEADER,
        ["برنج‌کوبی کاسپین", "", "در حال ساخت", "1397/01/01", "", ""],
        ["برنج‌کوبی کاسپین", "", "فعال", "1399/01/01", "", ""],
    ]
    code, output = import_data(
        "status_changes", str(xlsx(tmp_path / "h.xlsx", rows)), "--user", "manager_a", "--apply"
    )
    assert code == 0, output
    mill.refresh_from_db()
    assert chain(mill) == [
        (None, "under_construction", jalali("1397/01/01")),
        ("under_construction", "operating", jalali("1399/01/01")),
    ]
    assert (mill.status, mill.status_since) == ("operating", jalali("1399/01/01"))


def test_earlier_history_that_does_not_lead_to_the_recorded_status_is_refused(tmp_path, mill, manager):
    rows = [HEADER, ["برنج‌کوبی کاسپین", "", "در مرحله طرح", "1396/01/01", "", ""]]
    code, output = import_data(
        "status_changes",
        str(xlsx(tmp_path / "h.xlsx", rows)),
        "--user",
        "manager_a",
        "--apply",
        "--lang",
        "en",
    )
    assert code == 1
    assert "does not lead to the recorded status “operating”" in output
    assert len(chain(mill)) == 1


def test_rows_for_unknown_units_and_a_wrong_previous_status_are_refused(tmp_path, mill, manager):
    rows = [
        ["نام واحد", "وضعیت قبلی", "وضعیت جدید", "تاریخ"],
        ["واحدی که نیست", "", "راکد", "1402/01/01"],
        ["برنج‌کوبی کاسپین", "راکد", "فعال", "1402/01/01"],
    ]
    code, output = import_data(
        "status_changes", str(xlsx(tmp_path / "h.xlsx", rows)), "--user", "manager_a", "--lang", "en"
    )
    assert code == 1
    assert "No unit in the registry matches this row." in output
    assert "On 1402/01/01 the unit was “operating”, not “idle”." in output


def test_a_dry_run_and_a_refused_apply_write_no_history(tmp_path, mill, manager):
    rows = [
        HEADER,
        ["برنج‌کوبی کاسپین", "", "راکد", "1402/01/01", "", ""],
        ["ناشناس", "", "راکد", "1402/01/01", "", ""],
    ]
    path = str(xlsx(tmp_path / "h.xlsx", rows))
    assert import_data("status_changes", path, "--user", "manager_a")[0] == 1
    assert import_data("status_changes", path, "--user", "manager_a", "--apply")[0] == 1
    assert len(chain(mill)) == 1
    mill.refresh_from_db()
    assert mill.status == "operating"


def test_an_officer_without_status_rights_cannot_import_history(tmp_path, mill, officer):
    rows = [HEADER, ["برنج‌کوبی کاسپین", "", "راکد", "1402/01/01", "", ""]]
    code, output = import_data(
        "status_changes",
        str(xlsx(tmp_path / "h.xlsx", rows)),
        "--user",
        "officer_a",
        "--apply",
        "--lang",
        "en",
    )
    assert code == 2
    assert "may not import" in output
