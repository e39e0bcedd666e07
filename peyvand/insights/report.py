"""The press report: the figures as of a date, each with its definition in a footnote, and two charts —
a Persian (or English) PDF by WeasyPrint with the vendored Vazirmatn, charts drawn as SVG here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from peyvand.core import jalali, kpis

from . import figures, svg
from .templatetags.insights import figure_text

FONTS = Path(settings.BASE_DIR) / "peyvand" / "static" / "vendor" / "vazirmatn" / "fonts"


def report_context(on: dt.date, user: Any = None) -> dict[str, Any]:
    """The report's figures (``figures.PRESS``), footnotes and charts, in the active language."""
    query = figures.query_for(user, on)
    rtl = jalali.is_persian()
    shown = kpis.figures(query, figures.PRESS)
    rows = []
    for number, figure in enumerate(shown, start=1):
        kpi = figure.kpi
        if figure.available:
            text = figure_text(figure.value, kpi.unit, compact=True)
            if figure.base is not None:
                text += " " + _("of %(n)s") % {"n": jalali.format_number(figure.base)}
        elif kpi.arrives_with:
            text = _("Not yet available: it arrives with %(module)s.") % {"module": kpi.arrives_with}
        else:
            text = str(figure.note)
        rows.append(
            {
                "figure": figure,
                "number": jalali.localize_digits(number),
                "text": text,
                "period": period_text(figure, query),
                "definition": kpi.definition,
            }
        )
    operating = kpis.get("operating_units")
    months = figures.monthly(operating, query)
    returned = kpis.get("returned_to_production")
    years = figures.yearly(returned, query, count=4)
    return {
        "demo": is_demo(),
        "on": on,
        "on_text": jalali.format_date(on, "long"),
        "generated": jalali.format_date(dt.date.today(), "long"),
        "rows": rows,
        "rtl": rtl,
        "fonts": FONTS.as_uri(),
        "margin": svg.margins(),
        "charts": [
            (_("Operating units at the end of each Jalali month"), operating_chart(months, rtl)),
            (_("Units returned to production in each Jalali year"), returned_chart(years, rtl)),
        ],
    }


def operating_chart(months: list[figures.Point], rtl: bool) -> dict[str, Any]:
    names = (_("Operating units"), _("Same month last year"))
    return {
        "labels": [point.label for point in months],
        "legend": [(names[0], svg.GREEN, False), (names[1], svg.GREY, True)],
        "svg": svg.line_chart(
            [point.label for point in months],
            [
                svg.Series(names[0], [point.figure.value for point in months]),
                svg.Series(
                    names[1],
                    [point.last_year.value if point.last_year else None for point in months],
                    color=svg.GREY,
                    dashed=True,
                ),
            ],
            title=_("Operating units at the end of each Jalali month"),
            rtl=rtl,
            value_format=jalali.format_number,
        ),
    }


def returned_chart(years: list[figures.Point], rtl: bool) -> dict[str, Any]:
    return {
        "labels": [point.label for point in years],
        "legend": [],
        "svg": svg.bar_chart(
            [point.label for point in years],
            [point.figure.value for point in years],
            title=_("Units returned to production in each Jalali year"),
            rtl=rtl,
            value_format=jalali.format_number,
        ),
    }


def is_demo() -> bool:
    """Whether the figures come from the invented demo dataset (the report then says so)."""
    from django.apps import apps

    if not apps.is_installed("peyvand.demo"):
        return False
    return apps.get_model("demo", "DemoDataset").objects.exists()


def period_text(figure: kpis.Figure, query: kpis.Query) -> str:
    kpi = figure.kpi
    if kpi.period == kpis.WINDOW:
        return query.period.label()
    if kpi.period == kpis.CURRENT:
        return str(kpis.PERIOD_SEMANTICS[kpis.CURRENT])
    return _("as of %(date)s") % {"date": jalali.format_date(query.on)}


def render_pdf(on: dt.date, language: str = "fa", user: Any = None) -> bytes:
    """The press report as PDF bytes."""
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string("insights/press_report.html", report_context(on, user))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
