"""The permission matrix's world: one object of every kind a URL names, around the personas of
tests/conftest.py.

``objects`` builds it for one test. A module that asks the same questions of the same world in hundreds of
tests (the permission matrix) shares one world instead: ``shared_world`` builds it once per module inside a
transaction rolled back at the module's end; each test runs in a savepoint inside it (pytest-django's
``db``) and gets its own deep copy of the Python objects, so a test's writes and its in-memory changes both
end with the test.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.test import override_settings

from .factories import PlotFactory, UnitFactory
from .matrix_support import Objects
from .people import build_named, build_onlookers

# What tests/conftest.py's autouse fixtures set for every test, set while the shared world is built.
QUIET_SETTINGS = {
    "TASKS": {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
    "PEYVAND_MATCHING_AUTO_REBUILD": False,
    "PEYVAND_MATCHING_SEMANTIC": False,
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
}


@pytest.fixture
def objects(estate_a, unit_a, unit_b, unit_a_owner, buyer, investor) -> Objects:
    return build_objects(estate_a, unit_a, unit_b, unit_a_owner, buyer, investor)


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, tmp_path_factory) -> Any:
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(**QUIET_SETTINGS, DATA_DIR=tmp_path_factory.mktemp("world")):
                people = build_named()
                objects = build_objects(
                    people["estate_a"],
                    people["unit_a"],
                    people["unit_b"],
                    people["unit_a_owner"],
                    people["buyer"],
                    people["investor"],
                )
                world = {**people, **build_onlookers(people), "objects": objects}
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def world_copy(db, shared_world) -> Any:
    return copy.deepcopy(shared_world)


def build_objects(estate_a, unit_a, unit_b, unit_a_owner, buyer, investor) -> Objects:
    """One object of every kind a URL of the project names, each visible to its owner only."""
    from django.core.files.base import ContentFile

    from peyvand.accounts.models import Invitation
    from peyvand.imports.models import ImportBatch
    from peyvand.notifications.models import Notification
    from peyvand.units.models import ClaimRequest

    return {
        "estate_a": estate_a,
        "unit_a": unit_a,
        "unit_b": unit_b,
        "plot_a": PlotFactory(estate=estate_a),
        "membership_a": unit_a_owner.memberships.get(),
        "invitation": Invitation.objects.create(
            organisation=unit_a.organisation, email="new@example.ir", role="editor"
        ),
        "claim": ClaimRequest.objects.create(
            unit=unit_a,
            user=buyer,
            position="مدیر فروش",
            evidence="پروانه ۱۲۳",
            evidence_file=ContentFile(b"%PDF-1.4 licence", name="licence.pdf"),
        ),
        "batch": ImportBatch.objects.create(
            kind="units",
            company=estate_a.company,
            original_name="units.xlsx",
            file=ContentFile(b"PK\x03\x04 sheet", name="units.xlsx"),
        ),
        "notification": Notification.objects.create(
            user=unit_a_owner,
            kind="system",
            title_fa="اعلان آزمایشی",
            title_en="Test notification",
            url="/units/",
        ),
        **_bridge(estate_a, unit_a, buyer),
        **_clinic(unit_a),
        **_investment(estate_a, investor),
        **_green(estate_a, unit_a, unit_b),
        **_trade(estate_a, unit_a, buyer),
    }


def _clinic(unit_a) -> Objects:
    """An open clinic case of unit A (written directly: the matrix needs only the row) and its intervention."""
    import datetime as dt

    from peyvand.revival.models import Intervention, RevivalCase

    case = RevivalCase.objects.create(
        unit=unit_a,
        stage="treatment",
        stage_date=dt.date.today(),
        opened_on=dt.date.today(),
        status_at_opening="idle",
    )
    return {
        "case": case,
        "intervention": Intervention.objects.create(
            case=case, kind="technical", title="مشاوره فنی", due_on=dt.date.today()
        ),
    }


def _investment(estate_a, investor) -> Objects:
    """The investor persona's file with a piece of evidence, a submitted application, and a contract;
    and an application approved today (its unit registered) still waiting for its contract on a free plot."""
    import datetime as dt

    from django.core.files.base import ContentFile

    from peyvand.investment.models import AllocationContract, Evidence, Investor, Milestone
    from peyvand.taxonomy.models import Classification

    from .investment_world import make_application

    organisation = investor.memberships.get().organisation
    investor_file = Investor.objects.create(
        name=organisation.name, company=estate_a.company, organisation=organisation
    )
    application = make_application(investor_file, state="submitted")
    approved = make_application(
        investor_file,
        title="طرح دوم",
        state="approved",
        isic=Classification.objects.get(scheme="isic4", code="1061"),
    )
    contract = AllocationContract.objects.create(
        application=approved,
        plot=PlotFactory(estate=estate_a, state="allocated"),
        number="AC-1405-00001",
        signed_on=dt.date.today(),
        area_m2=2000,
        price_per_m2_rial=1_000_000,
        total_rial=2_000_000_000,
        down_payment_share=30,
        instalments=12,
    )
    approved_open = make_application(
        investor_file,
        title="طرح سوم",
        state="approved",
        estate=estate_a,
        unit=UnitFactory(estate=estate_a, name="طرح سوم", status="land_allocated"),
    )
    return {
        "approved_open": approved_open,
        "free_plot": PlotFactory(estate=estate_a, area_m2=5000, state="free"),
        "investor_file": investor_file,
        "evidence": Evidence.objects.create(
            investor=investor_file,
            kind="team",
            description="تیم فنی",
            file=ContentFile(b"%PDF-1.4 team", name="team.pdf"),
        ),
        "application": application,
        "contract": contract,
        "milestone": Milestone.objects.create(
            contract=contract,
            kind="permit",
            order=1,
            deadline=dt.date.today(),
            evidence=ContentFile(b"%PDF-1.4 permit", name="permit.pdf"),
        ),
    }


def _trade(estate_a, unit_a, buyer) -> Objects:
    """An export record of unit A and an input the buyer buys abroad."""
    import datetime as dt

    from peyvand.trade.models import BuyerInput, ExportRecord

    export = ExportRecord.objects.create(
        company=estate_a.company, unit=unit_a, product="برنج", hs_code="100630", destination="IQ",
        value_usd=1000, year=1404, month=1, period_start=dt.date(2025, 3, 21), source="customs",
    )  # fmt: skip
    item = BuyerInput.objects.create(
        company=estate_a.company,
        buyer=buyer.memberships.get().organisation,
        name="ورق فولادی",
        origin="imported",
    )
    return {"export_a": export, "input": item}


def _bridge(estate_a, unit_a, buyer) -> Objects:
    """A published public request of the buyer, an invitation to unit A, a linkage and an attachment."""
    import datetime as dt

    from django.core.files.base import ContentFile

    from peyvand.sourcing.models import Linkage, RequestAttachment, SourcingRequest, SupplierInvitation

    request = SourcingRequest.objects.create(
        buyer=buyer.memberships.get().organisation,
        company=estate_a.company,
        title="خرید پوسته پمپ",
        text="ریخته‌گری تحت فشار",
        quote_deadline=dt.date.today() + dt.timedelta(days=20),
        state="published",
    )
    attachment = RequestAttachment(request=request, name="drawing.pdf")
    attachment.file.save("drawing.pdf", ContentFile(b"%PDF-1.4 drawing"), save=True)
    from peyvand.sourcing.models import GapTicket, Match

    return {
        "request": request,
        "match": Match.objects.create(
            request=request, unit=unit_a, rank=1, score=0.9, reasons_fa=["ریخته‌گری"]
        ),
        "gap": GapTicket.objects.create(
            request=request, company=estate_a.company, qualified_count=1, needed_count=2
        ),
        "attachment": attachment,
        "invitation_a": SupplierInvitation.objects.create(request=request, unit=unit_a),
        "linkage": Linkage.objects.create(
            request=request,
            company=estate_a.company,
            buyer=request.buyer,
            unit=unit_a,
            source="match",
            stage_date=dt.date.today(),
            introduced_on=dt.date.today(),
        ),
    }


def _green(estate_a, unit_a, unit_b) -> Objects:
    """A plant with a progress report, the company's limits, a failed test of unit A (with its case), a
    have of unit A, a want of unit B and the exchange between them."""
    from django.core.files.base import ContentFile

    from .green_world import green_world

    world = green_world(estate_a, unit_a, unit_b)
    world["progress_report"].photo.save("site.png", ContentFile(b"\x89PNG\r\n\x1a\n site"), save=True)
    return world
