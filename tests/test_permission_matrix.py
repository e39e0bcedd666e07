"""The permission matrix: every URL of the project's own apps, for every persona, answers as declared.

A URL pattern without a declared expectation fails the test, so no new view can slip past the gate.
Answers: 200, 403, 404, 405, "login" (302 to the login page) and "redirect" (302 elsewhere).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from . import (
    post_matrix_api,
    post_matrix_core,
    post_matrix_green,
    post_matrix_investment,
    post_matrix_revival,
    post_matrix_trade,
)
from .matrix_get import MATRIX
from .matrix_support import (
    DONE,
    PERSONAS,
    Changes,
    Objects,
    PostEntry,
)
from .matrix_world import shared_world, world_copy  # noqa: F401 - fixtures
from .people import PEOPLE


# Every test of this module asks its questions of one world shared by the module (tests/matrix_world.py):
# the personas and ``objects`` come from it, a deep copy for each test, its writes undone after it.
def _from_the_shared_world(name: str) -> Any:
    @pytest.fixture(name=name)
    def piece(world_copy: Any) -> Any:  # noqa: F811 - the fixture imported above
        return world_copy[name]

    return piece


for _name in (*PEOPLE, "objects"):
    globals()[f"_{_name}_of_the_shared_world"] = _from_the_shared_world(_name)


def _walk(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, str]]:
    """(url name, URLconf module) of every pattern under ``resolver``."""
    module = getattr(resolver.urlconf_module, "__name__", str(resolver.urlconf_name))
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            nested = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            yield from _walk(entry, nested)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}".strip(":") if entry.name else str(entry.pattern)
            yield name, module


def project_url_names() -> list[str]:
    """Every URL declared in the project's own URLconfs (the Django admin has its own test)."""
    return sorted(
        {
            name
            for name, module in _walk(get_resolver())
            if module.startswith("peyvand") and not name.startswith("admin:")
        }
    )


