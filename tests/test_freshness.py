"""Suggestions follow every change: one "units changed" call from every writer, ranking and index rebuilds
as background jobs (never inside a web request or under a row lock), index versions swapped atomically
and removed only when no process uses them."""

from __future__ import annotations

import contextlib
import os

import pytest
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from peyvand.core.jalali import jalali_text
from peyvand.sourcing import engine, services, tasks
from peyvand.sourcing.choices import GapState, RequestState
from peyvand.sourcing.models import GapTicket, IndexBuild, Match
from peyvand.units import services as unit_services
from peyvand.units.models import Certification, ProductionUnit

from .factories import UnitFactory
from .sourcing_world import build_world

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def world(estate_a, buyer, officer, manager, settings):
    settings.PEYVAND_MATCHING_AUTO_REBUILD = True
    request, units = build_world(estate_a, buyer)
    engine.rebuild_index()
    return request, units


def _publish(request, buyer, officer) -> None:
    services.move_request(request, RequestState.SUBMITTED, by=buyer)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.move_request(request, RequestState.PUBLISHED, by=officer)


def _change_status_in_the_ui(client, manager, unit, to_status: str, cause: str) -> None:
    client.force_login(manager)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            f"/units/{unit.pk}/status/",
            {"to_status": to_status, "date": jalali_text(timezone.localdate()), "cause": cause},
        )
    assert response.status_code == 302, response.text[:2000]


def _suggest_again_in_the_ui(client, officer, request) -> set[int]:
    client.force_login(officer)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(f"/sourcing/requests/{request.pk}/suggest/")
    return set(Match.objects.filter(request=request).values_list("unit_id", flat=True))


def _directory(client, user, query: str) -> str:
    client.force_login(user)
    return client.get("/sourcing/suppliers/", {"q": query}).text


def _indexed_status(unit) -> str:
    index = engine.current_index()
    return index.status_of(index.ids.index(str(unit.pk)))


# --- item 2: one "units changed" call ----------------------------------------------------------------
def test_a_unit_set_to_idle_in_the_ui_leaves_the_next_suggestions_and_the_directory(
    client, world, buyer, officer, manager
) -> None:
    request, units = world
    _publish(request, buyer, officer)
    best = units["best"]
    assert best.pk in set(Match.objects.filter(request=request).values_list("unit_id", flat=True))
    _change_status_in_the_ui(client, manager, best, "idle", "working_capital")
    assert _indexed_status(best) == "idle"  # the index was rebuilt by the job the change queued
    assert best.pk not in _suggest_again_in_the_ui(client, officer, request)
    assert best.name not in _directory(client, buyer, "ریخته‌گری تحت فشار آلومینیوم")


def test_a_unit_revived_in_the_ui_is_suggested_again_and_flags_the_gap_it_fills(
    client, world, estate_a, buyer, officer, manager
) -> None:
    request, units = world
    request.certification_needs.create(
        certification=Certification.objects.get(code="iso_14001"), requirement="must_have"
    )
    sleeper = units["idle"]
    sleeper.certifications.add(Certification.objects.get(code="iso_14001"))
    unit_services.units_changed([sleeper.pk], reason="test set-up")  # as the profile form would
    _publish(request, buyer, officer)
    assert GapTicket.objects.get(request=request).state == GapState.OPEN
    assert sleeper.pk not in set(Match.objects.filter(request=request).values_list("unit_id", flat=True))

    _change_status_in_the_ui(client, manager, sleeper, "operating", "revival_support")
    assert GapTicket.objects.get(request=request).state == GapState.REMATCH
    assert GapTicket.objects.get(request=request).flagged_unit_id == sleeper.pk
    assert sleeper.pk in _suggest_again_in_the_ui(client, officer, request)
    assert sleeper.name in _directory(client, buyer, "ریخته‌گری تحت فشار آلومینیوم")


@pytest.fixture
def told(monkeypatch):
    """What the followers of ``units_changed`` are told, run as the job runs them (on commit)."""
    calls: list[tuple[list[int], str]] = []
    monkeypatch.setattr(unit_services, "_followers", [lambda ids, reason: calls.append((ids, reason))])
    return calls


