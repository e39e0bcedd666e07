"""Form plumbing shared by every form: numbers typed with Persian digits and separators."""

from __future__ import annotations

from typing import Any

from django import forms

from peyvand.matching.text import to_ascii_digits

_NUMERIC = (forms.IntegerField, forms.DecimalField, forms.FloatField)
_SEPARATORS = str.maketrans({"٬": None, ",": None, "،": None, "٫": ".", " ": None, "\u200c": None})


def plain_number(value: str) -> str:
    """«۱۲٬۵۰۰٫۵» → «12500.5»: ASCII digits, no thousands separators, a dot for decimals."""
    return to_ascii_digits(value).translate(_SEPARATORS).strip()


class PersianNumbersMixin:
    """Number fields become text inputs (browsers refuse Persian digits in type=number) and accept
    Persian or Arabic-Indic digits with ٬ , ، separators."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._numeric_fields = []
        for name, field in self.fields.items():
            if isinstance(field, _NUMERIC):
                mode = "decimal" if isinstance(field, forms.DecimalField | forms.FloatField) else "numeric"
                field.widget = forms.TextInput(attrs={"inputmode": mode, "dir": "ltr", "class": "num"})
                self._numeric_fields.append(name)
        choices = [
            name
            for name, field in self.fields.items()
            if isinstance(field, forms.ModelChoiceField) and not field.to_field_name
        ]
        if self.is_bound and (self._numeric_fields or choices):
            data = self.data.copy()
            for name in self._numeric_fields:
                key = self.add_prefix(name)
                if key in data and isinstance(data[key], str):
                    data[key] = plain_number(data[key])
            for name in choices:
                key = self.add_prefix(name)
                if key in data and hasattr(data, "getlist"):
                    # An id no table can hold (10^30) is "not a valid choice", not a database overflow.
                    data.setlist(key, [value if _readable_id(value) else "-" for value in data.getlist(key)])
            self.data = data


def _readable_id(value: object) -> bool:
    from peyvand.core.search import query_id

    return value in (None, "") or not isinstance(value, str) or query_id(value) is not None
