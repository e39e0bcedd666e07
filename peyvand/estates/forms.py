"""Forms of the estates area."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.acting import acting_companies, acting_company
from peyvand.accounts.models import Organisation
from peyvand.core.forms import PersianNumbersMixin
from peyvand.matching.text import normalize, to_ascii_digits

from .models import IndustrialEstate, Plot
from .services import area_error


class EstateForm(PersianNumbersMixin, forms.ModelForm):
    class Meta:
        model = IndustrialEstate
        fields = [
            "name",
            "name_en",
            "code",
            "kind",
            "county",
            "company",
            "total_area_ha",
            "industrial_area_ha",
            "water",
            "power",
            "gas",
            "telecom",
            "wastewater",
            "latitude",
            "longitude",
            "description",
        ]
        widgets = {
            "name_en": forms.TextInput(attrs={"dir": "ltr"}),
            "code": forms.TextInput(attrs={"dir": "ltr"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        companies = acting_companies(user)
        if self.instance.company_id:  # an estate keeps its company even after that company is deactivated
            companies = companies | Organisation.objects.filter(pk=self.instance.company_id)
        self.fields["company"].queryset = companies
        if not self.instance.pk:
            self.fields["company"].initial = acting_company(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        error = area_error(data.get("total_area_ha"), data.get("industrial_area_ha"))
        if error:
            self.add_error("industrial_area_ha", error)
        return data


class PlotForm(PersianNumbersMixin, forms.ModelForm):
    class Meta:
        model = Plot
        fields = ["number", "area_m2", "zone", "state"]
        widgets = {"number": forms.TextInput(attrs={"dir": "ltr"})}

    def __init__(self, *args: Any, estate: IndustrialEstate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.estate = estate

    def clean_number(self) -> str:
        number = to_ascii_digits(normalize(self.cleaned_data["number"]))
        duplicate = Plot.objects.filter(estate=self.estate, number=number).exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise forms.ValidationError(_("This estate already has a plot with this number."))
        return number