def test_every_writer_says_which_units_changed(client, estate_a, manager, told) -> None:
    from peyvand.imports import engine as imports
    from peyvand.units.forms import UnitForm

    unit = UnitFactory(estate=estate_a, name="کاشی البرز", national_id="10100000001")
    with TestCase.captureOnCommitCallbacks(execute=True):
        unit_services.change_status(unit, "idle", date=timezone.localdate(), cause="market", by=manager)
    with TestCase.captureOnCommitCallbacks(execute=True):
        form = UnitForm(
            {"name": unit.name, "national_id": unit.national_id, "estate": estate_a.pk, "employees": 30},
            instance=unit,
            user=manager,
        )
        assert form.is_valid(), form.errors
        unit_services.update_profile(unit, form.cleaned_data, by=manager)
    twin = UnitFactory(estate=estate_a, name="کاشی البرز ۲")
    with TestCase.captureOnCommitCallbacks(execute=True):
        unit_services.merge_units(unit, twin, by=manager)
    sheet = imports.read_sheet("شناسه ملی,تعداد کارکنان\r\n10100000001,45\r\n".encode(), "units.csv")
    mapping = imports.guess_mapping(imports.get_importer("units"), sheet.rows[0])
    with TestCase.captureOnCommitCallbacks(execute=True):
        outcome = imports.run("units", sheet, mapping, 0, user=manager, mode="all")
    assert outcome.applied, outcome.as_json()["issues"]
    reasons = [(ids, reason) for ids, reason in told]
    assert reasons == [
        ([unit.pk], "status changed"),
        ([unit.pk], "profile edited"),
        ([unit.pk, twin.pk], "merged"),
        ([unit.pk], "import"),
    ]


def test_nothing_is_said_about_a_change_that_was_rolled_back(estate_a, manager, told) -> None:
    from django.db import transaction

    unit = UnitFactory(estate=estate_a)
    with (
        TestCase.captureOnCommitCallbacks(execute=True),
        contextlib.suppress(RuntimeError),
        transaction.atomic(),
    ):
        unit_services.change_status(unit, "idle", date=timezone.localdate(), cause="market", by=manager)
        raise RuntimeError("the page failed after the change")
    assert told == []
    assert ProductionUnit.objects.get(pk=unit.pk).status == "operating"


# --- item 3: jobs, not web requests ------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_publishing_ranks_in_a_job_after_the_commit_not_under_the_row_lock(
    reference_data, estate_a, buyer, officer, manager, monkeypatch
) -> None:
    from peyvand.matching import ranking

    request, _units = build_world(estate_a, buyer)
    engine.rebuild_index()
    inside_transaction: list[bool] = []
    real_rank = ranking.rank

    def spy(*args, **kwargs):
        inside_transaction.append(connection.in_atomic_block)
        return real_rank(*args, **kwargs)

    monkeypatch.setattr(ranking, "rank", spy)
    services.move_request(request, RequestState.SUBMITTED, by=buyer)
    services.move_request(request, RequestState.PUBLISHED, by=officer)
    assert inside_transaction == [False]
    request.refresh_from_db()
    assert request.suggestion_state == "ready"
    assert Match.objects.filter(request=request).exists()


def test_the_request_page_says_suggestions_are_being_prepared_and_polls_until_they_are(
    client, world, buyer, officer
) -> None:
    request, _units = world
    services.move_request(request, RequestState.SUBMITTED, by=buyer)
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        services.move_request(request, RequestState.PUBLISHED, by=officer)
    assert not Match.objects.filter(request=request).exists()  # publishing itself ranked nothing
    client.force_login(officer)
    page = client.get(f"/sourcing/requests/{request.pk}/").text
    assert 'data-testid="suggestions-progress"' in page
    assert f'hx-get="/sourcing/requests/{request.pk}/suggestions/progress/"' in page
    assert 'hx-trigger="every 2s"' in page
    assert "<script>" not in page  # the CSP allows no inline script: htmx attributes only
    poll = client.get(f"/sourcing/requests/{request.pk}/suggestions/progress/")
    assert poll.status_code == 200
    assert "<html" not in poll.text
    for callback in queued:  # the worker picks the job up
        callback()
    done = client.get(f"/sourcing/requests/{request.pk}/suggestions/progress/")
    assert (done.status_code, done["HX-Redirect"]) == (204, f"/sourcing/requests/{request.pk}/#suggestions")
    assert Match.objects.filter(request=request).exists()


def test_a_double_click_on_suggest_queues_one_job(client, world, buyer, officer, settings) -> None:
    request, _units = world
    _publish(request, buyer, officer)
    settings.TASKS = DUMMY_TASKS
    client.force_login(officer)
    with TestCase.captureOnCommitCallbacks(execute=True) as first:
        client.post(f"/sourcing/requests/{request.pk}/suggest/")
    with TestCase.captureOnCommitCallbacks(execute=True) as second:
        client.post(f"/sourcing/requests/{request.pk}/suggest/")
    assert (len(first), len(second)) == (1, 0)


