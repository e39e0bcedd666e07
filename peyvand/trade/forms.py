"""Forms of the trade domain: an export record (HS code suggested from the product as the user types) and
a buyer's declared input. Numbers take Persian digits; every free text has a maximum length."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.models import Organisation
from peyvand.core import jalali, permissions
from peyvand.core.forms import PersianNumbersMixin
from peyvand.matching.text import to_ascii_digits
from peyvand.taxonomy.forms import HSCodeField
from peyvand.units.models import ProductionUnit

from . import countries, hs
from .choices import Exporter, ExportSource
from .models import BuyerInput, ExportRecord

MAX_VALUE_USD = 10_000_000_000  # ten billion dollars: more is a typing mistake
MAX_VALUE_RIAL = 10**18


def month_choices() -> list[tuple[int, str]]:
    names = jalali.JALALI_MONTHS_EN if not jalali.is_persian() else jalali.JALALI_MONTHS
    return [(number, f"{jalali.localize_digits(number)} — {name}") for number, name in enumerate(names, 1)]


def _code(value: str) -> str:
    return to_ascii_digits(value or "").replace(".", "").replace(" ", "").strip()


class ExportRecordForm(PersianNumbersMixin, forms.ModelForm):
    """One month's exports of one product to one country."""

    exporter_kind = forms.ChoiceField(label=_("Exporter"), choices=Exporter.choices, initial=Exporter.UNITS)
    destination = forms.ChoiceField(label=_("Destination country"), choices=())
    month = forms.TypedChoiceField(label=_("Jalali month"), coerce=int, choices=())
    year = forms.IntegerField(
        label=_("Jalali year"),
        min_value=1300,
        max_value=1500,
        error_messages={
            "min_value": _("Jalali years run from 1300 to 1500."),
            "max_value": _("Jalali years run from 1300 to 1500."),
        },
    )
    value_usd = forms.IntegerField(
        label=_("Value (US dollars)"),
        min_value=1,
        max_value=MAX_VALUE_USD,
        error_messages={
            "min_value": _("The value must be at least one dollar."),
            "max_value": _("This value is too large for one record; check the digits."),
        },
    )
    value_rial = forms.IntegerField(
        label=_("Value (rial)"),
        min_value=1,
        max_value=MAX_VALUE_RIAL,
        required=False,
        error_messages={"max_value": _("This value is too large for one record; check the digits.")},
    )
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=0.01, max_digits=14, decimal_places=2, required=False
    )
    hs_code = HSCodeField(
        label=_("HS code"),
        known=hs.is_known_code,
        sources=("product",),
        hints=("unit",),
        help_text=_("Six digits of HS 2022; choose one of the codes suggested from the product."),
    )

    class Meta:
        model = ExportRecord
        fields = [
            "unit",
            "buyer",
            "product",
            "hs_code",
            "tariff_line",
            "destination",
            "value_usd",
            "value_rial",
            "quantity",
            "quantity_unit",
            "year",
            "month",
            "source",
            "note",
        ]
        help_texts = {"tariff_line": _("The national eight-digit tariff line, when known.")}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        units = permissions.restrict(ProductionUnit.objects.select_related("estate"), user, permissions.VIEW)
        self.fields["unit"].queryset = units.order_by("sort_name")
        self.fields["unit"].required = False
        self.fields["unit"].empty_label = "—"
        buyers = permissions.restrict(
            Organisation.objects.filter(kind="buyer", is_active=True), user, permissions.VIEW
        )
        self.fields["buyer"].queryset = buyers.order_by("sort_name")
        self.fields["buyer"].required = False
        self.fields["buyer"].empty_label = "—"
        self.fields["source"].choices = [("", "—"), *self.fields["source"].choices[1:]]
        self.order_fields(["exporter_kind", *self.Meta.fields])
        if not permissions.is_staff_member(user):
            # A unit's people state their own units' exports; the figure's source says so.
            self.fields["unit"].queryset = permissions.restrict(
                ProductionUnit.objects.all(), user, permissions.CHANGE
            ).order_by("sort_name")
            self.fields["unit"].required = True
            for name in ("exporter_kind", "buyer", "source"):
                del self.fields[name]
            self.instance.source = ExportSource.OWN_STATEMENT
        self.fields["destination"].choices = [("", "—"), *countries.choices()]
        self.fields["month"].choices = month_choices()
        self.fields["tariff_line"].widget.attrs.update({"dir": "ltr", "class": "num"})
        self.fields["product"].widget.attrs.update({"autocomplete": "off"})
        self.fields["note"].widget = forms.Textarea(attrs={"rows": 2, "maxlength": 500})
        if self.instance.pk:
            if "exporter_kind" in self.fields:
                self.fields["exporter_kind"].initial = (
                    Exporter.BUYERS if self.instance.buyer_id else Exporter.UNITS
                )
        else:
            today = jalali.to_jalali(timezone.localdate())
            self.fields["year"].initial = jalali.localize_digits(today.year)
            self.fields["month"].initial = today.month

    def clean_tariff_line(self) -> str:
        code = _code(self.cleaned_data.get("tariff_line", ""))
        if code and (len(code) != 8 or not code.isdigit()):
            raise forms.ValidationError(_("A national tariff line has eight digits."))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("exporter_kind", Exporter.UNITS)
        if kind == Exporter.UNITS:
            data["buyer"] = None
            if not data.get("unit"):
                self.add_error("unit", _("Choose the unit that exported."))
        elif kind == Exporter.BUYERS:
            data["unit"] = None
            if not data.get("buyer"):
                self.add_error("buyer", _("Choose the buyer that exported."))
        code, line = data.get("hs_code"), data.get("tariff_line")
        if code and line and not line.startswith(code):
            self.add_error("tariff_line", _("The tariff line must begin with the six digits of the HS code."))
        return data


class BuyerInputForm(PersianNumbersMixin, forms.ModelForm):
    """What a large buyer buys every year, and where from."""

    yearly_value_rial = forms.IntegerField(
        label=_("Yearly value (rial)"), min_value=1, max_value=MAX_VALUE_RIAL, required=False
    )
    yearly_quantity = forms.DecimalField(
        label=_("Yearly quantity"), min_value=0.01, max_digits=14, decimal_places=2, required=False
    )

    hs_code = HSCodeField(
        label=_("HS code"), known=hs.is_known_code, sources=("name", "description"), required=False
    )

    class Meta:
        model = BuyerInput
        fields = ["buyer", "name", "description", "hs_code", "yearly_quantity", "quantity_unit", "yearly_value_rial", "origin"]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3, "maxlength": 3000})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = permissions.organisations(user, "buyer")
        if self.instance.pk or (own and not permissions.is_staff_member(user)):
            del self.fields["buyer"]
            if not self.instance.pk:
                self.instance.buyer = Organisation.objects.get(pk=own[0])
        else:
            buyers = Organisation.objects.filter(kind="buyer", is_active=True)
            self.fields["buyer"].queryset = permissions.restrict(buyers, user, permissions.VIEW).order_by(
                "sort_name"
            )
