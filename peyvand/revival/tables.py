"""Tables of the clinic (the page and its xlsx/csv export share them; ``value_*`` feed the export)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from peyvand.core import jalali
from peyvand.core.exports import date_text
from peyvand.units.choices import UnitStatus

from .choices import CaseStage, Cause, InterventionKind
from .models import RevivalCase, RiskAssessment
from .warning import label_of

_ATTRS = {"class": "table table-hover table-registry mb-0"}


def _badge(member: Any) -> str:
    return format_html('<span class="badge text-bg-{}">{}</span>', member.color, member.label)


def _join(labels: list[str]) -> str:
    return ("، " if jalali.is_persian() else ", ").join(labels)


def _case_link(case: RevivalCase) -> str:
    return format_html(
        '<a href="{}" class="num">{}</a> {}',
        case.get_absolute_url(),
        jalali.localize_digits(case.reference),
        _badge(CaseStage(case.stage)),
    )


class CaseTable(tables.Table):
    reference = tables.Column(verbose_name=_("Case"), accessor="pk", order_by=("id",))
    unit = tables.Column(
        verbose_name=_("Unit"), order_by=("unit__sort_name",), attrs={"td": {"class": "col-name"}}
    )
    # Shown under the unit's name on the page; its own column in the export.
    estate = tables.Column(
        verbose_name=_("Estate"),
        accessor="unit__estate__sort_name",
        order_by=("unit__estate__sort_name",),
        visible=False,
    )
    stage = tables.Column(verbose_name=_("Stage"))
    opened_on = tables.Column(verbose_name=_("Opened"), attrs={"td": {"class": "num"}})
    causes = tables.Column(verbose_name=_("Causes"), accessor="pk", orderable=False)
    interventions = tables.Column(verbose_name=_("Interventions"), accessor="pk", orderable=False)
    outcome_on = tables.Column(verbose_name=_("Outcome"), attrs={"td": {"class": "num"}})
    # Shown under the outcome on the page; its own column in the export.
    jobs_restored = tables.Column(verbose_name=_("Jobs restored"), visible=False)

    class Meta:
        model = RevivalCase
        fields: tuple[str, ...] = ()
        sequence = (
            "reference",
            "unit",
            "estate",
            "stage",
            "opened_on",
            "causes",
            "interventions",
            "outcome_on",
            "jobs_restored",
        )
        attrs = {**_ATTRS, "data-testid": "cases-table"}
        empty_text = _("No case matches these filters.")
        order_by = ("-opened_on",)

    def render_reference(self, record: RevivalCase) -> str:
        return format_html(
            '<a href="{}" class="num">{}</a>',
            record.get_absolute_url(),
            jalali.localize_digits(record.reference),
        )

    def value_reference(self, record: RevivalCase) -> str:
        return record.reference

    def render_unit(self, record: RevivalCase) -> str:
        return format_html(
            '<a class="fw-medium" href="{}">{}</a><div class="small text-body-secondary">{}</div>',
            record.get_absolute_url(),
            record.unit.display_name,
            record.unit.estate.display_name,
        )

    def value_unit(self, record: RevivalCase) -> str:
        return record.unit.display_name

    def render_estate(self, record: RevivalCase) -> str:
        return record.unit.estate.display_name

    def value_estate(self, record: RevivalCase) -> str:
        return record.unit.estate.display_name

    def render_stage(self, record: RevivalCase) -> str:
        return _badge(CaseStage(record.stage))

    def value_stage(self, record: RevivalCase) -> str:
        return str(CaseStage(record.stage).label)

    def render_opened_on(self, value) -> str:
        return jalali.format_date(value)

    def value_opened_on(self, record: RevivalCase) -> str:
        return date_text(record.opened_on)

    def render_causes(self, record: RevivalCase) -> str:
        causes = list(record.causes.all())
        if not causes:
            return "—"
        return format_html_join(
            " ",
            '<span class="badge text-bg-light border">{}</span>',
            ((c.get_cause_display(),) for c in causes),
        )

    def value_causes(self, record: RevivalCase) -> str:
        return _join([str(Cause(c.cause).label) for c in record.causes.all()])

    def render_interventions(self, record: RevivalCase) -> str:
        return jalali.format_number(len(record.interventions.all()))

    def value_interventions(self, record: RevivalCase) -> str:
        return _join([str(InterventionKind(i.kind).label) for i in record.interventions.all()])

    def render_outcome_on(self, record: RevivalCase, value) -> str:
        if record.jobs_restored is None:
            return jalali.format_date(value)
        jobs = _("%(jobs)s jobs restored") % {"jobs": jalali.format_number(record.jobs_restored)}
        return format_html(
            '{}<div class="small text-body-secondary">{}</div>', jalali.format_date(value), jobs
        )

    def value_outcome_on(self, record: RevivalCase) -> str:
        return date_text(record.outcome_on)

    def value_jobs_restored(self, record: RevivalCase) -> int | None:
        return record.jobs_restored


class ReturnTable(tables.Table):
    """Units returned to production, each with the case behind its return (when there is one)."""

    name = tables.Column(verbose_name=_("Unit"), order_by=("sort_name",), attrs={"td": {"class": "col-name"}})
    estate = tables.Column(
        verbose_name=_("Estate"), accessor="estate__sort_name", order_by=("estate__sort_name",)
    )
    returned_on = tables.Column(verbose_name=_("Returned on"), attrs={"td": {"class": "num"}})
    status = tables.Column(verbose_name=_("Status now"))
    case = tables.Column(verbose_name=_("Clinic case"), accessor="pk", orderable=False)
    interventions = tables.Column(verbose_name=_("Interventions"), accessor="pk", orderable=False)

    class Meta:
        fields: tuple[str, ...] = ()
        sequence = ("name", "estate", "returned_on", "status", "case", "interventions")
        attrs = {**_ATTRS, "data-testid": "returns-table"}
        empty_text = _("No unit returned to production in this period.")
        order_by = ("-returned_on",)

    @staticmethod
    def _case(record: Any) -> RevivalCase | None:
        return next((case for case in record.revival_cases.all() if case.return_change_id), None)

    def render_name(self, record: Any) -> str:
        return format_html(
            '<a class="fw-medium" href="{}">{}</a>', record.get_absolute_url(), record.display_name
        )

    def value_name(self, record: Any) -> str:
        return record.display_name

    def render_estate(self, record: Any) -> str:
        return record.estate.display_name

    def value_estate(self, record: Any) -> str:
        return record.estate.display_name

    def render_returned_on(self, value) -> str:
        return jalali.format_date(value)

    def value_returned_on(self, record: Any) -> str:
        return date_text(record.returned_on)

    def render_status(self, record: Any) -> str:
        return _badge(UnitStatus(record.status))

    def value_status(self, record: Any) -> str:
        return str(UnitStatus(record.status).label)

    def render_case(self, record: Any) -> str:
        case = self._case(record)
        return (
            _case_link(case)
            if case
            else format_html('<span class="text-body-secondary">{}</span>', _("no case"))
        )

    def value_case(self, record: Any) -> str:
        case = self._case(record)
        return case.reference if case else ""

    def render_interventions(self, record: Any) -> str:
        case = self._case(record)
        if case is None:
            return "—"
        kinds = sorted({i.kind for i in case.interventions.all()})
        return (
            format_html_join(
                " ",
                '<span class="badge text-bg-light border">{}</span>',
                ((InterventionKind(k).label,) for k in kinds),
            )
            or "—"
        )

    def value_interventions(self, record: Any) -> str:
        case = self._case(record)
        if case is None:
            return ""
        return _join(
            [str(InterventionKind(k).label) for k in sorted({i.kind for i in case.interventions.all()})]
        )


class RiskTable(tables.Table):
    unit = tables.Column(
        verbose_name=_("Unit"), order_by=("unit__sort_name",), attrs={"td": {"class": "col-name"}}
    )
    estate = tables.Column(
        verbose_name=_("Estate"), accessor="unit__estate__sort_name", order_by=("unit__estate__sort_name",)
    )
    status = tables.Column(verbose_name=_("Status"), accessor="unit__status", order_by=("unit__status",))
    score = tables.Column(verbose_name=_("Score"), attrs={"td": {"class": "num"}})
    signals = tables.Column(verbose_name=_("Signals (weight)"), orderable=False)
    case = tables.Column(verbose_name=_("Open case"), accessor="open_case_id", orderable=False)

    class Meta:
        model = RiskAssessment
        fields: tuple[str, ...] = ()
        sequence = ("unit", "estate", "status", "score", "signals", "case")
        attrs = {**_ATTRS, "data-testid": "risk-table"}
        empty_text = _("No unit matches these filters.")
        order_by = ("-score",)

    def render_unit(self, record: RiskAssessment) -> str:
        return format_html(
            '<a class="fw-medium" href="{}">{}</a>', record.unit.get_absolute_url(), record.unit.display_name
        )

    def value_unit(self, record: RiskAssessment) -> str:
        return record.unit.display_name

    def render_estate(self, record: RiskAssessment) -> str:
        return record.unit.estate.display_name

    def value_estate(self, record: RiskAssessment) -> str:
        return record.unit.estate.display_name

    def render_status(self, record: RiskAssessment) -> str:
        return _badge(UnitStatus(record.unit.status))

    def value_status(self, record: RiskAssessment) -> str:
        return str(UnitStatus(record.unit.status).label)

    def render_score(self, record: RiskAssessment) -> str:
        colour = "danger" if record.at_risk else "secondary"
        return format_html(
            '<span class="badge text-bg-{}">{}</span>', colour, jalali.format_number(record.score)
        )

    def value_score(self, record: RiskAssessment) -> int:
        return record.score

    def render_signals(self, record: RiskAssessment) -> str:
        if not record.signals:
            return "—"
        return format_html_join(
            " ",
            '<span class="badge text-bg-light border">{} <span class="num">(+{})</span></span>',
            ((label_of(s["code"]), jalali.format_number(s["weight"])) for s in record.signals),
        )

    def value_signals(self, record: RiskAssessment) -> str:
        return _join([f"{label_of(s['code'])} (+{s['weight']})" for s in record.signals])

    def render_case(self, record: RiskAssessment, value: Any) -> str:
        if not value:
            return "—"
        from django.urls import reverse

        return format_html(
            '<a class="num" href="{}">{}</a>',
            reverse("revival:case_detail", args=[value]),
            jalali.localize_digits(f"C-{value:05d}"),
        )

    def value_case(self, record: RiskAssessment, value: Any) -> str:
        return f"C-{value:05d}" if value else ""


class UnitCaseColumn(tables.Column):
    """The unit's latest clinic case, added to the staff registry of units (``units.tables``)."""

    def __init__(self) -> None:
        super().__init__(
            verbose_name=_("Clinic case"), accessor="revival_case_id", orderable=False, default="—"
        )

    def render(self, value: Any, record: Any) -> str:
        case = RevivalCase(pk=value, stage=record.revival_case_stage)
        return _case_link(case)

    def value(self, value: Any, record: Any) -> str:
        return f"C-{value:05d}" if value else ""


def annotate_unit_case(queryset: Any) -> Any:
    from django.db.models import OuterRef, Subquery

    latest = RevivalCase.objects.filter(unit=OuterRef("pk")).order_by("-opened_on", "-id")
    return queryset.annotate(
        revival_case_id=Subquery(latest.values("pk")[:1]),
        revival_case_stage=Subquery(latest.values("stage")[:1]),
    )
