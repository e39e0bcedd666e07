"""Shared fixtures: personas of every kind (see STYLE.md) on top of two estate companies."""

from __future__ import annotations

import os
import shutil

import pytest

from .factories import EstateFactory
from .people import (
    make_buyer,
    make_company_a,
    make_company_b,
    make_investor,
    make_member,
    make_unit_a,
    make_unit_b,
)

# --- The personas' world (tests/people.py): each piece is a fixture ---------------------------------


@pytest.fixture
def company_a(db):
    return make_company_a()


@pytest.fixture
def company_b(db):
    return make_company_b()


@pytest.fixture
def estate_a(company_a):
    return EstateFactory(company=company_a)


@pytest.fixture
def estate_b(company_b):
    return EstateFactory(company=company_b)


@pytest.fixture
def unit_a(estate_a):
    return make_unit_a(estate_a)


@pytest.fixture
def unit_b(estate_a):
    return make_unit_b(estate_a)


@pytest.fixture
def manager(company_a):
    return make_member(company_a, "manager", "manager_a")


@pytest.fixture
def officer(company_a):
    return make_member(company_a, "linkage_officer", "officer_a")


@pytest.fixture
def staff_b(company_b):
    return make_member(company_b, "manager", "manager_b")


@pytest.fixture
def unit_a_owner(unit_a):
    return make_member(unit_a.organisation, "admin", "owner_a")


@pytest.fixture
def unit_b_owner(unit_b):
    return make_member(unit_b.organisation, "admin", "owner_b")


@pytest.fixture
def buyer(db):
    return make_buyer()


@pytest.fixture
def investor(db):
    return make_investor()


# --- Browser tests (Playwright driving Debian's Chromium) -------------------------------------------
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        pytest.skip("Chromium is not installed (apt install chromium): browser tests skipped")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


class BrowserPage:
    """A Playwright page on the live server that records console errors and CSP violations."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.console_errors: list[str] = []
        page.on(
            "console",
            lambda message: self.console_errors.append(message.text) if message.type == "error" else None,
        )

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def login(self, username: str, password: str = "peyvand-test") -> None:  # noqa: S107 — test password
        self.goto("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("main form button[type=submit]")
        self.page.wait_for_load_state()

    def assert_no_csp_violations(self) -> None:
        violations = [
            error
            for error in self.console_errors
            if "Content Security Policy" in error or "Refused to" in error
        ]
        assert not violations, violations


@pytest.fixture
def reference_data(transactional_db):
    """Counties, classifications, certifications and capabilities as the migrations load them: a
    transactional test that ran before has flushed the database."""
    import importlib

    from django.apps import apps

    from peyvand.estates.models import County
    from peyvand.taxonomy.models import Capability, Classification
    from peyvand.units.models import Certification

    if (
        County.objects.exists()
        and Classification.objects.exists()
        and Capability.objects.exists()
        and Certification.objects.exists()
    ):
        return
    for module in (
        "peyvand.estates.migrations.0002_load_gilan_counties",
        "peyvand.taxonomy.migrations.0002_load_bundled_lists",
        "peyvand.units.migrations.0002_load_certifications",
        "peyvand.units.migrations.0005_load_more_certifications",
        "peyvand.taxonomy.migrations.0004_load_capabilities",
    ):
        importlib.import_module(module).load(apps, None)


@pytest.fixture
def web(browser, live_server, reference_data):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fa-IR")
    page = context.new_page()
    page.set_default_timeout(15000)
    wrapped = BrowserPage(page, live_server.url)
    yield wrapped
    wrapped.assert_no_csp_violations()
    context.close()


@pytest.fixture(autouse=True)
def _background_jobs_inline_and_isolated(settings, tmp_path):
    """Jobs run inline in tests; the matching index lives in the test's own folder."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.PEYVAND_MATCHING_AUTO_REBUILD = False
    settings.PEYVAND_MATCHING_SEMANTIC = False  # the engine's own tests cover the semantic layer
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = tmp_path
    from peyvand.sourcing import engine

    engine.forget_loaded_index()
    yield
    engine.forget_loaded_index()


@pytest.fixture(autouse=True)
def _a_cache_of_its_own(settings):
    """Each test starts with an empty cache in its own process (locmem): no test reads a figure or a
    page another test stored, and no run shares a cache with another run (CI's two, xdist's workers)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _the_default_language_after_each_test():
    """A view that activates a language (logging in as an English user) leaves it on the test's thread;
    the next test starts in the default language again."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def kept_units(estate_a, estate_b):
    """The kept lists' tests (tests/test_list_fragments.py, tests/test_api_list_cache.py): two units of
    company A (one idle) and one of company B."""
    from .factories import UnitFactory

    return {
        "a_operating": UnitFactory(estate=estate_a, name="کارخانه الف پیدا", status="operating"),
        "a_idle": UnitFactory(estate=estate_a, name="کارخانه الف خاموش", status="idle"),
        "b_operating": UnitFactory(estate=estate_b, name="کارخانه ب پیدا", status="operating"),
    }
