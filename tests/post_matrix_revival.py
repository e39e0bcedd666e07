"""The permission matrix's POST declarations for the revival app's state-changing URLs.

Each entry has the shape of ``matrix_support.PostEntry``: (kwargs builder, valid-form data builder, check that
the write happened, {persona: answer}); ``test_permission_matrix.py`` runs them for every persona.

Who may write (``core/permissions.py``, ``revival/views.py``): the staff of the unit's estate company work a
case (officers and managers alike); only a manager changes a unit's life cycle, so only a manager records
its return to production; a unit's representative asks the clinic for help for its own unit, and staff open
the case themselves (the ask page sends them to it). Others do not see the case (404), or see it without a
right to change it (403).
"""

from __future__ import annotations

from typing import Any

from .matrix_support import DONE, Objects, PostEntry, _changed, _own_estate, _today, as_post, only

# Staff of the unit's company work the case; its representative only reads it; nobody else sees it.
CASE_WORK = only({"manager": DONE, "officer": DONE, "unit_a_owner": 403}, otherwise=404)


def _idle_unit(o: Objects, user: Any) -> dict[str, Any]:
    """An idle unit of the persona's own company, for staff to open a case for."""
    from peyvand.revival.forms import CaseOpenForm

    from .factories import UnitFactory

    unit = UnitFactory(estate=_own_estate(o, user), name="کارگاه متوقف", status="idle")
    return as_post(CaseOpenForm(user=o["manager"]), unit=str(unit.pk), unit_account="سفارش‌ها قطع شد")


def _unit_a_idle(o: Objects) -> None:
    from peyvand.units.models import ProductionUnit

    ProductionUnit.objects.filter(pk=o["unit_a"].pk).update(status="idle")


def _case_ended(o: Objects) -> None:
    """The world's case ended "still idle" today (as ``move_case`` leaves it)."""
    import datetime as dt

    from peyvand.revival.models import RevivalCase

    RevivalCase.objects.filter(pk=o["case"].pk).update(stage="still_idle", outcome_on=dt.date.today())


def _ask(o: Objects, user: Any) -> dict[str, Any]:
    """Unit A is idle and its earlier case ended: its representative may ask again."""
    from peyvand.revival.forms import CaseRequestForm

    _unit_a_idle(o)
    _case_ended(o)
    return as_post(CaseRequestForm(), unit_account="سفارش‌ها قطع شد و سرمایه در گردش نداریم")


def _diagnosis(o: Objects, user: Any) -> dict[str, Any]:
    from peyvand.revival.forms import DiagnosisForm

    return as_post(
        DiagnosisForm(),
        diagnosis_visit_on=_today(),
        diagnosis="کمبود سرمایه در گردش",
        severity_working_capital="3",
        note_working_capital="بدهی به تأمین‌کننده",
    )


def _intervention(o: Objects, user: Any) -> dict[str, Any]:
    from peyvand.revival.forms import InterventionForm

    return as_post(
        InterventionForm(case=o["case"], user=o["manager"]),
        kind="technical",
        title="بازسازی خط بسته‌بندی",
        due_on=_today(),
    )


def _return(o: Objects, user: Any) -> dict[str, Any]:
    from peyvand.revival.forms import ReturnForm

    _unit_a_idle(o)
    return as_post(ReturnForm(), to_status="operating", cause="revival_support", jobs_restored="12")


def _outcome(o: Objects, user: Any) -> dict[str, Any]:
    from peyvand.revival.forms import OutcomeForm

    _case_ended(o)
    return as_post(OutcomeForm(), jobs_restored="5", note="بازار هنوز برنگشته است")


def _result(o: Objects, user: Any) -> dict[str, Any]:
    from peyvand.revival.forms import ResultForm

    return as_post(ResultForm(intervention=o["intervention"]), result="succeeded", note="خط دوباره راه افتاد")


def _buyer_linkage(o: Objects, user: Any) -> dict[str, Any]:
    """The world's intervention is a buyer linkage on the published request (unit A already has its
    linkage on it, which the intervention takes)."""
    from peyvand.revival.models import Intervention

    Intervention.objects.filter(pk=o["intervention"].pk).update(kind="buyer_linkage", request=o["request"])
    return {}


def _intervention_row(**lookup: Any) -> Any:
    def check(o: Objects, user: Any) -> bool:
        from peyvand.revival.models import Intervention

        return Intervention.objects.filter(pk=o["intervention"].pk, **lookup).exists()

    return check


def _case_row(**lookup: Any) -> Any:
    def check(o: Objects, user: Any) -> bool:
        from peyvand.revival.models import RevivalCase

        return RevivalCase.objects.filter(pk=o["case"].pk, **lookup).exists()

    return check


POST: dict[str, PostEntry] = {
    "revival:case_create": (
        lambda o: {},
        _idle_unit,
        _changed("revival.RevivalCase", unit__name="کارگاه متوقف", stage="diagnosis"),
        only({"manager": DONE, "officer": DONE, "staff_b": DONE}),
    ),
    # The unit asks in its own words; staff open the case themselves (sent to that form, nothing written).
    # An idle unit is not public: outsiders do not learn it exists.
    "revival:case_request": (
        lambda o: {"unit_pk": o["unit_a"].pk},
        _ask,
        _changed("revival.RevivalCase", stage="requested", requested_by_unit=True),
        only({"manager": "redirect", "officer": "redirect", "unit_a_owner": DONE}, otherwise=404),
    ),
    "revival:case_diagnosis": (
        lambda o: {"pk": o["case"].pk},
        _diagnosis,
        _changed("revival.CaseCause", cause="working_capital", severity=3, note="بدهی به تأمین‌کننده"),
        CASE_WORK,
    ),
    "revival:intervention_create": (
        lambda o: {"pk": o["case"].pk},
        _intervention,
        _changed("revival.Intervention", title="بازسازی خط بسته‌بندی"),
        CASE_WORK,
    ),
    "revival:case_move": (
        lambda o: {"pk": o["case"].pk, "stage": "still_idle"},
        lambda o, u: {"note": "بدون پیشرفت"},
        _case_row(stage="still_idle", outcome_note="بدون پیشرفت"),
        CASE_WORK,
    ),
    # A unit's life cycle is the manager's (units: change_status), so is its return from the case.
    "revival:case_return": (
        lambda o: {"pk": o["case"].pk},
        _return,
        _case_row(stage="revived", jobs_restored=12, return_change__to_status="operating"),
        only({"manager": DONE, "officer": 403, "unit_a_owner": 403}, otherwise=404),
    ),
    "revival:case_outcome": (
        lambda o: {"pk": o["case"].pk},
        _outcome,
        _case_row(jobs_restored=5, outcome_note="بازار هنوز برنگشته است"),
        CASE_WORK,
    ),
    "revival:intervention_result": (
        lambda o: {"pk": o["intervention"].pk},
        _result,
        _intervention_row(result="succeeded", result_note="خط دوباره راه افتاد"),
        CASE_WORK,
    ),
    "revival:intervention_link": (
        lambda o: {"pk": o["intervention"].pk},
        _buyer_linkage,
        _intervention_row(linkage__isnull=False),
        CASE_WORK,
    ),
}
