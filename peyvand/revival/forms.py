"""Forms of the clinic: opening a case, the diagnosis with its causes, interventions and their results,
the return to production and the outcome. Ranges, lengths and dates are checked here; the rules between
records (stages, the life cycle) in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.models import Organisation, User
from peyvand.core import permissions
from peyvand.core.forms import PersianNumbersMixin
from peyvand.core.jalali import JalaliDateField, to_jalali
from peyvand.sourcing.choices import RequestState
from peyvand.sourcing.models import Linkage, SourcingRequest
from peyvand.units.choices import PRODUCING, StatusCause, UnitStatus
from peyvand.units.models import ProductionUnit

from .choices import Cause, Counterpart, InterventionKind, Result, Severity
from .models import MAX_NOTE, MAX_TEXT
from .services import ADMITTED

MAX_RIAL = 10**16  # ten quadrillion rial: beyond any unit's loan
REVIVAL_CAUSES = [
    StatusCause.REVIVAL_SUPPORT,
    StatusCause.NEW_INVESTOR,
    StatusCause.MARKET_RECOVERED,
    StatusCause.OTHER,
]


class _NoFuture:
    def clean_date_field(self, name: str) -> Any:
        value = self.cleaned_data.get(name)
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        if value and to_jalali(value).year < 1300:
            raise forms.ValidationError(_("Enter a date between the years 1300 and 1500."))
        return value


class CaseOpenForm(_NoFuture, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=ProductionUnit.objects.none(), empty_label="—")
    opened_on = JalaliDateField(label=_("Opened on"))
    diagnosis_visit_on = JalaliDateField(label=_("Diagnosis visit"), required=False)
    unit_account = forms.CharField(
        label=_("The unit's own account"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = ProductionUnit.objects.filter(status__in=ADMITTED).exclude(
            revival_cases__stage__in=["requested", "diagnosis", "treatment"]
        )
        self.fields["unit"].queryset = permissions.restrict(
            units.select_related("estate"), user, permissions.VIEW
        )
        self.fields["unit"].label_from_instance = lambda unit: (
            f"{unit.display_name} — {unit.estate.display_name} ({UnitStatus(unit.status).label})"
        )
        self.fields["opened_on"].initial = timezone.localdate()

    def clean_opened_on(self) -> Any:
        return self.clean_date_field("opened_on")


class CaseRequestForm(forms.Form):
    unit_account = forms.CharField(
        label=_("What stopped the unit, in your words"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class DiagnosisForm(_NoFuture, forms.Form):
    """The visit, what staff found, the unit's account, and one severity (or none) for each cause."""

    diagnosis_visit_on = JalaliDateField(label=_("Diagnosis visit"), required=False)
    diagnosis = forms.CharField(
        label=_("Diagnosis"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
    unit_account = forms.CharField(
        label=_("The unit's own account"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for cause in Cause:
            self.fields[f"severity_{cause.value}"] = forms.TypedChoiceField(
                label=cause.label,
                choices=[("", _("not a cause")), *Severity.choices],
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"note_{cause.value}"] = forms.CharField(
                label=_("Note"), required=False, max_length=500
            )

    def cause_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"severity_{cause.value}"], self[f"note_{cause.value}"]) for cause in Cause]

    def clean_diagnosis_visit_on(self) -> Any:
        return self.clean_date_field("diagnosis_visit_on")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for cause in Cause:
            if data.get(f"note_{cause.value}") and not data.get(f"severity_{cause.value}"):
                self.add_error(f"severity_{cause.value}", _("Give the severity of a cause you describe."))
        if not self.errors and not self.causes():
            raise forms.ValidationError(_("Choose at least one cause and its severity."))
        return data

    def causes(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "cause": cause.value,
                "severity": data[f"severity_{cause.value}"],
                "note": data.get(f"note_{cause.value}", ""),
            }
            for cause in Cause
            if data.get(f"severity_{cause.value}")
        ]


