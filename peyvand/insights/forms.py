"""The dashboard's question: as of which date, over which period, within which estate or county."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peyvand.core import kpis, permissions
from peyvand.core.forms import quick_selects
from peyvand.core.jalali import JalaliDateField
from peyvand.estates.models import County, IndustrialEstate
from peyvand.taxonomy.models import Classification
from peyvand.units.choices import SizeClass

LANGUAGES = [("fa", "فارسی"), ("en", "English")]


class DashboardForm(forms.Form):
    on = JalaliDateField(label=_("As of"), required=False)
    period = forms.ChoiceField(
        label=_("Period"),
        choices=list(kpis.PERIOD_KINDS.items()),
        required=False,
        initial=kpis.LAST_12_MONTHS,
    )
    estate = forms.ModelChoiceField(
        label=_("Estate"),
        queryset=IndustrialEstate.objects.none(),
        required=False,
        empty_label=_("All estates"),
    )
    county = forms.ModelChoiceField(
        label=_("County"), queryset=County.objects.all(), required=False, empty_label=_("All counties")
    )
    isic = forms.ModelChoiceField(
        label=_("ISIC division"),
        queryset=Classification.objects.isic_divisions(),
        required=False,
        empty_label=_("All activities"),
    )
    size = forms.ChoiceField(
        label=_("Size"), choices=[("", _("All sizes")), *SizeClass.choices], required=False
    )
    kpi = forms.ChoiceField(label=_("Figure to chart"), required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["on"].initial = timezone.localdate()
        self.fields["estate"].queryset = permissions.restrict(
            IndustrialEstate.objects.select_related("county"), user, permissions.VIEW
        )
        from .figures import trend_kpis

        self.fields["kpi"].choices = [(kpi.code, kpi.name) for kpi in trend_kpis(user)]
        # drawn in Python, the options kept until the estates change: through Django's widget templates
        # the ~1,000 estates cost three quarters of a kept dashboard's CPU
        quick_selects(self)

    def clean_on(self) -> dt.date | None:
        on = self.cleaned_data.get("on")
        if on and on > timezone.localdate():
            raise forms.ValidationError(
                _("Figures are computed up to today: choose today or an earlier date.")
            )
        return on

    def query(self) -> kpis.Query:
        """The query the form asks (today, the last 12 months and no filter for what it could not read)."""
        from .figures import query_for

        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        filters = {
            name: str(value.pk) if hasattr(value, "pk") else str(value)
            for name in kpis.FILTERS
            if (value := data.get(name))
        }
        return query_for(self.user, data.get("on"), data.get("period") or kpis.LAST_12_MONTHS, filters)

    def chosen_kpi(self) -> str:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        choices = [code for code, _label in self.fields["kpi"].choices]
        return data.get("kpi") or ("operating_units" if "operating_units" in choices else choices[0])


class PressReportForm(forms.Form):
    on = JalaliDateField(label=_("As of"), required=False)
    lang = forms.ChoiceField(label=_("Language"), choices=LANGUAGES, required=False)

    def clean_on(self) -> dt.date | None:
        on = self.cleaned_data.get("on")
        if on and on > timezone.localdate():
            raise forms.ValidationError(
                _("Figures are computed up to today: choose today or an earlier date.")
            )
        return on
