"""One rule, one message: an import and a page (or API) save of the same bad value are refused in the same
words, because the importer asks the service's own rule instead of a copy of it (issue 19: every service is
called the same way from a page, a command and an import)."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from peyvand.estates import services as estate_services
from peyvand.estates.models import County
from peyvand.imports import engine, services

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


def _import_issues(kind: str, lines: list[str], user) -> list[tuple[str, str]]:
    """Check a CSV as the import pages do; the (column, message) of every error, in Persian."""
    batch = services.create_batch(kind, "\r\n".join(lines).encode(), "sheet.csv", user=user, language="fa")
    sheet = services.batch_sheet(batch)
    mapping = engine.guess_mapping(engine.get_importer(kind), sheet.rows[0])
    services.set_mapping(batch, 0, mapping, user=user, sheet=sheet)
    with translation.override("fa"):
        outcome = services.check(batch, user)
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
