"""Forms of green estates: ranges on every number and date, lengths on every text, Persian messages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.acting import acting_companies
from peyvand.accounts.models import Organisation
from peyvand.core import permissions
from peyvand.core.forms import PersianNumbersMixin
from peyvand.core.jalali import JalaliDateField
from peyvand.core.uploads import validate_upload
from peyvand.estates.models import IndustrialEstate
from peyvand.units.models import ProductionUnit

from .choices import PLANT_TRANSITIONS, SYMBIOSIS_TRANSITIONS, Parameter, PlantStage, SymbiosisStage
from .models import DischargeLimit, EffluentTest, ResourceListing, TreatmentPlant, UnitConnection

PHOTOS = (".jpg", ".jpeg", ".png")


class PlantForm(PersianNumbersMixin, forms.ModelForm):
    initial_stage = forms.ChoiceField(
        label=_("Stage now"), choices=PlantStage.choices, initial=PlantStage.PLANNED
    )
    stage_since = JalaliDateField(label=_("In this stage since"), initial=timezone.localdate)
    planned_opening = JalaliDateField(label=_("Planned opening"), required=False)

    class Meta:
        model = TreatmentPlant
        fields = [
            "name",
            "name_en",
            "estates",
            "capacity_m3_day",
            "technology",
            "planned_opening",
            "cost_rial",
            "funding",
            "contractor",
        ]
        widgets = {"estates": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["name"].max_length = 200
        self.fields["estates"].queryset = permissions.restrict(
            IndustrialEstate.objects.filter(company__in=acting_companies(user)), user, permissions.VIEW
        )
        self.fields["cost_rial"].min_value = 0
        self.fields["cost_rial"].widget.attrs["placeholder"] = "0"
        self.fields["cost_rial"].validators.append(_max(10**16))
        if self.instance.pk:
            del self.fields["initial_stage"]
            del self.fields["stage_since"]
        else:
            self.fields["initial_stage"].choices = [
                (code, label) for code, label in PlantStage.choices if code != PlantStage.OUT_OF_SERVICE
            ]

    def clean_stage_since(self) -> dt.date:
        date = self.cleaned_data["stage_since"]
        if date and date > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return date

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        estates = data.get("estates")
        if estates:
            companies = {estate.company_id for estate in estates}
            if len(companies) > 1:
                raise ValidationError(_("A plant serves estates of one company only."))
            self.instance.company = Organisation.objects.get(pk=companies.pop())
        return data


def _max(limit: int):
    def check(value: Any) -> None:
        if value is not None and value > limit:
            raise ValidationError(_("This number is too large."))

    return check


class ProgressForm(PersianNumbersMixin, forms.Form):
    date = JalaliDateField(label=_("Report date"), initial=timezone.localdate)
    percent = forms.IntegerField(label=_("Physical progress (%)"), min_value=0, max_value=100)
    inflow_m3_day = forms.DecimalField(
        label=_("Inflow measured (m³/day)"), required=False, min_value=0, max_value=500_000, decimal_places=1
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    photo = forms.FileField(label=_("Photo (jpg or png)"), required=False)

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        validate_upload(photo, PHOTOS, max_mb=8)
        return photo


class StageForm(forms.Form):
    prefix = "stage"  # shares the plant's page with the progress form
    to_stage = forms.ChoiceField(label=_("New stage"))
    date = JalaliDateField(label=_("Date"), initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, stage: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = PLANT_TRANSITIONS.get(stage, frozenset())
        self.fields["to_stage"].choices = [
            (code, label) for code, label in PlantStage.choices if code in allowed
        ]


class LimitForm(PersianNumbersMixin, forms.ModelForm):
    class Meta:
        model = DischargeLimit
        fields = ["minimum", "maximum"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("minimum", "maximum"):
            self.fields[name].min_value = 0
            self.fields[name].validators.append(_max(100_000))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("minimum"), data.get("maximum")
        if low is not None and high is not None and low > high:
            raise ValidationError(_("The minimum cannot be above the maximum."))
        if self.instance.parameter == Parameter.PH and high is not None and high > 14:
            raise ValidationError(_("pH runs from 0 to 14."))
        return data


class ConnectionForm(forms.ModelForm):
    connected_on = JalaliDateField(label=_("Connected on"), required=False)

    class Meta:
        model = UnitConnection
        fields = ["connected", "connected_on", "receiving_body", "pretreatment_in_place"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("connected") and not data.get("connected_on"):
            self.add_error("connected_on", _("Give the date the unit was connected."))
        if not data.get("connected"):
            data["connected_on"] = None
        when = data.get("connected_on")
        if when and when > timezone.localdate():
            self.add_error("connected_on", _("The date cannot be in the future."))
        return data


_PARAMETER_RANGE = {"ph": (Decimal(0), Decimal(14))}


class EffluentTestForm(PersianNumbersMixin, forms.ModelForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=ProductionUnit.objects.none())
    sampled_on = JalaliDateField(label=_("Sampled on"), initial=timezone.localdate)

    class Meta:
        model = EffluentTest
        fields = ["unit", "sampled_on", "lab", "receiving_body", *Parameter.values]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = permissions.restrict(
            ProductionUnit.objects.filter(estate__company__in=acting_companies(user)),
            user,
            permissions.VIEW,
        ).select_related("estate")
        for code in Parameter.values:
            low, high = _PARAMETER_RANGE.get(code, (Decimal(0), Decimal(100_000)))
            model_field = EffluentTest._meta.get_field(code)
            self.fields[code] = forms.DecimalField(
                label=model_field.verbose_name,
                required=False,
                min_value=low,
                max_value=high,
                decimal_places=model_field.decimal_places,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr", "class": "num"}),
            )
        self.fields["lab"].max_length = 150

    def clean_sampled_on(self) -> dt.date:
        date = self.cleaned_data["sampled_on"]
        if date > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return date

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not any(data.get(code) is not None for code in Parameter.values):
            raise ValidationError(_("Enter at least one measured parameter."))
        return data

    def test_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields if name != "unit"}


class ResolveForm(forms.Form):
    date = JalaliDateField(label=_("Resolved on"), initial=timezone.localdate)
    resolution = forms.CharField(
        label=_("How it was resolved"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


def listing_units(user: Any):
    """Units ``user`` may list haves and wants for: a company's units for its staff, a unit's own for its
    members (the gate's ``add`` on resource listings, read through the units it reaches)."""
    condition = Q(pk__in=[])
    for org_kind, role, org_id in permissions.memberships(user):
        if not permissions.allowed(org_kind, role, "resource_listing", permissions.ADD):
            continue
        if org_kind == "estate_company":
            condition |= Q(estate__company_id=org_id)
        elif org_kind == "production_unit":
            condition |= Q(organisation_id=org_id)
        elif org_kind == "national_body":
            condition = Q()
    if getattr(user, "is_superuser", False):
        condition = Q()
    return ProductionUnit.objects.filter(condition)


class ListingForm(PersianNumbersMixin, forms.ModelForm):
    class Meta:
        model = ResourceListing
        fields = [
            "unit",
            "direction",
            "material",
            "description",
            "tonnes_per_year",
            "form",
            "place",
            "active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = listing_units(user).select_related("estate")
        if self.instance.pk:
            self.fields["unit"].disabled = True
        self.fields["tonnes_per_year"].min_value = Decimal("0.1")


class ExchangeStepForm(PersianNumbersMixin, forms.Form):
    to_stage = forms.ChoiceField(label=_("New stage"))
    date = JalaliDateField(label=_("Date"), initial=timezone.localdate)
    tonnes_per_year = forms.DecimalField(
        label=_("Tonnes diverted a year"), required=False, min_value=0, max_value=1_000_000, decimal_places=1
    )
    value_rial = forms.IntegerField(
        label=_("Value a year (rial)"), required=False, min_value=0, max_value=10**16
    )
    lost_reason = forms.CharField(label=_("Why it was lost"), required=False, max_length=500)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, stage: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = SYMBIOSIS_TRANSITIONS.get(stage, frozenset())
        self.fields["to_stage"].choices = [
            (code, label) for code, label in SymbiosisStage.choices if code in allowed
        ]
