"""The trade panel on a unit's page: export readiness and the unit's export records by Jalali year."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Sum
from django.utils import timezone

from peyvand.core import jalali, permissions

from ..models import ExportRecord
from ..readiness import checklist

register = template.Library()


@register.inclusion_tag("trade/_unit_panel.html", takes_context=True)
def unit_exports(context: template.Context, unit: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    this_year = jalali.to_jalali(timezone.localdate()).year
    records = permissions.restrict(ExportRecord.objects.filter(unit=unit), user, permissions.VIEW)
    may_see = permissions.can(user, permissions.VIEW, unit)
    by_year = (
        list(records.order_by().values("year").annotate(value=Sum("value_usd")).order_by("-year")[:5])
        if may_see
        else []
    )
    return {
        "unit": unit,
        "show": may_see,
        "checks": checklist(unit, this_year) if may_see else [],
        "by_year": by_year,
        "latest": list(records.order_by("-period_start", "-id")[:5]) if may_see else [],
        "can_add": may_see
        and permissions.can(user, permissions.ADD, ExportRecord)
        and permissions.can(user, permissions.CHANGE, unit),
        "request": request,
    }


@register.simple_tag
def month_text(year: int, month: int) -> str:
    from ..tables import month_text as text

    return text(year, month)
