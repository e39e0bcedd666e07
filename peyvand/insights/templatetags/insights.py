"""How a KPI's figure is written: Persian digits, per cent, money in the user's unit, or "not yet"."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from peyvand.core import jalali, kpis

register = template.Library()


def figure_text(value, unit: str, money_unit: str = "toman", compact: bool = True) -> str:
    if value is None:
        return _("not yet available")
    if unit == kpis.PERCENT:
        text = jalali.format_number(value, decimals=1)
        return f"{text}٪" if jalali.is_persian() else f"{text}%"
    if unit == kpis.RIAL:
        return jalali.format_money(value, money_unit, compact=compact)
    if unit == "usd":
        return jalali.format_dollars(value, compact=compact)
    return jalali.format_number(value)


@register.simple_tag(takes_context=True)
def figure_value(context: template.Context, figure, compact: bool = True) -> str:
    """``figure`` (a ``kpis.Figure``, or a bare number with ``unit`` of the KPI) as the reader sees it."""
    request = context.get("request")
    money_unit = getattr(getattr(request, "user", None), "money_unit", "toman") or "toman"
    return figure_text(figure.value, figure.kpi.unit, money_unit, compact)


@register.filter
def period_phrase(kpi) -> str:
    return str(kpis.PERIOD_SEMANTICS.get(kpi.period, ""))