class InterventionForm(PersianNumbersMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=InterventionKind.choices)
    title = forms.CharField(label=_("What is done"), max_length=200)
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, empty_label="—"
    )
    due_on = JalaliDateField(label=_("Due date"))
    institution = forms.CharField(
        label=_("Bank, fund or office"),
        max_length=150,
        required=False,
        help_text=_("financing, mediation, utilities and permits"),
    )
    counterpart = forms.ChoiceField(
        label=_("Mediation with"),
        choices=[("", "—"), *Counterpart.choices],
        required=False,
        help_text=_("mediation only"),
    )
    amount_asked_rial = forms.IntegerField(
        label=_("Amount asked (rial)"),
        required=False,
        help_text=_("financing referral only"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RIAL)],
    )
    amount_granted_rial = forms.IntegerField(
        label=_("Amount granted (rial)"),
        required=False,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_RIAL)],
    )
    request = forms.ModelChoiceField(
        label=_("Sourcing request (the bridge)"),
        queryset=SourcingRequest.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("buyer linkage: the request the unit could serve"),
    )
    linkage = forms.ModelChoiceField(
        label=_("Linkage"),
        queryset=Linkage.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("buyer linkage: when the unit and the buyer are already in touch"),
    )
    investor = forms.ModelChoiceField(
        label=_("Investor"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("partner or new investor"),
    )

    def __init__(self, *args: Any, case: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        company_id = case.unit.estate.company_id
        self.fields["owner"].queryset = (
            User.objects.filter(is_active=True, memberships__organisation_id=company_id)
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["owner"].label_from_instance = lambda person: person.get_full_name() or person.username
        self.fields["owner"].initial = user.pk
        requests = SourcingRequest.objects.filter(
            state__in=[RequestState.PUBLISHED, RequestState.CLOSED]
        ).order_by("-created_at")
        self.fields["request"].queryset = permissions.restrict(requests, user, permissions.VIEW)
        self.fields["linkage"].queryset = Linkage.objects.filter(unit=case.unit).select_related("request")
        self.fields["investor"].queryset = permissions.restrict(
            Organisation.objects.filter(kind="investor"), user, permissions.VIEW
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        due = data.get("due_on")
        if due and not 1300 <= to_jalali(due).year <= 1500:
            self.add_error("due_on", _("Enter a date between the years 1300 and 1500."))
        asked, granted = data.get("amount_asked_rial"), data.get("amount_granted_rial")
        if asked is not None and granted is not None and granted > asked:
            self.add_error("amount_granted_rial", _("The amount granted cannot exceed the amount asked."))
        if data.get("kind") == InterventionKind.BUYER_LINKAGE and not data.get("request"):
            self.add_error("request", _("Choose the sourcing request the unit could serve."))
        return data

    def values(self) -> dict[str, Any]:
        keys = (
            "institution",
            "counterpart",
            "amount_asked_rial",
            "amount_granted_rial",
            "request",
            "linkage",
            "investor",
        )
        return {key: self.cleaned_data.get(key) for key in keys}


class ResultForm(PersianNumbersMixin, _NoFuture, forms.Form):
    result = forms.ChoiceField(
        label=_("Result"), choices=[c for c in Result.choices if c[0] != Result.PENDING]
    )
    result_on = JalaliDateField(label=_("Date"))
    note = forms.CharField(
        label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    amount_granted_rial = forms.IntegerField(
        label=_("Amount granted (rial)"),
        required=False,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_RIAL)],
    )

    def __init__(self, *args: Any, intervention: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["result_on"].initial = timezone.localdate()
        if intervention.kind != InterventionKind.FINANCING:
            del self.fields["amount_granted_rial"]

    def clean_result_on(self) -> Any:
        return self.clean_date_field("result_on")


class ReturnForm(PersianNumbersMixin, _NoFuture, forms.Form):
    """The unit is back in production: its life-cycle change, made from the case."""

    to_status = forms.ChoiceField(label=_("Back to"), choices=[(s.value, s.label) for s in PRODUCING])
    date = JalaliDateField(label=_("Date"))
    cause = forms.ChoiceField(label=_("Cause"), choices=[(c.value, c.label) for c in REVIVAL_CAUSES])
    note = forms.CharField(
        label=_("Note"), max_length=MAX_NOTE, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    jobs_restored = forms.IntegerField(
        label=_("Jobs restored"), required=False, validators=[MinValueValidator(0), MaxValueValidator(100000)]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()

    def clean_date(self) -> Any:
        return self.clean_date_field("date")


class OutcomeForm(PersianNumbersMixin, forms.Form):
    jobs_restored = forms.IntegerField(
        label=_("Jobs restored"), required=False, validators=[MinValueValidator(0), MaxValueValidator(100000)]
    )
    note = forms.CharField(
        label=_("Outcome note"), max_length=MAX_NOTE, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MoveForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=MAX_NOTE, required=False)
