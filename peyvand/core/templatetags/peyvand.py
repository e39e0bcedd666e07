"""Template filters and tags shared by every page (loaded as a builtin, no ``{% load %}`` needed).

Dates, digits and money only through ``core/jalali.py``; query-string helpers for lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django import forms, template
from django.db import models
from django.http import QueryDict
from django.template.base import render_value_in_context
from django.templatetags.l10n import localize, unlocalize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django_tables2.rows import BoundPinnedRow

from peyvand.core import audit, caching, exports, jalali

register = template.Library()


@register.filter
def jdate(value: dt.date | None, style: str = "short") -> str:
    """Jalali with Persian digits in Persian, ISO Gregorian in English. ``{{ d|jdate:"long" }}``."""
    return jalali.format_date(value, style=style)


@register.filter
def jdatetime(value: dt.datetime | None) -> str:
    return jalali.format_datetime(value)


@register.filter
def num(value: object, decimals: int = 0) -> str:
    """Number with separators; Persian digits in Persian."""
    return jalali.format_number(value, decimals=decimals)


@register.filter
def digits(value: object) -> str:
    """Any text with its digits localised (Persian digits in Persian)."""
    if value is None:
        return ""
    return jalali.localize_digits(value)


@register.filter
def percent(value: object, decimals: int = 0) -> str:
    if value is None or value == "":
        return ""
    text = jalali.format_number(value, decimals=decimals)
    return f"{text}٪" if jalali.is_persian() else f"{text}%"


@register.simple_tag(takes_context=True)
def money(context: template.Context, rial: int | None, compact: bool = False) -> str:
    """Rial amount shown in the user's preferred unit (toman by default)."""
    request = context.get("request")
    unit = getattr(getattr(request, "user", None), "money_unit", "toman") or "toman"
    return jalali.format_money(rial, unit, compact=compact)


@register.simple_tag(takes_context=True)
def query(context: template.Context, **changes: object) -> str:
    """The current query string with some parameters replaced (``None`` removes): ``?{% query page=2 %}``."""
    request = context.get("request")
    params: QueryDict = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    return params.urlencode()


_CHOICES: dict[str, type[models.Choices]] = {}


def register_choices(name: str, choices: type[models.Choices]) -> None:
    """Make a TextChoices class available to ``{% badge value "name" %}``."""
    _CHOICES[name] = choices


@register.simple_tag
def badge(choice_value: str, choices_name: str) -> str:
    """A coloured badge for a registered TextChoices value (members may define ``color``)."""
    choices = _CHOICES[choices_name]
    if choice_value not in choices.values:
        return format_html('<span class="badge text-bg-secondary">{}</span>', choice_value or "—")
    member = choices(choice_value)
    return format_html(
        '<span class="badge text-bg-{}" data-code="{}">{}</span>',
        getattr(member, "color", "secondary"),
        member.value,
        member.label,
    )


@register.simple_tag
def describe_event(event: Any) -> str:
    """The human sentence of a timeline event, in the active language."""
    return audit.describe(event)


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(key) if mapping else None


_CHECK_INPUTS = {"checkbox", "radio"}


@register.filter
def bs(bound_field: Any) -> str:
    """Render a form field's widget with Bootstrap classes (and ``is-invalid`` when it has errors)."""
    widget = bound_field.field.widget
    input_type = getattr(widget, "input_type", "")
    if input_type in _CHECK_INPUTS and not getattr(widget, "allow_multiple_selected", False):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):  # Select, NullBooleanSelect, SelectMultiple, QuickSelect
        css = "form-select"
    elif widget.__class__.__name__ in {"CheckboxSelectMultiple", "RadioSelect"}:
        css = ""
    else:
        css = "form-control"
    if bound_field.errors:
        css += " is-invalid"
    existing = widget.attrs.get("class", "")
    return bound_field.as_widget(attrs={"class": f"{existing} {css}".strip()})


