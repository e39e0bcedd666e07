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
        if self.is_bound and self._numeric_fields:
            data = self.data.copy()
            for name in self._numeric_fields:
                key = self.add_prefix(name)
                if key in data and isinstance(data[key], str):
                    data[key] = plain_number(data[key])
            self.data = data