def test_every_project_url_has_a_declared_expectation() -> None:
    undeclared = [name for name in project_url_names() if name not in MATRIX]
    assert not undeclared, f"declare the permission expectations of: {undeclared}"
    stale = [name for name in MATRIX if name not in project_url_names()]
    assert not stale, f"expectations for URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_declared_answer_on_every_url(client, request, objects, persona) -> None:
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    else:
        for name in ("manager", "officer", "staff_b", "unit_a_owner", "unit_b_owner", "buyer", "investor"):
            request.getfixturevalue(name)  # the same world exists for every persona
    failures = []
    for name, (kwargs, answers) in MATRIX.items():
        url = reverse(name, kwargs=kwargs(objects))
        expected = answers[persona]
        response = client.get(url)
        got: Any = response.status_code
        if got in (301, 302):
            got = "login" if response["Location"].startswith(reverse("accounts:login")) else "redirect"
        if got != expected:
            failures.append(f"{name} {url}: expected {expected}, got {got}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_only_staff_superusers_reach_the_django_admin(client, manager, unit_a_owner) -> None:
    from .factories import UserFactory

    assert client.get("/admin/").status_code == 302
    client.force_login(manager)
    assert client.get("/admin/").status_code == 302  # estate-company staff are not Django admins
    client.force_login(unit_a_owner)
    assert client.get("/admin/").status_code == 302
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/units/productionunit/").status_code == 200


# --- POST: every state-changing URL × every persona ------------------------------------------------
# The declarations' shape and helpers: tests/matrix_support.py; the declarations: tests/post_matrix_*.py.

# Views that read only: a POST is answered as the GET is and writes nothing.
POST_READS = {
    "home",
    "favicon",
    "accounts:organisations",
    "estates:list",
    "estates:detail",
    "units:list",
    "units:detail",
    "units:claims",
    "units:history",
    "taxonomy:capability_suggest",
    "taxonomy:capability_search",
    "sourcing:request_list",
    "sourcing:request_detail",
    "sourcing:suggestions_progress",
    "sourcing:attachment",
    "sourcing:invitation_list",
    "sourcing:quote_file",
    "sourcing:linkage_list",
    "sourcing:gap_list",
    "sourcing:directory",
    "imports:list",
    "imports:detail",
    "imports:progress",
    "imports:rejects",
}

# The four apps that landed beside the POST matrix (the clinic, investors and land, green estates,
# trade) read-only pages: a POST is answered as the GET is and writes nothing.
POST_READS |= {
    "green:case_list",
    "green:connection_list",
    "green:dashboard",
    "green:link_list",
    "green:listing_list",
    "green:plant_detail",
    "green:plant_list",
    "green:proposal_list",
    "green:test_detail",
    "green:test_list",
    "investment:application_detail",
    "investment:application_list",
    "investment:contract_detail",
    "investment:contract_list",
    "investment:investor_detail",
    "investment:investor_list",
    "investment:land_use",
    "investment:overdue_list",
    "revival:at_risk",
    "revival:case_detail",
    "revival:case_list",
    "revival:figures",
    "revival:returns",
    "trade:captured",
    "trade:chains",
    "trade:export_detail",
    "trade:export_list",
    "trade:hs_suggest",
    "trade:input_list",
    "trade:summary",
}

# The apps that landed beside the POST matrix declare their state-changing URLs in their own modules.
POST_MATRIX: dict[str, PostEntry] = {}
APP_POST_MODULES = (
    post_matrix_core,
    post_matrix_revival,
    post_matrix_investment,
    post_matrix_green,
    post_matrix_trade,
    post_matrix_api,
)
for _module in APP_POST_MODULES:
    POST_MATRIX |= _module.POST


def _answer(response: Any) -> Any:
    got: Any = response.status_code
    if got in (301, 302):
        got = "login" if response["Location"].startswith(reverse("accounts:login")) else "redirect"
    return got


def _sign_in(client: Any, request: Any, persona: str) -> Any:
    for name in ("manager", "officer", "staff_b", "unit_a_owner", "unit_b_owner", "buyer", "investor"):
        request.getfixturevalue(name)  # the same world exists for every persona
    if persona == "anonymous":
        return None
    user = request.getfixturevalue(persona)
    client.force_login(user)
    return user


@pytest.fixture
def post_objects(objects, manager) -> Objects:
    return {**objects, "manager": manager}


def test_every_post_declaration_names_a_url_and_every_persona() -> None:
    assert not [name for name in POST_MATRIX if name not in MATRIX]
    assert not [name for name, entry in POST_MATRIX.items() if set(entry[3]) != set(PERSONAS)]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(POST_MATRIX))
def test_each_persona_posting_a_valid_form_gets_the_declared_answer_and_only_allowed_writes_happen(
    client, request, post_objects, name, persona
) -> None:
    user = _sign_in(client, request, persona)
    kwargs, data, written, answers = POST_MATRIX[name]
    payload = data(post_objects, user or post_objects["manager"])
    with Changes() as changes:
        response = client.post(reverse(name, kwargs=kwargs(post_objects)), payload)
    got, expected = _answer(response), answers[persona]
    if expected == DONE:
        assert got in (200, 201, 204, "redirect"), f"{name} as {persona}: expected the write, got {got}"
        assert written(post_objects, user), f"{name} as {persona}: answered {got} but did not write"
        assert changes.changed(), f"{name} as {persona}: no row of the project's tables changed"
    else:
        assert got == expected, f"{name} as {persona}: expected {expected}, got {got}"
        assert not changes.changed(), f"{name} as {persona}: refused ({got}) but the database changed"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_that_accepts_a_post_is_declared(client, request, objects, persona) -> None:
    """A URL outside POST_MATRIX must refuse POST (405, or the login page first) or be a declared read."""
    _sign_in(client, request, persona)
    failures = []
    for name, (kwargs, answers) in MATRIX.items():
        if name in POST_MATRIX:
            continue
        with Changes() as changes:
            got = _answer(client.post(reverse(name, kwargs=kwargs(objects)), {}))
        if name in POST_READS:
            if got != answers[persona]:
                failures.append(f"{name}: a POST read answers {got}, its GET {answers[persona]}")
        elif got not in (405, "login") or (got == "login" and answers[persona] != "login"):
            failures.append(f"{name}: accepts POST ({got}) without a declaration in POST_MATRIX")
        if changes.changed():
            failures.append(f"{name}: an undeclared POST changed the database")
    assert not failures, "\n".join(failures)