@register.filter
def reasons_in(obj: Any, language: str) -> list[str]:
    """``obj.reasons(language)`` — explanations stored in both languages (matches, engine results)."""
    return list(obj.reasons("en" if str(language).startswith("en") else "fa"))


@register.simple_tag(takes_context=True)
def table_cells(context: template.Context, row: Any) -> str:
    """A django-tables2 row's cells, as its bootstrap template draws them (``BoundRow.items()``), in one
    Python loop with each column's render method read once per table (``exports.CellReader``): through
    the template and the library each cell cost a dozen lookups and a signature, most of a list's CPU."""
    cells = []
    fixed = _fixed_td_attributes(row.table) if not isinstance(row, BoundPinnedRow) else {}
    for column, cell in _row_items(row):
        if column.localize is None:
            value = render_value_in_context(cell, context)
        else:
            value = conditional_escape(localize(cell) if column.localize else unlocalize(cell))
        attributes = fixed.get(column.name)
        if attributes is None:
            attributes = column.attrs["td"].as_html()
        cells.append(format_html("<td {}>{}</td>", attributes, value))
    return mark_safe("".join(cells))  # noqa: S308 — every cell built by format_html above


def _fixed_td_attributes(table: Any) -> dict[str, str]:
    """Each column's ``<td>`` attributes drawn once per table when they do not depend on the row (no
    callable among the table's and the column's ``td``/``cell`` attributes): django-tables2 computes
    and escapes them again for every cell, ~40 % of a page's table."""
    fixed = table.__dict__.get("_fixed_td")
    if fixed is None:
        fixed = table.__dict__["_fixed_td"] = {}
        for column in table.columns:
            sources = (table.attrs, column.column.attrs)
            if not any(
                callable(value)
                for attrs in sources
                for key in ("td", "cell")
                for value in dict(attrs.get(key) or {}).values()
            ):
                column.current_value = column.current_record = None
                fixed[column.name] = column.attrs["td"].as_html()
    return fixed


def _row_items(row: Any) -> Iterator[tuple[Any, Any]]:
    """``row.items()``: (bound column, rendered cell), the column told its record and value for
    callable attributes; pinned rows (their data shown as given) through the library itself."""
    if isinstance(row, BoundPinnedRow):
        yield from row.items()
        return
    table = row.table
    readers = table.__dict__.get("_cell_readers")
    if readers is None:
        readers = table.__dict__["_cell_readers"] = [
            exports.CellReader(table, column, html=True) for column in table.columns
        ]
    for reader in readers:
        column, cell = reader.bound_column, reader.read(row)
        column.current_value, column.current_record = cell, row.record
        yield column, cell


class _FragmentNode(template.Node):
    def __init__(
        self, name: template.base.FilterExpression, nodelist: template.NodeList, every_page: bool
    ) -> None:
        self.name, self.nodelist, self.every_page = name, nodelist, every_page

    def render(self, context: template.Context) -> str:
        def draw() -> str:
            with context.push(csrf_token=caching.CSRF_PLACEHOLDER):
                return str(self.nodelist.render(context))

        name = str(self.name.resolve(context))
        html = caching.remember_fragment(context.get("request"), name, draw, self.every_page)
        return mark_safe(html)  # noqa: S308 — the template's own output, escaped when it was drawn


@register.tag
def fragment(parser: template.base.Parser, token: template.base.Token) -> _FragmentNode:
    """``{% fragment "results" %}…{% endfragment %}``: a list page's part drawn once for everyone who
    would see it the same, until the data changes (``caching.remember_fragment``: keyed on the audience,
    the query string, the language and the data version); drawn afresh for a later page or a download.
    ``{% fragment "filters" every_page %}``: the same on every page (a filter form), kept for all of them."""
    bits = token.split_contents()
    if len(bits) not in (2, 3) or (len(bits) == 3 and bits[2] != "every_page"):
        raise template.TemplateSyntaxError('{% fragment %} takes one name, and maybe "every_page"')
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return _FragmentNode(parser.compile_filter(bits[1]), nodelist, len(bits) == 3)
