"""One rule, one message: an import and a page (or API) save of the same bad value are refused in the same
words, because the importer asks the service's own rule instead of a copy of it (issue 19: every service is
called the same way from a page, a command and an import)."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from peyvand.estates import services as estate_services
from peyvand.estates.models import County
from peyvand.imports import engine, services
from peyvand.units import services as unit_services
from peyvand.units.models import ProductionUnit

from .factories import EstateFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sepidrud(company_a):
    return EstateFactory(
        company=company_a,
        name="شهرک صنعتی سپیدرود",
        code="sepidrud",
        county=County.objects.get(code="rasht"),
        total_area_ha=Decimal(100),
        industrial_area_ha=Decimal(60),
    )


def _checked_batch(kind: str, lines: list[str], user) -> tuple[Any, Any]:
    """A CSV uploaded, mapped and checked as the import pages do it (in Persian): the batch and the outcome."""
    batch = services.create_batch(kind, "\r\n".join(lines).encode(), "sheet.csv", user=user, language="fa")
    sheet = services.batch_sheet(batch)
    mapping = engine.guess_mapping(engine.get_importer(kind), sheet.rows[0])
    services.set_mapping(batch, 0, mapping, user=user, sheet=sheet)
    with translation.override("fa"):
        return batch, services.check(batch, user)


def _import_issues(kind: str, lines: list[str], user) -> list[tuple[str, str]]:
    """Check a CSV as the import pages do; the (column, message) of every error, in Persian."""
    _batch, outcome = _checked_batch(kind, lines, user)
    return [(issue.column, issue.message) for issue in outcome.issues if issue.level == "error"]


def test_a_status_change_dated_before_the_status_began_is_refused_in_the_same_words(
    client, sepidrud, manager
) -> None:
    unit = UnitFactory(estate=sepidrud, national_id="14001234567", status_since=dt.date(2023, 3, 21))
    client.force_login(manager)
    page = client.post(
        reverse("units:change_status", args=[unit.pk]),
        {"to_status": "idle", "date": "1401/01/01", "cause": "market"},
        HTTP_ACCEPT_LANGUAGE="fa",
    )
    assert page.status_code == 200  # the form again, with the service's message
    issues = _import_issues(
        "units", ["شناسه ملی,شهرک,وضعیت,تاریخ", "14001234567,سپیدرود,راکد,1401/01/01"], manager
    )
    message = "تاریخ نمی‌تواند پیش از آغاز وضعیت فعلی (۱۴۰۲/۰۱/۰۱) باشد."  # change_status's own words
    assert issues == [("تاریخ (D)", message)]  # named against the date's column (the fourth, D)
    assert html.escape(message) in page.content.decode()
    unit.refresh_from_db()
    assert (unit.status, unit.status_since) == ("operating", dt.date(2023, 3, 21))


def test_an_industrial_area_over_the_total_is_refused_in_the_same_words(sepidrud, manager) -> None:
    with translation.override("fa"), pytest.raises(ValidationError) as refused:
        estate_services.save_estate(sepidrud, {"industrial_area_ha": Decimal(150)}, by=manager)
    issues = _import_issues(
        "estates", ["کد شهرک,نام شهرک,مساحت کل,مساحت صنعتی", "sepidrud,شهرک صنعتی سپیدرود,100,150"], manager
    )
    assert [message for _column, message in issues] == refused.value.message_dict["industrial_area_ha"]
    sepidrud.refresh_from_db()
    assert sepidrud.industrial_area_ha == Decimal(60)


# --- A unit's own fields: one rule each (``core.validators``) for the form, the service and the importer ---
COLUMNS = {"national_id": "شناسه ملی", "email": "ایمیل", "website": "وب سایت", "contact_person": "رابط"}


def _edit(client, unit, name: str, value: str) -> Any:
    """The unit's edit page sent with ``value`` typed into ``name`` (in Persian)."""
    data = {"name": unit.name, "estate": str(unit.estate_id), name: value, "products-TOTAL_FORMS": "0"}
    data |= {"products-INITIAL_FORMS": "0", "products-MIN_NUM_FORMS": "0", "products-MAX_NUM_FORMS": "50"}
    return client.post(reverse("units:edit", args=[unit.pk]), data, HTTP_ACCEPT_LANGUAGE="fa")


def _form_errors(client, unit, name: str, value: str) -> list[str]:
    """The messages the unit's edit page shows under ``name`` for ``value``."""
    page = _edit(client, unit, name, value)
    assert page.status_code == 200  # the form again
    return page.context["form"].errors[name]


