"""The industrial clinic through the API: the revival cases the case board lists (staff: their company's;
a unit: its own), with their causes and interventions, and the case page's writes through ``services``:
open (staff) or ask for (a unit) a case, the diagnosis, interventions and their results, the bridge linkage
of a buyer intervention, a move on the board, the return to production and the outcome."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from peyvand.api import resources
from peyvand.api.base import Docs, GatedViewSet, write
from peyvand.api.forms import form_body
from peyvand.api.serializers import NamedRef, ReadModelSerializer
from peyvand.core import permissions
from peyvand.core.search import query_id
from peyvand.units.models import ProductionUnit

from . import services
from .choices import CaseStage
from .filters import CaseFilter
from .forms import (
    CaseOpenForm,
    CaseRequestForm,
    DiagnosisForm,
    InterventionForm,
    MoveForm,
    OutcomeForm,
    ResultForm,
    ReturnForm,
)
from .models import CaseCause, Intervention, RevivalCase
from .views import case_rows


class CauseSerializer(ReadModelSerializer):
    class Meta:
        model = CaseCause
        fields = ("cause", "severity")
        read_only_fields = fields


class InterventionSerializer(ReadModelSerializer):
    class Meta:
        model = Intervention
        fields = ("id", "kind", "title", "due_on", "result", "result_on", "result_note", "request", "linkage")
        read_only_fields = fields


class CaseSerializer(ReadModelSerializer):
    unit = NamedRef(read_only=True)
    causes = CauseSerializer(many=True, read_only=True)
    interventions = InterventionSerializer(many=True, read_only=True)

    class Meta:
        model = RevivalCase
        fields = (
            "id",
            "unit",
            "stage",
            "stage_date",
            "opened_on",
            "requested_by_unit",
            "status_at_opening",
            "employees_at_opening",
            "diagnosis_visit_on",
            "diagnosis",
            "unit_account",
            "causes",
            "interventions",
            "outcome_on",
            "jobs_restored",
            "outcome_note",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


def _require_staff(user: Any) -> None:
    if not permissions.is_staff_member(user):
        raise PermissionDenied


_CASE_ROWS = RevivalCase.objects.select_related("unit", "unit__estate", "unit__estate__company")
_WORK = (
    "The staff of the unit's estate company, as on the case page; the unit's people read the case (403), "
    "others do not see it (404).\n\nکارکنان شرکت شهرک واحد، همان‌گونه که در صفحهٔ پرونده؛ "
    "کارکنان واحد پرونده را فقط می‌بینند (۴۰۳) و دیگران آن را نمی‌بینند (۴۰۴)."
)
_OPEN_BODY = form_body(
    "CaseOpen",
    CaseOpenForm,
    unit=serializers.IntegerField(help_text="the idle or semi-active unit"),
    unit_account=serializers.CharField(
        required=False, help_text="the unit's own account (required when a unit asks)"
    ),
)


class CaseViewSet(GatedViewSet):
    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    ordering = ("-opened_on", "-id")
    docs = Docs(
        "Revival cases · پرونده‌های احیا",
        "One revival case · یک پروندهٔ احیا",
        "The case board's rows and filters: staff their company's cases, a unit its own.\n\n"
        "ردیف‌ها و پالایه‌های تابلوی پرونده‌ها: کارکنان پرونده‌های شرکتشان و هر واحد پرونده‌های خودش.",
    )

    def rows(self, user: Any) -> QuerySet:
        return case_rows(user)

    def _case(self, pk: Any) -> RevivalCase:
        """A case its company's staff work on (the case page's forms): 404 unseen, 403 seen only."""
        case = self.gated(pk, permissions.CHANGE, _CASE_ROWS)
        _require_staff(self.request.user)
        return case

    @extend_schema(
        summary="Open or ask for a case · گشودن پرونده یا درخواست کمک",
        description="Staff open a case for an idle or semi-active unit of their company (the open-case form); "
        "a unit's representative asks the clinic for help for its own unit, in its own words (`unit`, "
        "`unit_account`).\n\nکارکنان برای واحد راکد یا نیمه‌فعال شرکتشان پرونده می‌گشایند؛ نمایندهٔ واحد برای "
        "واحد خودش با شرح خودش از درمانگاه صنعتی کمک می‌خواهد.",
        request=_OPEN_BODY,
        responses={201: CaseSerializer},
    )
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        user = request.user
        permissions.require(user, permissions.ADD, RevivalCase)
        if permissions.is_staff_member(user):
            form = self.submit(CaseOpenForm, stored=CaseOpenForm(user=user), user=user)
            data = form.cleaned_data
            case = services.open_case(
                data["unit"],
                by=user,
                on=data["opened_on"],
                unit_account=data["unit_account"],
                diagnosis_visit_on=data["diagnosis_visit_on"],
            )
            return self.shown(case, status=201)
        form = self.submit(CaseRequestForm)
        unit_id = query_id(request.data.get("unit"))
        units = permissions.restrict(ProductionUnit.objects.all(), user, permissions.CHANGE)
        unit = units.filter(pk=unit_id).first() if unit_id is not None else None
        if unit is None:  # one answer for a unit that does not exist and one the caller does not represent
            raise serializers.ValidationError({"unit": [_("Choose a unit you represent.")]})
        case = services.request_case(unit, by=user, unit_account=form.cleaned_data["unit_account"])
        return self.shown(case, status=201)

    @write("Record the diagnosis · ثبت تشخیص", _WORK, body=form_body("Diagnosis", lambda: DiagnosisForm()))
    def diagnosis(self, request: Any, pk: str | None = None) -> Response:
        case = self._case(pk)
        stored: dict[str, Any] = {
            "diagnosis_visit_on": case.diagnosis_visit_on,
            "diagnosis": case.diagnosis,
            "unit_account": case.unit_account,
        }
        for cause in case.causes.all():
            stored[f"severity_{cause.cause}"] = cause.severity
            stored[f"note_{cause.cause}"] = cause.note
        form = self.submit(DiagnosisForm, stored=DiagnosisForm(initial=stored))
        services.record_diagnosis(
            case,
            by=request.user,
            visit_on=form.cleaned_data["diagnosis_visit_on"],
            diagnosis=form.cleaned_data["diagnosis"],
            unit_account=form.cleaned_data["unit_account"],
            causes=form.causes(),
        )
        return self.shown(case)

    @write("Plan an intervention · برنامه‌ریزی اقدام", _WORK, body=form_body("Intervention", InterventionForm))
    def interventions(self, request: Any, pk: str | None = None) -> Response:
        case = self._case(pk)
        form = self.submit(
            InterventionForm,
            stored=InterventionForm(case=case, user=request.user),
            case=case,
            user=request.user,
        )
        data = form.cleaned_data
        services.add_intervention(
            case,
            by=request.user,
            kind=data["kind"],
            title=data["title"],
            due_on=data["due_on"],
            owner=data["owner"],
            values=form.values(),
        )
        return self.shown(case)

    @write(
        "Move the case on the board · جابه‌جایی پرونده روی تابلو",
        _WORK,
        body=form_body("CaseMove", MoveForm, stage=serializers.ChoiceField(choices=CaseStage.values)),
    )
    def move(self, request: Any, pk: str | None = None) -> Response:
        case = self._case(pk)
        stage = request.data.get("stage")
        if stage not in CaseStage.values:
            raise serializers.ValidationError({"stage": [_("Choose one of the case's stages.")]})
        form = self.submit(MoveForm)
        services.move_case(case, stage, by=request.user, note=form.cleaned_data["note"])
        return self.shown(case)

    @write(
        "Record the return to production · ثبت بازگشت به تولید",
        "The unit's life-cycle change, from its case: the company's managers (who change a unit's status).\n\n"
        "تغییر چرخهٔ عمر واحد از پرونده‌اش: مدیران شرکت (که وضعیت واحد را تغییر می‌دهند).",
        body=form_body("CaseReturn", ReturnForm),
        url_path="return",
    )
    def return_to_production(self, request: Any, pk: str | None = None) -> Response:
        case = self._case(pk)
        permissions.require(request.user, permissions.CHANGE_STATUS, case.unit)
        data = self.submit(ReturnForm, stored=ReturnForm()).cleaned_data
        services.record_return(
            case,
            data["to_status"],
            date=data["date"],
            cause=data["cause"],
            note=data["note"],
            jobs_restored=data["jobs_restored"],
            by=request.user,
        )
        return self.shown(case)

    @write("Record the outcome · ثبت نتیجهٔ پرونده", _WORK, body=form_body("CaseOutcome", OutcomeForm))
    def outcome(self, request: Any, pk: str | None = None) -> Response:
        case = self._case(pk)
        stored = OutcomeForm(initial={"jobs_restored": case.jobs_restored, "note": case.outcome_note})
        data = self.submit(OutcomeForm, stored=stored).cleaned_data
        services.record_outcome_details(
            case, by=request.user, jobs_restored=data["jobs_restored"], note=data["note"]
        )
        return self.shown(case)

    def _intervention(self, pk: Any, intervention: Any) -> Intervention:
        case = self._case(pk)
        rows = Intervention.objects.select_related("case", "case__unit", "request").filter(case=case)
        return self.gated(intervention, permissions.CHANGE, rows)

    @write(
        "Record an intervention's result · ثبت نتیجهٔ اقدام",
        _WORK,
        body=form_body("InterventionResult", ResultForm),
        url_path=r"interventions/(?P<intervention>[0-9]+)/result",
    )
    def intervention_result(self, request: Any, pk: str | None = None, intervention: str = "") -> Response:
        row = self._intervention(pk, intervention)
        data = self.submit(ResultForm, stored=ResultForm(intervention=row), intervention=row).cleaned_data
        services.record_result(
            row,
            by=request.user,
            result=data["result"],
            on=data["result_on"],
            note=data["note"],
            amount_granted_rial=data.get("amount_granted_rial"),
        )
        return self.shown(row.case)

    @write(
        "Put the buyer and the unit in touch · اتصال خریدار و واحد",
        "A buyer-linkage intervention starts its linkage on the bridge.\n\n" + _WORK,
        url_path=r"interventions/(?P<intervention>[0-9]+)/link",
    )
    def intervention_link(self, request: Any, pk: str | None = None, intervention: str = "") -> Response:
        row = self._intervention(pk, intervention)
        services.put_in_touch(row, by=request.user)
        return self.shown(row.case)


resources.router.register("revival-cases", CaseViewSet, basename="revival-case")
