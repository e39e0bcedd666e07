"""Form plumbing shared by every form: numbers typed with Persian digits and separators."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import EmptyResultSet, ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

from peyvand.core.jalali import localize_digits
from peyvand.matching.text import to_ascii_digits

_NUMERIC = (forms.IntegerField, forms.DecimalField, forms.FloatField)
_SEPARATORS = str.maketrans({"٬": None, ",": None, "،": None, "٫": ".", " ": None, "\u200c": None})


def plain_number(value: str) -> str:
    """«۱۲٬۵۰۰٫۵» → «12500.5»: ASCII digits, no thousands separators, a dot for decimals."""
    return to_ascii_digits(value).translate(_SEPARATORS).strip()


class NumberInput(forms.TextInput):
    """A number typed as text. It shows its value with the page's digits (Persian in Persian, through
    ``jalali.localize_digits`` as every number on the page); ``plain_number`` reads either digit set back."""

    def format_value(self, value: Any) -> str | None:
        text = super().format_value(value)
        return None if text is None else localize_digits(text)


class PersianNumbersMixin:
    """Number fields become text inputs (browsers refuse Persian digits in type=number) and accept
    Persian or Arabic-Indic digits with ٬ , ، separators."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._numeric_fields = []
        for name, field in self.fields.items():
            if isinstance(field, _NUMERIC):
                mode = "decimal" if isinstance(field, forms.DecimalField | forms.FloatField) else "numeric"
                field.widget = NumberInput(attrs={"inputmode": mode, "dir": "ltr", "class": "num"})
                self._numeric_fields.append(name)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and not field.to_field_name:
                _refuse_unreadable_ids(field)
        if self.is_bound and self._numeric_fields:
            data = self.data.copy()
            for name in self._numeric_fields:
                key = self.add_prefix(name)
                if key in data and isinstance(data[key], str):
                    data[key] = plain_number(data[key])
            self.data = data


def _refuse_unreadable_ids(field: forms.ModelChoiceField) -> None:
    """An id no table can hold (10^30, "abc") is "not one of the choices", named as typed, before the
    database is asked (a huge one would overflow it)."""
    clean = field.clean

    def checked(value: Any) -> Any:
        for item in value if isinstance(value, list | tuple) else [value]:
            if not _readable_id(item):
                raise ValidationError(
                    forms.ModelMultipleChoiceField.default_error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": Truncator(item).chars(40)},
                )
        return clean(value)

    field.clean = checked  # type: ignore[method-assign]


def _readable_id(value: object) -> bool:
    from peyvand.core.search import query_id

    return value in (None, "") or not isinstance(value, str) or query_id(value) is not None


class QuickSelect(forms.Select):
    """``forms.Select`` drawn in Python, the same HTML without a template per option: a list's estate
    filter of ~1,000 estates cost tens of milliseconds of CPU on every page view through the templates.
    Grouped choices fall back to Django's own drawing."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> SafeString:
        choices = self._escaped_choices()
        if choices is None:
            return super().render(name, value, attrs, renderer)
        chosen = set(self.format_value(value))
        options, has_selected = [], False
        for text, label in choices:
            selected = text in chosen and (self.allow_multiple_selected or not has_selected)
            has_selected |= selected
            options.append(f'<option value="{text}"{" selected" if selected else ""}>{label}</option>')
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe("\n".join(options)),  # noqa: S308 — values and labels escaped by _escaped_choices
        )

    def _escaped_choices(self) -> list[tuple[str, str]] | None:
        """(value, label) of every option, both HTML-escaped; None for grouped choices. The rows of a
        model choice are read once per language until a table they read changes (``caching.remember``)."""
        from peyvand.core.caching import remember_by_tables

        def read() -> list[tuple[str, str]] | None:
            pairs = []
            for option_value, label in self.choices:
                if isinstance(label, list | tuple):
                    return None
                text = "" if option_value is None else str(option_value)
                pairs.append((str(escape(text)), str(escape(str(label)))))  # plain text: it is pickled
            return pairs

        rows = self.choices
        if not isinstance(rows, ModelChoiceIterator):
            return read()
        field = rows.field
        try:
            sql = str(rows.queryset.query)
        except EmptyResultSet:  # a scope that matches nothing (a user without memberships): no rows to keep
            return read()
        parts = (
            "choices",
            type(field).__module__,
            type(field).__qualname__,
            sql,
            str(field.empty_label),
            get_language(),
        )
        # kept until a table the options read changes: a unit written does not redraw the estates
        return remember_by_tables(parts, read)


def quick_selects(form: forms.BaseForm) -> None:
    """Draw ``form``'s plain selects with ``QuickSelect`` (same HTML, a fraction of the CPU)."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            field.widget.__class__ = QuickSelect
