"""The permission matrix's POST declarations for the investment app's state-changing URLs.

Each entry has the shape of ``matrix_support.PostEntry``: (kwargs builder, valid-form data builder, check that
the write happened, {persona: answer}); ``test_permission_matrix.py`` runs them for every persona.

Who may write (``core/permissions.py``, ``investment/views.py`` and ``services.py``): an investor keeps its
own file, adds its evidence, and files and edits its own applications; the estate company's reviewers
(managers, investment experts) do the same for the investors of their company, and alone check evidence,
screen, take under review, approve, sign contracts, record milestones, repossess and set the screening
weights; a linkage officer only reads the investment path (403 on a write); a unit, a buyer and another
company's staff do not see the investor's records (404). Land-use plans are the estate's managers'.
"""

from __future__ import annotations

from typing import Any

from .matrix_support import DONE, Objects, PostEntry, _changed, _today, as_post, only

# What only the company's reviewers do on a record the investor sees: the investor and the officer are
# refused (403), those who do not see it get 404.
REVIEW = only({"manager": DONE, "officer": 403, "investor": 403}, otherwise=404)


def _row(model_name: str, key: str, **lookup: Any) -> Any:
    """The world's object ``key`` (a row of ``model_name``) now matches ``lookup``."""

    def check(o: Objects, user: Any) -> bool:
        from django.apps import apps

        app_label, name = model_name.split(".")
        return apps.get_model(app_label, name).objects.filter(pk=o[key].pk, **lookup).exists()

    return check


def _investor_form(o: Objects, user: Any, **changes: Any) -> dict[str, Any]:
    from peyvand.investment.forms import InvestorForm

    return as_post(InvestorForm(instance=o["investor_file"], user=o["manager"]), **changes)


def _new_investor(o: Objects, user: Any) -> dict[str, Any]:
    from peyvand.investment.forms import InvestorForm
    from peyvand.investment.models import Investor

    return as_post(
        InvestorForm(instance=Investor(), user=user),
        kind="company",
        name="صنایع نوین البرز",
        knowledge_level="none",
        contact_person="مهندس رضایی",
    )


def _own_investor(o: Objects, user: Any) -> Any:
    """The investor file staff file an application for: one of their own company's."""
    from peyvand.core import permissions
    from peyvand.investment.models import Investor

    companies = permissions.organisations(user, "estate_company")
    if not companies or o["investor_file"].company_id in companies:
        return o["investor_file"]
    return Investor.objects.create(name="سرمایه‌گذار شرکت دیگر", company_id=companies[0])


def _application_form(o: Objects, **changes: Any) -> dict[str, Any]:
    from peyvand.investment.forms import ApplicationForm

    return as_post(ApplicationForm(instance=o["application"], user=o["manager"]), **changes)


def _new_application(o: Objects, user: Any) -> dict[str, Any]:
    # The world's application's values, as a new one (the investor persona's own file is implied).
    return _application_form(
        o, title="تولید ورق آلومینیوم", investor=str(_own_investor(o, user).pk), preferred_estates=None
    )


def _under_review(o: Objects, user: Any) -> dict[str, Any]:
    from peyvand.investment.models import Application

    Application.objects.filter(pk=o["application"].pk).update(state="under_review")
    return {"estate": str(o["estate_a"].pk), "note": "با طرح آمایش شهرک سازگار است"}


def _contract(o: Objects, user: Any) -> dict[str, Any]:
    from peyvand.estates.models import Plot
    from peyvand.investment.forms import ContractForm

    plot = o["free_plot"]
    return as_post(
        ContractForm(plots=Plot.objects.filter(pk=plot.pk), initial={"plot": plot.pk}),
        price_per_m2_rial="1000000",
    )


def _overdue(o: Objects, user: Any) -> dict[str, Any]:
    """The world's milestone is a year past its deadline, beyond the contract's grace period."""
    import datetime as dt

    from peyvand.investment.models import Milestone

    Milestone.objects.filter(pk=o["milestone"].pk).update(deadline=dt.date.today() - dt.timedelta(days=365))
    return {"reason": "پروانه ساخت یک سال پس از مهلت هم گرفته نشد"}


def _weights(o: Objects, user: Any) -> dict[str, Any]:
    from peyvand.investment import services
    from peyvand.investment.forms import WeightsForm

    return as_post(WeightsForm(initial=services.weights_for(o["estate_a"].company_id)), knowledge_based="17")