def _service_errors(unit, manager, name: str, value: str) -> list[str]:
    with translation.override("fa"), pytest.raises(ValidationError) as refused:
        unit_services.update_profile(unit, {name: value}, by=manager)
    return refused.value.message_dict[name]


def _import_row_errors(name: str, value: str, user) -> list[str]:
    """The messages a new unit's row gets for ``value`` in ``name``'s column."""
    issues = _import_issues(
        "units", [f"نام واحد,شهرک,وضعیت,{COLUMNS[name]}", f"واحد تازه,سپیدرود,فعال,{value}"], user
    )
    return [message for column, message in issues if column.startswith(COLUMNS[name])]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("national_id", "۱۴۰۰۱۲۳", "«۱۴۰۰۱۲۳» شناسه ملی شرکت نیست: شناسه ملی شرکت ۱۱ رقم دارد."),
        ("national_id", "١٤٠٠١٢٣٤٥٦٧٨", "«١٤٠٠١٢٣٤٥٦٧٨» شناسه ملی شرکت نیست: شناسه ملی شرکت ۱۱ رقم دارد."),
        ("national_id", "1400123456x", "«1400123456x» شناسه ملی شرکت نیست: شناسه ملی شرکت ۱۱ رقم دارد."),
        ("email", "ali@", "«ali@» نشانی پست الکترونیکی نیست."),
        ("email", "علی at example.ir", "«علی at example.ir» نشانی پست الکترونیکی نیست."),
        # 164 characters typed, 319 once each presentation-form "لا" ligature is unfolded: past the column
        (
            "email",
            "a@" + ("\ufefb" * 31 + ".") * 5 + "ir",
            "متن 319 نویسه است؛ اینجا حداکثر 254 نویسه جا می‌شود.",
        ),
        ("website", "نه یک نشانی", "«نه یک نشانی» نشانی وب نیست."),
        ("website", "http://", "«http://» نشانی وب نیست."),
        # a trusted name before "@" and another site after it: the public profile would link the other
        (
            "website",
            "https://bank.ir@evil.example",
            "«https://bank.ir@evil.example» سایت دیگری را پشت نامی پیش از «@» پنهان می‌کند؛"
            " فقط نشانی خود وب‌سایت را بنویسید.",
        ),
    ],
)
def test_a_bad_value_of_a_units_field_is_refused_in_the_same_words_everywhere(
    client, sepidrud, manager, name, value, message
) -> None:
    unit = UnitFactory(estate=sepidrud, national_id="14001234567")
    client.force_login(manager)
    assert _form_errors(client, unit, name, value) == [message]
    assert _service_errors(unit, manager, name, value) == [message]
    assert _import_row_errors(name, value, manager) == [message]
    unit.refresh_from_db()
    assert unit.national_id == "14001234567"


@pytest.mark.parametrize(
    ("name", "typed", "stored"),
    [
        ("national_id", "۱۴۰۰-۹۸۷ ۶۵۴۳", "14009876543"),  # Persian digits, dashes and spaces
        ("national_id", "١٤٠٠٩٨٧٦٥٤٣", "14009876543"),  # Arabic-Indic digits
        ("email", "Info@Example.IR", "info@example.ir"),
        ("website", "peyvand.example.ir", "https://peyvand.example.ir"),  # no scheme: https
        (
            "contact_person",
            "<b>رضا</b> <script>x</script>",
            "<b>رضا</b> <script>x</script>",
        ),  # text, escaped when shown
    ],
)
def test_a_value_of_a_units_field_is_stored_the_same_from_a_page_and_a_sheet(
    client, sepidrud, manager, name, typed, stored
) -> None:
    by_page = UnitFactory(estate=sepidrud, name="واحد صفحه", national_id=None)
    client.force_login(manager)
    assert _edit(client, by_page, name, typed).status_code == 302
    by_page.refresh_from_db()
    batch, _outcome = _checked_batch(
        "units", [f"نام واحد,شهرک,وضعیت,{COLUMNS[name]}", f"واحد برگه,سپیدرود,فعال,{typed}"], manager
    )
    services.apply(batch, manager, "all")
    by_sheet = ProductionUnit.objects.get(name="واحد برگه")
    assert getattr(by_page, name) == getattr(by_sheet, name) == stored
    if name == "contact_person":
        assert "<script>x</script>" not in client.get(by_sheet.get_absolute_url()).text
