"""The staff dashboard (figures beside last year, trends over Jalali months and years, the county map,
xlsx of each chart) and the press report (a 1–3 page PDF from a button or the command line)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zlib

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from peyvand.units.models import StatusChange

from .factories import UnitFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def dashboard_world(estate_a):
    start = dt.date(2021, 3, 21)
    for _ in range(3):
        UnitFactory(estate=estate_a, status_since=start)
    back = UnitFactory(estate=estate_a, status="idle", status_since=start)
    StatusChange.objects.create(
        unit=back, from_status="idle", to_status="operating", date=dt.date(2026, 5, 1), cause="market"
    )
    back.status = "operating"
    back.save()
    return estate_a


def _chart(page: str, name: str) -> dict:
    found = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def _pages(pdf: bytes) -> int:
    """Page objects of a PDF, inside compressed object streams too."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return sum(len(re.findall(rb"/Type\s*/Page\b", part)) for part in parts)


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_shows_each_figure_beside_last_year_with_links(
    dashboard_world, manager, client
) -> None:
    client.force_login(manager)
    page = client.get("/dashboard/").content.decode()
    assert 'data-testid="kpi-operating_units"' in page
    assert 'data-testid="last-year-operating_units"' in page  # 3 a year ago (the returned one was idle)
    assert "/units/?status=operating&amp;on=1404%2F03%2F25" in page  # last year's list, rebuilt from history
    assert "هنوز" in page  # placeholders say "not yet available"
    monthly = _chart(page, "monthly-chart-data")
    assert len(monthly["xAxis"]["data"]) == 12
    assert monthly["xAxis"]["data"][-1] == "خرداد ۱۴۰۵"
    assert [point["value"] for point in monthly["series"][0]["data"]][-3:] == [3, 4, 4]
    assert monthly["toolbox"]["feature"]["saveAsImage"]
    assert monthly["series"][0]["data"][-1]["url"].startswith("/units/?status=operating")


@time_machine.travel(NOW, tick=False)
def test_the_dashboards_filters_narrow_every_figure_and_bad_input_is_explained(
    dashboard_world, manager, client
) -> None:
    client.force_login(manager)
    other = UnitFactory(status_since=dt.date(2021, 3, 21))  # in an estate of another company
    assert other.estate_id != dashboard_world.pk
    page = client.get(
        "/dashboard/", {"estate": dashboard_world.pk, "kpi": "returned_to_production"}
    ).content.decode()
    assert f"estate={dashboard_world.pk}" in page
    yearly = _chart(page, "yearly-chart-data")
    assert [point["value"] for point in yearly["series"][0]["data"]][-1] == 1  # returned in 1405
    bad = client.get("/dashboard/", {"on": "1405/13/40", "estate": "abc"})
    assert bad.status_code == 200
    assert "ماه" in bad.content.decode()  # "has no month 13"
    future = client.get("/dashboard/", {"on": "1406/01/01"}).content.decode()
    assert "امروز" in future  # "choose today or an earlier date"


@time_machine.travel(NOW, tick=False)
def test_the_dashboards_queries_do_not_grow_with_the_registry(dashboard_world, manager, client) -> None:
    client.force_login(manager)
    client.get("/dashboard/")
    with CaptureQueriesContext(connection) as small:
        client.get("/dashboard/")
    for _ in range(15):
        UnitFactory(estate=dashboard_world, status_since=dt.date(2022, 1, 1), export_oriented=True)
    with CaptureQueriesContext(connection) as large:
        client.get("/dashboard/")
    assert len(large) == len(small)


@time_machine.travel(NOW, tick=False)
def test_each_chart_downloads_its_data_as_xlsx(dashboard_world, manager, client) -> None:
    client.force_login(manager)
    for chart, rows in [("figures", None), ("monthly", 12), ("yearly", 5), ("counties", 17)]:
        response = client.get(f"/dashboard/export/{chart}/", {"kpi": "operating_units"})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.values)
        if rows is not None:
            assert len(values) == rows + 1, chart
    monthly = load_workbook(io.BytesIO(client.get("/dashboard/export/monthly/").content)).active
    assert list(monthly.values)[-1][:2] == ("خرداد ۱۴۰۵", 4)
    assert client.get("/dashboard/export/secrets/").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_press_report_button_gives_a_short_pdf_in_either_language(
    dashboard_world, manager, client
) -> None:
    client.force_login(manager)
    for language in ("fa", "en"):
        response = client.get("/dashboard/press-report/", {"on": "1405/03/01", "lang": language})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert 1 <= _pages(response.content) <= 3
        assert f"1405-03-01-{language}.pdf" in response["Content-Disposition"]
    bad = client.get("/dashboard/press-report/", {"on": "1405/02/32"})
    assert bad.status_code == 400
    assert "اردیبهشت 1405، 31 روز" in bad.content.decode()  # the message names the month and its length


@time_machine.travel(NOW, tick=False)
def test_the_press_report_command_writes_the_pdf_for_a_jalali_date(dashboard_world, tmp_path) -> None:
    target = tmp_path / "report.pdf"
    call_command("press_report", "--on", "۱۴۰۵/۰۳/۰۱", "--lang", "en", "--out", str(target))
    assert target.read_bytes().startswith(b"%PDF")
    call_command("press_report", "--out", str(tmp_path / "today.pdf"))
    assert 1 <= _pages((tmp_path / "today.pdf").read_bytes()) <= 3
    with pytest.raises(CommandError, match="1405/02/10"):
        call_command("press_report", "--on", "yesterday", "--out", str(target))
    with pytest.raises(CommandError, match="today or earlier"):
        call_command("press_report", "--on", "1406/01/01", "--out", str(target))
    with pytest.raises(CommandError, match="No directory"):
        call_command("press_report", "--out", str(tmp_path / "missing" / "report.pdf"))


@time_machine.travel(NOW, tick=False)
def test_the_press_report_states_the_figures_with_definitions_as_footnotes(dashboard_world) -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    from peyvand.insights.report import report_context

    with translation.override("fa"):
        context = report_context(dt.date(2026, 6, 15))
        html = render_to_string("insights/press_report.html", context)
    rows = {row["figure"].code: row for row in context["rows"]}
    assert rows["operating_units"]["text"] == "۴"
    assert rows["returned_to_production"]["text"] == "۱"
    assert rows["new_investors"]["text"] == "۰"  # no allocation contract in this world
    assert html.count('class="fn"') == len(rows)  # one footnote (definition) per figure
    assert len(context["charts"]) == 2
    assert all("<svg" in chart["svg"] for _title, chart in context["charts"])
