"""Pages of the industrial clinic: the case board, a case with its timeline and forms, the returns to
production with their cases, units at risk, and the clinic's figures. Views are thin: every write is a
``services`` call, every read passes the permission gate."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peyvand.core import exports, kpis, permissions
from peyvand.core.audit import timeline
from peyvand.core.jalali import jalali_text
from peyvand.core.search import query_id
from peyvand.core.views import render_list
from peyvand.estates.models import IndustrialEstate
from peyvand.units.choices import PRODUCING, RETURNED_FROM
from peyvand.units.models import ProductionUnit, StatusChange

from . import services, tables
from .choices import CASE_TRANSITIONS, OPEN_STAGES, CaseStage, Cause, InterventionKind, Result
from .filters import CaseFilter, ReturnFilter, RiskFilter
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
from .models import CaseCause, Intervention, RevivalCase, RiskAssessment
from .warning import AT_RISK_SCORE, SIGNALS


def _require_staff(user: Any) -> None:
    if not permissions.is_staff_member(user):
        raise PermissionDenied


def _cases() -> Any:
    return RevivalCase.objects.select_related("unit", "unit__estate").prefetch_related(
        "causes", "interventions"
    )


def case_rows(user: Any) -> Any:
    """The revival cases ``user`` sees (the case board and the API): staff their company's, a unit its own."""
    return permissions.restrict(_cases(), user, permissions.VIEW)


def _case_for(request: HttpRequest, pk: int, action: str = permissions.VIEW) -> RevivalCase:
    queryset = RevivalCase.objects.select_related(
        "unit", "unit__estate", "unit__estate__company", "unit__organisation", "opened_by", "return_change"
    )
    return permissions.get_object_for_user(queryset, request.user, action, pk=pk)