def _land_use(o: Objects, user: Any) -> dict[str, Any]:
    from peyvand.investment.forms import LandUseForm
    from peyvand.investment.models import LandUse

    return as_post(
        LandUseForm(instance=LandUse(estate=o["estate_a"])),
        admitted_isic="C 10",
        max_environment_group="3",
        water_left_m3_day="400",
        power_left_kw="5000",
        gas_left_m3_hour="1500",
    )


POST: dict[str, PostEntry] = {
    # Staff open a file for an investor of their company; an investor's organisation has one file.
    "investment:investor_create": (
        lambda o: {},
        _new_investor,
        _changed("investment.Investor", name="صنایع نوین البرز"),
        only({"manager": DONE, "staff_b": DONE, "investor": "redirect"}),
    ),
    "investment:investor_edit": (
        lambda o: {"pk": o["investor_file"].pk},
        lambda o, u: _investor_form(o, u, contact_person="خانم احمدی"),
        _row("investment.Investor", "investor_file", contact_person="خانم احمدی"),
        only({"manager": DONE, "officer": 403, "investor": DONE}, otherwise=404),
    ),
    "investment:evidence_add": (
        lambda o: {"pk": o["investor_file"].pk},
        lambda o, u: {"kind": "licence", "description": "قرارداد انتقال فناوری"},
        _changed("investment.Evidence", kind="licence", description="قرارداد انتقال فناوری"),
        only({"manager": DONE, "officer": 403, "investor": DONE}, otherwise=404),
    ),
    "investment:evidence_check": (
        lambda o: {"pk": o["evidence"].pk},
        lambda o, u: {},
        _row("investment.Evidence", "evidence", checked=True),
        REVIEW,
    ),
    "investment:application_create": (
        lambda o: {},
        _new_application,
        _changed("investment.Application", title="تولید ورق آلومینیوم", state="draft"),
        only({"manager": DONE, "staff_b": DONE, "investor": DONE}),
    ),
    "investment:application_edit": (
        lambda o: {"pk": o["application"].pk},
        lambda o, u: _application_form(o, title="تولید لوله پلی‌اتیلن دوجداره"),
        _row("investment.Application", "application", title="تولید لوله پلی‌اتیلن دوجداره"),
        only({"manager": DONE, "officer": 403, "investor": DONE}, otherwise=404),
    ),
    # Taking a submitted application under review is the reviewer's move, not the investor's.
    "investment:application_move": (
        lambda o: {"pk": o["application"].pk, "state": "under_review"},
        lambda o, u: {"reason": ""},
        _row("investment.Application", "application", state="under_review"),
        REVIEW,
    ),
    "investment:application_screen": (
        lambda o: {"pk": o["application"].pk},
        lambda o, u: {"note": "تیم فنی قوی، نیاز آب کم"},
        _row("investment.Application", "application", reviewer_note="تیم فنی قوی، نیاز آب کم"),
        REVIEW,
    ),
    "investment:application_approve": (
        lambda o: {"pk": o["application"].pk},
        _under_review,
        _row("investment.Application", "application", state="approved", unit__isnull=False),
        REVIEW,
    ),
    "investment:contract_create": (
        lambda o: {"pk": o["approved_open"].pk},
        _contract,
        _changed(
            "investment.AllocationContract",
            plot__state="allocated",
            price_per_m2_rial=1_000_000,
            application__title="طرح سوم",
        ),
        REVIEW,
    ),
    "investment:contract_repossess": (
        lambda o: {"pk": o["contract"].pk},
        _overdue,
        _row("investment.AllocationContract", "contract", state="repossessed", plot__state="repossessed"),
        REVIEW,
    ),
    "investment:milestone_done": (
        lambda o: {"pk": o["milestone"].pk},
        lambda o, u: {"done_on": _today(), "note": "پروانه ساخت صادر شد"},
        _row("investment.Milestone", "milestone", done_on__isnull=False, note="پروانه ساخت صادر شد"),
        REVIEW,
    ),
    # Each company's reviewers set its own rubric (company B's manager, B's); others only read it.
    "investment:weights": (
        lambda o: {},
        _weights,
        _changed("investment.ScreeningWeight", criterion="knowledge_based", weight=17),
        only({"manager": DONE, "staff_b": DONE}),
    ),
    "investment:land_use_edit": (
        lambda o: {"pk": o["estate_a"].pk},
        _land_use,
        _changed("investment.LandUse", estate__isnull=False, admitted_isic="C 10", water_left_m3_day=400),
        only({"manager": DONE}),
    ),
}
