"""Forms of the units area: profile (staff and representatives), products, life-cycle change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peyvand.core import limits, permissions
from peyvand.core.forms import PersianNumbersMixin
from peyvand.core.jalali import JalaliDateField
from peyvand.core.search import query_id
from peyvand.core.uploads import validate_upload
from peyvand.estates.models import IndustrialEstate, Plot
from peyvand.matching.text import normalize, to_ascii_digits
from peyvand.taxonomy.forms import HSCodeField, find_classification
from peyvand.taxonomy.models import Capability, Classification

from .choices import StatusCause, UnitStatus
from .models import OTHER_CERTIFICATION, Certification, Product, ProductionUnit
from .services import (  # what each side edits, and the rules of its fields: the service's one list
    FIELD_RULES,
    REPRESENTATIVE_FIELDS,
    STAFF_FIELDS,
)


class ClassificationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Classification) -> str:
        return f"{obj.code} — {obj.display_name}"


class UnitForm(PersianNumbersMixin, forms.ModelForm):
    """Unit profile. Staff get every registry field; representatives only their profile fields."""

    class Meta:
        model = ProductionUnit
        fields = list(STAFF_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4, "dir": "ltr"}),
            "certifications": forms.CheckboxSelectMultiple,
            "national_id": forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
            "licence_number": forms.TextInput(attrs={"dir": "ltr"}),
            "email": forms.EmailInput(attrs={"dir": "ltr"}),
            "website": forms.TextInput(attrs={"dir": "ltr", "inputmode": "url"}),  # example.ir is fine too
            "phone": forms.TextInput(attrs={"dir": "ltr"}),
            "name_en": forms.TextInput(attrs={"dir": "ltr"}),
        }
        field_classes = {"isic": ClassificationChoiceField}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        staff_edit = self.instance.pk is None or (
            permissions.is_staff_member(user) and permissions.can(user, permissions.CHANGE, self.instance)
        )
        if not staff_edit:
            for name in list(self.fields):
                if name not in REPRESENTATIVE_FIELDS:
                    del self.fields[name]
        for name in FIELD_RULES:
            if name in self.fields:  # the service's rule alone reads it (not also Django's own field)
                field = self.fields[name]
                self.fields[name] = forms.CharField(
                    label=field.label, required=False, widget=field.widget, help_text=field.help_text
                )
        if "estate" in self.fields:
            editable = permissions.restrict(IndustrialEstate.objects.all(), user, permissions.CHANGE)
            # Staff who may edit the unit keep it in its estate even when they may not edit the estate.
            self.fields["estate"].queryset = IndustrialEstate.objects.select_related("county").filter(
                Q(pk__in=editable.values("pk")) | Q(pk=self.instance.estate_id)
            )
        if "plot" in self.fields:
            plots = Plot.objects.select_related("estate")
            # The estate as typed (a form not yet validated): only a real id narrows the plots.
            estate_id = query_id(self.data.get(self.add_prefix("estate"))) or self.instance.estate_id
            self.fields["plot"].queryset = plots.filter(estate_id=estate_id) if estate_id else plots.none()
        if "isic" in self.fields:
            self.fields["isic"].queryset = Classification.objects.isic_classes().order_by("code")
        if "certifications" in self.fields:
            self.fields["certifications"].queryset = Certification.objects.known()
        if "capabilities" in self.fields:
            self.fields["capabilities"].queryset = Capability.objects.filter(is_active=True)

    def clean_certifications(self) -> list[Certification]:
        """The form offers the known certifications; the ones kept as written ("other") stay as they are."""
        chosen = list(self.cleaned_data.get("certifications") or [])
        if self.instance.pk:
            chosen += list(self.instance.certifications.filter(code=OTHER_CERTIFICATION).distinct())
        return chosen

    def clean_licence_number(self) -> str | None:
        return to_ascii_digits(normalize(self.cleaned_data.get("licence_number") or "")) or None

    def clean_phone(self) -> str:
        return to_ascii_digits(self.cleaned_data.get("phone") or "").strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, rule in FIELD_RULES.items():
            if name in data:
                try:
                    data[name] = rule(data[name])
                except ValidationError as error:
                    self.add_error(name, error)
        plot, estate = data.get("plot"), data.get("estate")
        if plot is not None and estate is not None and plot.estate_id != estate.pk:
            self.add_error("plot", _("This plot is in another estate."))
        return data


class UnitCreateForm(UnitForm):
    """A new unit: its profile plus the first record of its life cycle."""

    initial_status = forms.ChoiceField(label=_("Current status"), choices=UnitStatus.choices)
    status_since = JalaliDateField(label=_("Status since"), initial=timezone.localdate)


class ProductForm(PersianNumbersMixin, forms.ModelForm):
    """One product of a unit. Its HS code is typed (6 digits, 8 for a national tariff line, 4 for a
    heading) or picked from the codes suggested from its names as they are typed."""

    hs = HSCodeField(lengths=(4, 6, 8), required=False, sources=("name", "name_en"))

    class Meta:
        model = Product
        fields = ["name", "name_en", "hs", "annual_capacity", "capacity_unit"]
        widgets = {"name_en": forms.TextInput(attrs={"dir": "ltr"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        product = self.instance
        self.initial["hs"] = ""
        if product.hs_id:
            self.initial["hs"] = product.tariff_line or product.hs.code
            self.fields["hs"].widget.code_text = product.hs.display_name

    def clean_hs(self) -> Classification | None:
        code = self.cleaned_data.get("hs") or ""
        self.instance.tariff_line = self.cleaned_data["tariff_line"] = code if len(code) == 8 else ""
        if not code:
            return None
        row = find_classification(code, add_from_official=True)
        if row is None:
            # The field has ruled out codes the list knows to be wrong: this heading's subheadings are
            # simply not loaded here, so the six digits cannot be checked (nor stored).
            raise ValidationError(
                _(
                    "%(code)s cannot be checked here: only the headings of HS 2022 are loaded. Type the "
                    "four-digit heading, or ask an administrator to load the official HS 2022 table."
                ),
                params={"code": code[:6]},
            )
        self.fields["hs"].widget.code_text = row.display_name
        return row


class BaseProductFormSet(forms.BaseInlineFormSet):
    """A unit's products. The counts a browser sends are clamped to what exists and to the maximum:
    a forged count once made the page build a thousand product forms or ask the database for row 10^30."""

    def get_queryset(self) -> Any:
        if not hasattr(self, "_queryset"):
            self._queryset = super().get_queryset().select_related("hs")
        return self._queryset

    def initial_form_count(self) -> int:
        count = super().initial_form_count()
        return min(count, len(self.get_queryset())) if self.is_bound else count

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if self.instance.pk:
            # The unit's ISIC class helps the suggestions.
            form.fields["hs"].widget.fixed_hints = {"unit": self.instance.pk}


ProductFormSet = forms.inlineformset_factory(
    ProductionUnit,
    Product,
    form=ProductForm,
    formset=BaseProductFormSet,
    extra=1,
    can_delete=True,
    max_num=50,
    absolute_max=50,
    validate_max=True,
)


class StatusChangeForm(forms.Form):
    """Move a unit along its life cycle: only the moves the table allows are offered."""

    to_status = forms.ChoiceField(label=_("New status"))
    date = JalaliDateField(label=_("Date of the change"), initial=timezone.localdate)
    cause = forms.ChoiceField(
        label=_("Cause"),
        choices=[(value, label) for value, label in StatusCause.choices if value != "initial"],
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=limits.NOTE_LENGTH,
    )

    def __init__(self, *args: Any, unit: ProductionUnit, **kwargs: Any) -> None:
        from .services import allowed_next

        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["to_status"].choices = [
            (value, UnitStatus(value).label) for value in allowed_next(unit.status)
        ]


class ClaimForm(forms.Form):
    position = forms.CharField(label=_("Your position in the unit"), max_length=120)
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_(
            "How can the estate company check that you represent this unit? e.g. licence number, your role."
        ),
    )
    evidence_file = forms.FileField(
        label=_("Supporting document (PDF or image)"),
        required=False,
        validators=[lambda f: validate_upload(f)],
    )


class ClaimReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the claimant"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=limits.NOTE_LENGTH,
    )