# --- the board ------------------------------------------------------------------------------------
@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """Cases by stage and estate (staff: their company's; a unit: its own)."""
    cases = case_rows(request.user)
    filterset = CaseFilter(request.GET or None, queryset=cases, request=request)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else cases
    counts = dict(rows.order_by().values_list("stage").annotate(n=Count("id")).values_list("stage", "n"))
    # The board by estate: open, revived and otherwise ended cases of each estate (one query).
    by_estate = (
        rows.order_by()
        .values("unit__estate_id", "unit__estate__name", "unit__estate__name_en")
        .annotate(
            open=Count("id", filter=Q(stage__in=OPEN_STAGES)),
            revived=Count("id", filter=Q(stage=CaseStage.REVIVED)),
            ended=Count("id", filter=Q(stage__in=[CaseStage.CLOSED, CaseStage.STILL_IDLE])),
        )
        .order_by("-open", "unit__estate__name")
    )
    return render_list(
        request,
        "revival/case_list.html",
        cases,
        CaseFilter,
        tables.CaseTable,
        context={
            "stages": [(stage, counts.get(stage.value, 0)) for stage in CaseStage],
            "estates": [
                {
                    "id": row["unit__estate_id"],
                    "name": row["unit__estate__name_en"]
                    if translation.get_language() == "en" and row["unit__estate__name_en"]
                    else row["unit__estate__name"],
                    **{key: row[key] for key in ("open", "revived", "ended")},
                }
                for row in by_estate
            ],
            "can_open": permissions.is_staff_member(request.user)
            and permissions.can(request.user, permissions.ADD, RevivalCase),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    _require_staff(request.user)
    permissions.require(request.user, permissions.ADD, RevivalCase)
    initial = {}
    unit_id = query_id(request.GET.get("unit"))
    if unit_id is not None:
        initial["unit"] = unit_id
    form = CaseOpenForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.open_case(
                form.cleaned_data["unit"],
                by=request.user,
                on=form.cleaned_data["opened_on"],
                unit_account=form.cleaned_data["unit_account"],
                diagnosis_visit_on=form.cleaned_data["diagnosis_visit_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The case was opened. Record the diagnosis and its causes."))
            return redirect(case)
    return render(
        request, "revival/form.html", {"form": form, "title": _("Open a case at the industrial clinic")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_request(request: HttpRequest, unit_pk: int) -> HttpResponse:
    """A unit's representative asks the clinic for help. Staff do not ask in the unit's name (the case
    would say the unit asked): they open the case themselves, and are sent to that form."""
    unit = permissions.get_object_for_user(
        ProductionUnit.objects.select_related("estate"), request.user, permissions.CHANGE, pk=unit_pk
    )
    if permissions.is_staff_member(request.user):
        messages.info(request, _("Staff open the case themselves; the unit's representatives ask for help."))
        return redirect(f"{reverse('revival:case_create')}?unit={unit.pk}")
    permissions.require(request.user, permissions.ADD, RevivalCase)
    form = CaseRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.request_case(
                unit, by=request.user, unit_account=form.cleaned_data["unit_account"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your request reached the industrial clinic; an officer will contact you.")
            )
            return redirect(case)
    return render(
        request,
        "revival/form.html",
        {"form": form, "title": _("Ask the industrial clinic for help"), "subtitle": unit.display_name},
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    can_edit = permissions.is_staff_member(request.user) and permissions.can(
        request.user, permissions.CHANGE, case
    )
    interventions = case.interventions.select_related("owner", "request", "linkage", "investor")
    moves = [CaseStage(stage) for stage in CASE_TRANSITIONS.get(case.stage, frozenset())] if can_edit else []
    return render(
        request,
        "revival/case_detail.html",
        {
            "case": case,
            "causes": case.causes.all(),
            "interventions": interventions,
            "can_edit": can_edit,
            "can_return": can_edit
            and case.is_open
            and case.unit.status == RETURNED_FROM
            and permissions.can(request.user, permissions.CHANGE_STATUS, case.unit),
            "can_broker": can_edit
            and any(
                permissions.can(request.user, permissions.BROKER, i.request)
                for i in interventions
                if i.kind == InterventionKind.BUYER_LINKAGE and i.request_id and not i.linkage_id
            ),
            "moves": sorted(moves, key=lambda stage: list(CaseStage).index(stage)),
            "events": timeline(case)[:50],
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_diagnosis(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk, permissions.CHANGE)
    _require_staff(request.user)
    initial: dict[str, Any] = {
        "diagnosis_visit_on": case.diagnosis_visit_on,
        "diagnosis": case.diagnosis,
        "unit_account": case.unit_account,
    }
    for cause in case.causes.all():
        initial[f"severity_{cause.cause}"] = cause.severity
        initial[f"note_{cause.cause}"] = cause.note
    form = DiagnosisForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_diagnosis(
                case,
                by=request.user,
                visit_on=form.cleaned_data["diagnosis_visit_on"],
                diagnosis=form.cleaned_data["diagnosis"],
                unit_account=form.cleaned_data["unit_account"],
                causes=form.causes(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The diagnosis was recorded."))
            return redirect(case)
    return render(request, "revival/diagnosis_form.html", {"form": form, "case": case})


@login_required
@require_http_methods(["GET", "POST"])
def intervention_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk, permissions.CHANGE)
    _require_staff(request.user)
    initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") in InterventionKind.values else {}
    form = InterventionForm(request.POST or None, case=case, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_intervention(
                case,
                by=request.user,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                due_on=form.cleaned_data["due_on"],
                owner=form.cleaned_data["owner"],
                values=form.values(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The intervention was planned."))
            return redirect(case)
    return render(
        request,
        "revival/form.html",
        {"form": form, "title": _("Plan an intervention"), "subtitle": case.unit.display_name, "case": case},
    )


@login_required
@require_http_methods(["GET", "POST"])
def intervention_result(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = permissions.get_object_for_user(
        Intervention.objects.select_related("case", "case__unit"), request.user, permissions.CHANGE, pk=pk
    )
    _require_staff(request.user)
    form = ResultForm(request.POST or None, intervention=intervention)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_result(
                intervention,
                by=request.user,
                result=form.cleaned_data["result"],
                on=form.cleaned_data["result_on"],
                note=form.cleaned_data["note"],
                amount_granted_rial=form.cleaned_data.get("amount_granted_rial"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The result was recorded."))
            return redirect(intervention.case)
    return render(
        request,
        "revival/form.html",
        {
            "form": form,
            "title": _("Result of the intervention"),
            "subtitle": str(intervention),
            "case": intervention.case,
        },
    )


@login_required
@require_POST
def intervention_link(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = permissions.get_object_for_user(
        Intervention.objects.select_related("case", "request"), request.user, permissions.CHANGE, pk=pk
    )
    _require_staff(request.user)
    try:
        services.put_in_touch(intervention, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The buyer and the unit were put in touch through the bridge."))
    return redirect(intervention.case)


@login_required
@require_POST
def case_move(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    case = _case_for(request, pk, permissions.CHANGE)
    _require_staff(request.user)
    if stage not in CaseStage.values:
        raise Http404
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(case)
    try:
        services.move_case(case, stage, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The case moved to “%(stage)s”.") % {"stage": CaseStage(stage).label})
    return redirect(case)


@login_required
@require_http_methods(["GET", "POST"])
def case_return(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit is back in production: its life-cycle change, from the case."""
    case = _case_for(request, pk, permissions.CHANGE)
    _require_staff(request.user)
    permissions.require(request.user, permissions.CHANGE_STATUS, case.unit)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_return(
                case,
                form.cleaned_data["to_status"],
                date=form.cleaned_data["date"],
                cause=form.cleaned_data["cause"],
                note=form.cleaned_data["note"],
                jobs_restored=form.cleaned_data["jobs_restored"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The unit is back in production; the case is revived."))
            return redirect(case)
    return render(
        request,
        "revival/form.html",
        {"form": form, "title": _("Return to production"), "subtitle": case.unit.display_name, "case": case},
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk, permissions.CHANGE)
    _require_staff(request.user)
    form = OutcomeForm(
        request.POST or None, initial={"jobs_restored": case.jobs_restored, "note": case.outcome_note}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_outcome_details(
                case,
                by=request.user,
                jobs_restored=form.cleaned_data["jobs_restored"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The outcome was recorded."))
            return redirect(case)
    return render(
        request,
        "revival/form.html",
        {"form": form, "title": _("Outcome of the case"), "subtitle": case.unit.display_name, "case": case},
    )


# --- returns to production, with their cases ------------------------------------------------------
def returned_units(user: Any) -> Any:
    """Units the user may see, with the date of their last return and their cases (a fixed number of
    queries for the page, whatever its size)."""
    last_return = StatusChange.objects.filter(
        unit=OuterRef("pk"), from_status=RETURNED_FROM, to_status__in=PRODUCING
    ).order_by("-date", "-id")
    cases = RevivalCase.objects.filter(return_change__isnull=False).prefetch_related("interventions")
    units = (
        ProductionUnit.objects.select_related("estate")
        .annotate(returned_on=Subquery(last_return.values("date")[:1]))
        .prefetch_related(Prefetch("revival_cases", queryset=cases))
    )
    return permissions.restrict(units, user, permissions.VIEW)


@login_required
def returns(request: HttpRequest) -> HttpResponse:
    _require_staff(request.user)
    if not request.GET:
        start, end = kpis.last_twelve_months()
        return redirect(f"{request.path}?returned_from={jalali_text(start)}&returned_to={jalali_text(end)}")
    units = returned_units(request.user)
    filterset = ReturnFilter(request.GET, queryset=units, request=request)
    linked = 0
    if filterset.is_valid():
        data = filterset.form.cleaned_data
        from .filters import returns_with_case

        linked = returns_with_case(filterset.qs, data.get("returned_from"), data.get("returned_to")).count()
    return render_list(
        request, "revival/returns.html", units, ReturnFilter, tables.ReturnTable, context={"linked": linked}
    )


# --- early warning --------------------------------------------------------------------------------
@login_required
def at_risk(request: HttpRequest) -> HttpResponse:
    _require_staff(request.user)
    open_case = RevivalCase.objects.filter(unit=OuterRef("unit"), stage__in=OPEN_STAGES).values("pk")[:1]
    assessments = permissions.restrict(
        RiskAssessment.objects.select_related("unit", "unit__estate").annotate(
            open_case_id=Subquery(open_case)
        ),
        request.user,
        permissions.VIEW,
    )
    if not request.GET:
        return redirect(f"{request.path}?at_risk=true")
    last = RiskAssessment.objects.order_by("-assessed_on").values_list("assessed_on", flat=True).first()
    return render_list(
        request,
        "revival/at_risk.html",
        assessments,
        RiskFilter,
        tables.RiskTable,
        context={"signals": SIGNALS, "threshold": AT_RISK_SCORE, "assessed_on": last},
    )


# --- the clinic's figures -------------------------------------------------------------------------
def clinic_figures(cases: Any) -> dict[str, Any]:
    """Cases by stage, causes by frequency, interventions by kind and result, days to revival — each a
    handful of aggregate queries over ``cases``."""
    by_stage = dict(cases.order_by().values_list("stage").annotate(n=Count("id")).values_list("stage", "n"))
    causes = (
        CaseCause.objects.filter(case__in=cases.values("pk"))
        .order_by()
        .values("cause")
        .annotate(n=Count("id"), high=Count("id", filter=Q(severity=3)))
        .order_by("-n", "cause")
    )
    results = (
        Intervention.objects.filter(case__in=cases.values("pk"))
        .order_by()
        .values_list("kind", "result")
        .annotate(n=Count("id"))
    )
    grid: dict[str, dict[str, int]] = {
        kind.value: dict.fromkeys(Result.values, 0) for kind in InterventionKind
    }
    for kind, result, n in results:
        grid[kind][result] = n
    durations = [
        (outcome - opened).days
        for opened, outcome in cases.filter(stage=CaseStage.REVIVED, outcome_on__isnull=False).values_list(
            "opened_on", "outcome_on"
        )
    ]
    return {
        "stages": [(stage, by_stage.get(stage.value, 0)) for stage in CaseStage],
        "open": sum(by_stage.get(stage, 0) for stage in OPEN_STAGES),
        "causes": [(Cause(row["cause"]), row["n"], row["high"]) for row in causes],
        "interventions": [
            (InterventionKind(kind), [row[r] for r in Result.values], sum(row.values()))
            for kind, row in grid.items()
        ],
        "results": [Result(r) for r in Result.values],
        "revived": len(durations),
        "days_mean": round(statistics.mean(durations)) if durations else None,
        "days_median": round(statistics.median(durations)) if durations else None,
    }


FIGURE_SHEETS = ("stages", "causes", "interventions")


def _figure_sheet(figures: dict[str, Any], sheet: str) -> tuple[list[str], list[list[Any]]]:
    if sheet == "stages":
        return [_("Stage"), _("Cases")], [[str(stage.label), n] for stage, n in figures["stages"]]
    if sheet == "causes":
        return [_("Cause"), _("Cases"), _("Of which severe")], [
            [str(c.label), n, high] for c, n, high in figures["causes"]
        ]
    headers = [_("Intervention"), *[str(r.label) for r in figures["results"]], _("Total")]
    return headers, [[str(kind.label), *counts, total] for kind, counts, total in figures["interventions"]]


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    _require_staff(request.user)
    cases = permissions.restrict(RevivalCase.objects.all(), request.user, permissions.VIEW)
    estates = permissions.restrict(IndustrialEstate.objects.all(), request.user, permissions.VIEW)
    estate = request.GET.get("estate", "")
    estate_id = query_id(estate)  # an id the database can hold, else no filter (never a 500)
    if estate_id is not None:
        cases = cases.filter(unit__estate_id=estate_id)
    data = clinic_figures(cases)
    sheet, file_format = request.GET.get("sheet", ""), request.GET.get("export", "")
    if sheet in FIGURE_SHEETS and file_format in exports.FORMATS:
        if not permissions.can(request.user, permissions.EXPORT, RevivalCase):
            raise PermissionDenied
        headers, rows = _figure_sheet(data, sheet)
        stamp = dt.date.today().isoformat()
        if file_format == "csv":
            response = HttpResponse(exports.write_csv(headers, rows), content_type="text/csv; charset=utf-8")
        else:
            with translation.override(translation.get_language()):
                content = exports.write_xlsx(headers, rows, title=sheet)
            response = HttpResponse(content, content_type=exports.XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="clinic-{sheet}-{stamp}.{file_format}"'
        return response
    return render(
        request,
        "revival/figures.html",
        {
            **data,
            "estates": estates,
            "estate": estate,
            "can_export": permissions.can(request.user, permissions.EXPORT, RevivalCase),
        },
    )


def unit_panel(request: HttpRequest, unit: ProductionUnit) -> dict[str, Any] | None:
    """The clinic's panel on a unit's profile: its cases, and the way in (staff open a case, the unit's
    representatives ask for one) while the unit is idle or semi-active."""
    user = request.user
    if not permissions.can(user, permissions.VIEW, RevivalCase) and not permissions.can(
        user, permissions.ADD, RevivalCase
    ):
        return None
    cases = list(permissions.restrict(RevivalCase.objects.filter(unit=unit), user, permissions.VIEW)[:5])
    admitted = unit.status in services.ADMITTED and not any(case.is_open for case in cases)
    staff = permissions.is_staff_member(user)
    may_add = admitted and permissions.can(user, permissions.ADD, RevivalCase)
    panel = {
        "template": "revival/_unit_panel.html",
        "cases": cases,
        "can_open": may_add and staff,
        "can_ask": may_add and not staff and permissions.can(user, permissions.CHANGE, unit),
    }
    return panel if cases or panel["can_open"] or panel["can_ask"] else None
