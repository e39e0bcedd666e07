"""Forms of the bridge: the request template, quotes and declines, ledger steps, 'why not?'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.acting import acting_companies
from peyvand.accounts.models import Organisation
from peyvand.core import limits, permissions
from peyvand.core.forms import PersianNumbersMixin
from peyvand.core.jalali import JalaliDateField
from peyvand.core.uploads import DRAWINGS, validate_upload
from peyvand.estates.models import County
from peyvand.taxonomy.forms import HSCodeField
from peyvand.taxonomy.models import Capability
from peyvand.units.models import Certification

from .choices import LINKAGE_TRANSITIONS, STAGE_FIELDS, DeclineReason, LinkageStage, LostReason, Requirement
from .models import Linkage, SourcingRequest, SupplierInvitation


class SourcingRequestForm(PersianNumbersMixin, forms.ModelForm):
    """UNIDO's fixed request template: what, how many, by when, which certificates, how confidential."""

    must_have = forms.ModelMultipleChoiceField(
        label=_("Certifications the supplier must hold"),
        queryset=Certification.objects.known(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    preferred = forms.ModelMultipleChoiceField(
        label=_("Certifications preferred"),
        queryset=Certification.objects.known(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachment = forms.FileField(
        label=_("Drawing or specification"),
        required=False,
        help_text=_("PDF, image, DWG/DXF or ZIP; one file per save, up to the upload limit."),
    )
    hs_code = HSCodeField(lengths=(6, 8), required=False, sources=("title", "text"))
    quote_deadline = JalaliDateField(label=_("Deadline for quotes"))
    delivery_from = JalaliDateField(label=_("Delivery from"), required=False)
    delivery_to = JalaliDateField(label=_("Delivery until"), required=False)

    class Meta:
        model = SourcingRequest
        fields = [
            "buyer",
            "title",
            "text",
            "hs_code",
            "lang",
            "capabilities",
            "quantity",
            "quantity_unit",
            "target_price_rial",
            "quote_deadline",
            "delivery_from",
            "delivery_to",
            "preferred_counties",
            "confidentiality",
            "buyer_may_invite",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 5}),
            "confidentiality": forms.RadioSelect,
            "preferred_counties": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        own_buyers = permissions.organisations(user, "buyer")
        if self.instance.pk or (own_buyers and not permissions.is_staff_member(user)):
            del self.fields["buyer"]
            if not self.instance.pk:
                self.instance.buyer = Organisation.objects.get(pk=own_buyers[0])
        else:
            buyers = Organisation.objects.filter(kind="buyer", is_active=True)
            self.fields["buyer"].queryset = buyers.filter(company__in=acting_companies(user))
            self.fields["buyer"].help_text = _("the buyer this request is filed for")
        if not permissions.is_staff_member(user):
            del self.fields["buyer_may_invite"]  # only the estate company may let a buyer invite suppliers
        self.fields["capabilities"].queryset = Capability.objects.filter(is_active=True)
        self.fields["capabilities"].help_text = _("suggested from the text as you type; add or remove freely")
        self.fields["preferred_counties"].queryset = County.objects.all()
        self.fields["preferred_counties"].required = False
        if self.instance.pk:
            needs = self.instance.certification_needs.all()
            self.initial["must_have"] = [
                n.certification_id for n in needs if n.requirement == Requirement.MUST_HAVE
            ]
            self.initial["preferred"] = [
                n.certification_id for n in needs if n.requirement == Requirement.PREFERRED
            ]

    def clean_quote_deadline(self):
        deadline = self.cleaned_data["quote_deadline"]
        if deadline and deadline < timezone.localdate() and "quote_deadline" in self.changed_data:
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return deadline

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        validate_upload(upload, allowed=DRAWINGS)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end, deadline = data.get("delivery_from"), data.get("delivery_to"), data.get("quote_deadline")
        if start and end and end < start:
            self.add_error("delivery_to", _("The delivery window ends before it starts."))
        if start and deadline and start < deadline:
            self.add_error("delivery_from", _("Delivery cannot start before the deadline for quotes."))
        both = set(data.get("must_have") or []) & set(data.get("preferred") or [])
        if both:
            self.add_error("preferred", _("A certification is either a must or a preference, not both."))
        if not (data.get("text") or "").strip():
            self.add_error("text", _("Describe what you need."))
        return data


class QuoteForm(PersianNumbersMixin, forms.ModelForm):
    class Meta:
        model = SupplierInvitation
        fields = ["price_rial", "lead_time_days", "capacity", "note", "file"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["price_rial"].required = True
        self.fields["lead_time_days"].required = True

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "size") and upload != self.initial.get("file"):
            validate_upload(upload, allowed=DRAWINGS)
        return upload

    def clean_price_rial(self):
        price = self.cleaned_data["price_rial"]
        if price is not None and price <= 0:
            raise forms.ValidationError(_("Enter a price above zero."))
        return price


class DeclineForm(forms.ModelForm):
    class Meta:
        model = SupplierInvitation
        fields = ["decline_reason", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decline_reason"].required = True
        self.fields["decline_reason"].choices = [("", "—"), *DeclineReason.choices]


class MoveNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=limits.NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LinkageStepForm(PersianNumbersMixin, forms.Form):
    """Record the next step of a linkage with what that stage knows."""

    to_stage = forms.ChoiceField(label=_("New stage"))
    date = JalaliDateField(label=_("Date"), initial=timezone.localdate)
    # The ledger's own fields (with their ranges: limits.py), so a step can only record what a linkage holds.
    contract_value_rial = limits.form_field(Linkage, "contract_value_rial", label=_("Contract value (rial)"))
    contract_value_usd = limits.form_field(Linkage, "contract_value_usd", label=_("Contract value (USD)"))
    quantity = limits.form_field(Linkage, "quantity", label=_("Quantity"))
    local_content_share = limits.form_field(Linkage, "local_content_share", label=_("Local content (%)"))
    export_share = limits.form_field(
        Linkage, "export_share", label=_("Export share of the buyer's product (%)")
    )
    jobs_created = limits.form_field(Linkage, "jobs_created", label=_("Jobs created"))
    lost_reason = forms.ChoiceField(
        label=_("Why it was lost"), required=False, choices=[("", "—"), *LostReason.choices]
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=limits.NOTE_LENGTH,
    )
    last_step = forms.IntegerField(required=False, widget=forms.HiddenInput)  # guards against double submits

    def __init__(self, *args: Any, stage: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = LINKAGE_TRANSITIONS.get(stage, frozenset())
        self.fields["to_stage"].choices = [
            (value, LinkageStage(value).label) for value in LinkageStage.values if value in allowed
        ]
        recordable = {name for stage_name in allowed for name in STAGE_FIELDS[stage_name]}
        for name in list(STAGE_FIELDS[LinkageStage.CONTRACT_SIGNED]):
            if name not in recordable:
                del self.fields[name]

    def values(self) -> dict[str, Any]:
        names = STAGE_FIELDS.get(self.cleaned_data["to_stage"], ())
        return {name: self.cleaned_data.get(name) for name in names if name in self.fields}


class WhyNotForm(forms.Form):
    unit = forms.CharField(label=_("Why not this unit?"), max_length=200)
