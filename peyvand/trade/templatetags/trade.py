"""Trade's template tags: a month of the Jalali calendar as text."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def month_text(year: int, month: int) -> str:
    from ..tables import month_text as text

    return text(year, month)