def test_the_index_rebuild_shows_its_progress_on_the_waiting_request(client, world, buyer, officer) -> None:
    request, _units = world
    services.move_request(request, RequestState.SUBMITTED, by=buyer)
    with TestCase.captureOnCommitCallbacks(execute=False):
        services.move_request(request, RequestState.PUBLISHED, by=officer)
    IndexBuild.objects.create(state="running", stage="embedding", done=0, total=10)
    client.force_login(officer)
    client.cookies["peyvand_language"] = "en"
    poll = client.get(f"/sourcing/requests/{request.pk}/suggestions/progress/").text
    assert "The matching index is being rebuilt: computing the semantic vectors" in poll
    assert '<progress class="w-100" value="50" max="100">' in poll


def test_a_web_request_never_builds_the_index(client, estate_a, buyer, settings) -> None:
    settings.TASKS = DUMMY_TASKS  # queued, not run: as with a worker that has not picked it up yet
    UnitFactory(estate=estate_a, name="ریخته‌گری آلومینیوم")
    client.force_login(buyer)
    page = client.get("/sourcing/suppliers/", {"q": "ریخته‌گری"})
    assert page.status_code == 200
    assert 'data-testid="index-pending"' in page.text
    assert engine.current_version() is None
    assert IndexBuild.objects.get().state == "pending"


def test_a_failed_enqueue_leaves_nothing_that_blocks_the_next_rebuild(settings, monkeypatch) -> None:
    settings.PEYVAND_MATCHING_AUTO_REBUILD = True
    settings.TASKS = DUMMY_TASKS
    from django.tasks.backends.dummy import DummyBackend

    queued: list[str] = []
    real_enqueue = DummyBackend.enqueue

    def enqueue_with_the_queue_down_once(backend, task, args, kwargs):
        queued.append(task.name)
        if len(queued) == 1:
            raise ConnectionError("the queue is down")
        return real_enqueue(backend, task, args, kwargs)

    monkeypatch.setattr(DummyBackend, "enqueue", enqueue_with_the_queue_down_once)
    with contextlib.suppress(ConnectionError):
        tasks.schedule_rebuild()
    tasks.schedule_rebuild()
    tasks.schedule_rebuild()  # the one now waiting covers this change too
    assert len(queued) == 2
    assert list(IndexBuild.objects.order_by("id").values_list("state", flat=True)) == ["failed", "pending"]


def test_a_build_the_queue_lost_does_not_block_the_next_one(settings) -> None:
    settings.PEYVAND_MATCHING_AUTO_REBUILD = True
    settings.TASKS = DUMMY_TASKS
    lost = tasks.schedule_rebuild()
    IndexBuild.objects.filter(pk=lost.pk).update(requested_at=timezone.now() - tasks.PENDING_TIMEOUT * 2)
    fresh = tasks.schedule_rebuild()
    assert fresh.pk != lost.pk
    assert IndexBuild.objects.get(pk=lost.pk).state == "failed"


# --- index versions ----------------------------------------------------------------------------------
def test_an_old_index_version_is_removed_only_when_no_process_uses_it(db, estate_a) -> None:
    UnitFactory(estate=estate_a)
    first = engine.rebuild_index()["version"]
    engine.current_index()  # this process uses the first version
    another_process = engine._leases() / f"{first}@{os.uname().nodename}@{os.getppid()}"
    another_process.touch()  # … and so does a live process beside it
    second = engine.rebuild_index()["version"]
    assert engine.current_version() == second
    assert (engine.index_root() / first).is_dir()  # still in use
    engine.current_index()  # this process moves to the new version and lets the old one go
    another_process.unlink()  # the other process finished with it
    engine.rebuild_index()
    assert not (engine.index_root() / first).exists()
    assert (engine.index_root() / second).is_dir()  # this process still uses it


def test_a_lease_of_a_process_that_ended_does_not_keep_a_version(db, estate_a) -> None:
    UnitFactory(estate=estate_a)
    first = engine.rebuild_index()["version"]
    dead = 2**22 + 12345  # beyond the usual pid range: no such process
    (engine._leases() / f"{first}@{os.uname().nodename}@{dead}").touch()
    engine.rebuild_index()
    assert not (engine.index_root() / first).exists()


def test_a_build_that_read_the_registry_earlier_never_replaces_a_newer_index(db, estate_a) -> None:
    UnitFactory(estate=estate_a)
    engine.rebuild_index()
    newer = "v99999999999999"
    (engine.index_root() / newer).mkdir()
    (engine.index_root() / "CURRENT").write_text(newer, encoding="utf-8")
    summary = engine.rebuild_index()
    assert summary["published"] is False
    assert engine.current_version() == newer
    assert not (engine.index_root() / summary["version"]).exists()
