"""Forms of the investment path: the investor's file and evidence, the application, the reviewer's
decisions, the allocation contract's terms, and a milestone's completion."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.acting import acting_companies
from peyvand.accounts.models import Organisation
from peyvand.core import permissions
from peyvand.core.forms import PersianNumbersMixin
from peyvand.core.jalali import JalaliDateField, format_number, localize_digits
from peyvand.core.uploads import DOCUMENTS, validate_upload
from peyvand.estates.models import IndustrialEstate, Plot
from peyvand.matching.text import to_ascii_digits
from peyvand.taxonomy.models import Classification

from .choices import Criterion, EvidenceKind, InvestorKind, KnowledgeLevel
from .models import Application, Investor, LandUse

HS_CODE = re.compile(r"^\d{4}(\.?\d{2}){0,2}$")


class InvestorForm(PersianNumbersMixin, forms.ModelForm):
    knowledge_expiry = JalaliDateField(label=_("Certificate valid until"), required=False)

    class Meta:
        model = Investor
        fields = [
            "kind",
            "name",
            "name_en",
            "national_id",
            "company",
            "contact_person",
            "phone",
            "email",
            "address",
            "knowledge_level",
            "knowledge_expiry",
            "knowledge_register_number",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].max_length = 200
        companies = acting_companies(user)
        if not permissions.organisations(user, "estate_company"):
            companies = Organisation.objects.filter(
                kind="estate_company", is_active=True
            )  # an investor's own filing
        self.fields["company"].queryset = companies
        if self.instance.pk or companies.count() == 1:
            if not self.instance.pk:
                self.instance.company = companies.first()
            del self.fields["company"]

    def clean_national_id(self) -> str | None:
        value = to_ascii_digits(self.cleaned_data.get("national_id") or "").strip()
        if not value:
            return None
        kind = self.cleaned_data.get("kind")
        expected = 10 if kind == InvestorKind.PERSON else 11
        if not value.isdigit() or len(value) != expected:
            raise forms.ValidationError(
                _("The national ID has %(count)s digits.") % {"count": expected}, code="national_id"
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        level = data.get("knowledge_level")
        if level and level != KnowledgeLevel.NONE:
            if not data.get("knowledge_expiry"):
                self.add_error("knowledge_expiry", _("Give the certificate's expiry date."))
            if not (data.get("knowledge_register_number") or "").strip():
                self.add_error("knowledge_register_number", _("Give the official register's number."))
        return data


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    description = forms.CharField(label=_("Description"), max_length=300)
    file = forms.FileField(label=_("Document"), required=False, help_text=_("PDF or image"))

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        validate_upload(upload, allowed=DOCUMENTS)
        return upload


class ApplicationForm(PersianNumbersMixin, forms.ModelForm):
    class Meta:
        model = Application
        fields = [
            "investor",
            "title",
            "product",
            "isic",
            "hs_codes",
            "investment_rial",
            "usd_share",
            "jobs_planned",
            "land_m2",
            "water_m3_day",
            "power_kw",
            "gas_m3_hour",
            "wastewater",
            "environment_group",
            "export_share",
            "export_markets",
            "import_substitution",
            "preferred_estates",
        ]
        widgets = {
            "wastewater": forms.Textarea(attrs={"rows": 2}),
            "preferred_estates": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args: Any, user: Any, investor: Investor | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["isic"].queryset = Classification.objects.isic_classes()
        if investor is not None or self.instance.pk:
            del self.fields["investor"]
            if investor is not None and not self.instance.pk:
                self.instance.investor = investor
        else:
            self.fields["investor"].queryset = permissions.restrict(
                Investor.objects.all(), user, permissions.CHANGE
            )
        company_id = self.instance.investor.company_id if self.instance.investor_id else None
        estates = IndustrialEstate.objects.all()
        if company_id:
            estates = estates.filter(company_id=company_id)
        self.fields["preferred_estates"].queryset = estates
        self.fields["preferred_estates"].required = False

    def clean_hs_codes(self) -> str:
        text = to_ascii_digits(self.cleaned_data.get("hs_codes") or "")
        codes = [code for code in re.split(r"[\s,،;]+", text) if code]
        wrong = [code for code in codes if not HS_CODE.match(code)]
        if wrong:
            raise forms.ValidationError(
                _("“%(code)s” is not an HS code (4, 6 or 8 digits).") % {"code": wrong[0]}, code="hs"
            )
        return ", ".join(codes)

    def clean_investment_rial(self) -> int:
        value = self.cleaned_data["investment_rial"]
        if value is not None and not 1_000_000 <= value <= 10**17:
            raise forms.ValidationError(_("Give the investment in rial (at least one million)."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("export_share") or 0) > 0 and not (data.get("export_markets") or "").strip():
            self.add_error("export_markets", _("Name the export markets."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ScreenForm(forms.Form):
    note = forms.CharField(
        label=_("Reviewer's notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ApproveForm(forms.Form):
    estate = forms.ModelChoiceField(label=_("Estate"), queryset=IndustrialEstate.objects.none())
    note = forms.CharField(
        label=_("Reviewer's notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["estate"].queryset = IndustrialEstate.objects.filter(company_id=application.company_id)


class ContractForm(PersianNumbersMixin, forms.Form):
    plot = forms.ModelChoiceField(label=_("Plot"), queryset=Plot.objects.none())
    signed_on = JalaliDateField(label=_("Signed on"))
    price_per_m2_rial = forms.IntegerField(label=_("Price per m² (rial)"), min_value=1, max_value=10**12)
    down_payment_share = forms.DecimalField(
        label=_("Down payment (%)"), min_value=0, max_value=100, decimal_places=2, initial=Decimal(30)
    )
    instalments = forms.IntegerField(label=_("Monthly instalments"), min_value=0, max_value=120, initial=36)
    waiver_share = forms.DecimalField(
        label=_("Waiver for building on time (%)"),
        min_value=0,
        max_value=50,
        decimal_places=2,
        initial=Decimal(10),
        help_text=_("share of the price waived when the operation licence comes by its deadline"),
    )
    grace_days = forms.IntegerField(label=_("Grace period (days)"), min_value=0, max_value=1000, initial=180)

    def __init__(self, *args: Any, plots: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plot"].queryset = plots
        self.fields["plot"].label_from_instance = lambda plot: (
            _("%(number)s — %(area)s m²")
            % {
                "number": localize_digits(plot.number),
                "area": format_number(plot.area_m2),
            }
        )
        self.fields["signed_on"].initial = timezone.localdate()


class MilestoneForm(forms.Form):
    done_on = JalaliDateField(label=_("Done on"))
    evidence = forms.FileField(label=_("Evidence"), required=False, help_text=_("PDF or image"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        validate_upload(upload, allowed=DOCUMENTS)
        return upload


class LandUseForm(PersianNumbersMixin, forms.ModelForm):
    class Meta:
        model = LandUse
        fields = [
            "admitted_isic",
            "max_environment_group",
            "water_left_m3_day",
            "power_left_kw",
            "gas_left_m3_hour",
        ]

    def clean_admitted_isic(self) -> str:
        text = to_ascii_digits(self.cleaned_data.get("admitted_isic") or "").upper()
        codes = [code for code in re.split(r"[\s,،;]+", text) if code]
        wrong = [code for code in codes if not re.fullmatch(r"[A-U]|\d{2}", code)]
        if wrong:
            raise forms.ValidationError(
                _("“%(code)s” is neither an ISIC section (a letter) nor a division (two digits).")
                % {"code": wrong[0]}
            )
        return " ".join(codes)


class ReasonRequiredForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


def _clean_weights(self: forms.Form) -> dict[str, Any]:
    data = forms.Form.clean(self)
    if not self.errors and not any(data.values()):
        raise forms.ValidationError(_("Give at least one criterion some points."))
    return data


# The company's points for each screening criterion (0–100 each), one field per criterion.
WeightsForm = type(
    "WeightsForm",
    (PersianNumbersMixin, forms.Form),
    {
        **{
            code: forms.IntegerField(label=label, min_value=0, max_value=100)
            for code, label in Criterion.choices
        },
        "clean": _clean_weights,
        "__module__": __name__,
    },
)
