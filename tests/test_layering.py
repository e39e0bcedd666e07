"""Arrows point one way (ARCHITECTURE.md): each app imports only the apps below it.

Read from the source with ``ast`` (every ``import``, at the top of a module or inside a function, and
those under ``TYPE_CHECKING`` too), so an upward import fails here before it tangles the house. A new
app is declared below with the apps it may import. Templates are read too: an app's templates may
``{% load %}`` the tag libraries, and ``{% include %}`` or ``{% extends %}`` the templates, only of the
apps it may import.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "peyvand"

# The mechanisms every domain app builds on: the engine-as-a-library, the shared mechanisms, who is who,
# the classifications, the messages to people, and the one import engine.
MATCHING = {"matching"}
CORE = MATCHING | {"core"}
# The API's mechanisms (tokens, problem details, paging); each app registers its own resources with it.
API = CORE | {"api"}
FOUNDATION = API | {"accounts", "taxonomy", "notifications", "imports"}
REGISTRY = FOUNDATION | {"estates", "units"}
DOMAIN = REGISTRY | {"sourcing", "revival", "investment", "trade", "green"}

ALLOWED: dict[str, set[str]] = {
    "matching": set(),  # a library: imports nothing of the project
    "core": MATCHING,  # mechanisms that know no domain
    "api": CORE,  # knows no domain: the apps' api.py modules register with it
    "accounts": API,
    "taxonomy": CORE,
    "notifications": CORE | {"accounts"},
    "imports": CORE | {"accounts"},
    "estates": FOUNDATION,  # an estate's units are drawn by ``units`` through ``estates.extensions``
    "units": FOUNDATION | {"estates"},
    "sourcing": REGISTRY,
    "revival": REGISTRY | {"sourcing"},
    "investment": REGISTRY | {"sourcing"},
    "trade": REGISTRY | {"sourcing"},
    "green": REGISTRY,
    "insights": DOMAIN,  # reads every domain app; nothing imports insights
    "demo": DOMAIN,  # seeds every domain app (the KPI window comes from core, not insights)
}


def apps() -> list[str]:
    return sorted(path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists())


def imported_modules(path: Path, root: Path | None = None) -> list[tuple[int, str]]:
    """``(line, dotted module)`` of every import in ``path`` (a file under ``root``), relative ones resolved."""
    package = list(path.relative_to(root or PACKAGE.parent).with_suffix("").parts)[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            prefix = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1])
                prefix = f"{base}.{node.module}" if node.module else base
            found += [(node.lineno, prefix)] + [
                (node.lineno, f"{prefix}.{alias.name}") for alias in node.names
            ]
    return found


def _app_of(target: str) -> str | None:
    parts = target.split(".")
    return parts[1] if parts[0] == "peyvand" and len(parts) > 1 and parts[1] in ALLOWED else None


def upward_imports(app: str) -> list[str]:
    """``file:line imports module`` for each import of a project app ``app`` may not import."""
    allowed = ALLOWED[app] | {app}
    problems = []
    for path in sorted((PACKAGE / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue  # migrations name other apps' models by label, as Django requires
        for line, target in imported_modules(path):
            if _app_of(target) is not None and _app_of(target) not in allowed:
                problems.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}")
    return sorted(set(problems))


def test_every_app_has_its_place_in_the_layers() -> None:
    assert sorted(ALLOWED) == apps(), "declare a new app in ALLOWED with the apps it may import"


def test_the_allowed_imports_have_no_cycle() -> None:
    def reaches(start: str, goal: str, seen: frozenset[str] = frozenset()) -> bool:
        return any(
            below == goal or (below not in seen and reaches(below, goal, seen | {below}))
            for below in ALLOWED[start]
        )

    assert [app for app in ALLOWED if reaches(app, app)] == []


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_no_app_imports_an_app_above_it(app: str) -> None:
    assert upward_imports(app) == []


def test_core_imports_no_domain_app() -> None:
    """``core`` keeps only mechanisms that know no domain: not even ``accounts`` (issue 19)."""
    domain = set(ALLOWED) - {"core", "matching"}
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}"
        for path in sorted((PACKAGE / "core").rglob("*.py"))
        for line, target in imported_modules(path)
        if _app_of(target) in domain
    ]
    assert found == []


def test_the_checker_sees_imports_inside_functions_and_relative_ones(tmp_path: Path) -> None:
    """The tests above would pass on a checker that sees nothing: show it what it must catch."""
    module = tmp_path / "peyvand" / "core" / "imports" / "engine.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "from . import rows\n"
        "from ...units.models import ProductionUnit\n"
        "if TYPE_CHECKING:\n"
        "    from peyvand.insights import kpis\n"
        "def run():\n"
        "    from peyvand.accounts.models import Organisation\n"
        "    import peyvand.estates.models\n",
        encoding="utf-8",
    )
    apps_seen = {_app_of(target) for _line, target in imported_modules(module, tmp_path)} - {None}
    assert apps_seen == {"core", "units", "insights", "accounts", "estates"}


# --- templates -------------------------------------------------------------------------------------
_TEMPLATE_TAG = re.compile(r"\{%\s*(load|include|extends)\s+(.*?)\s*%\}", re.DOTALL)


def tag_libraries() -> dict[str, str]:
    """The app of each of the project's template tag libraries (``<app>/templatetags/<library>.py``)."""
    return {
        path.stem: path.parent.parent.name
        for path in PACKAGE.glob("*/templatetags/*.py")
        if path.stem != "__init__"
    }


def template_references(path: Path, libraries: dict[str, str]) -> list[tuple[int, str, str]]:
    """``(line, what, app)`` of each ``{% load %}`` of a project tag library in ``path`` and each
    ``{% include %}`` / ``{% extends %}`` of an app's template (named ``"<app>/…"``)."""
    text = path.read_text(encoding="utf-8")
    found = []
    for match in _TEMPLATE_TAG.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        tag, arguments = match.groups()
        words = arguments.split()
        if tag == "load":
            names = words[-1:] if "from" in words else words  # {% load tag_a tag_b from library %}
            found += [(line, f"loads {name}", libraries[name]) for name in names if name in libraries]
            continue
        name = words[0].strip("\"'")
        if "/" in name and name.split("/")[0] in ALLOWED:  # a literal name; a variable one is not seen
            found.append((line, f"{tag}s {name}", name.split("/")[0]))
    return found


def upward_template_references(app: str) -> list[str]:
    allowed = ALLOWED[app] | {app}
    libraries = tag_libraries()
    return sorted(
        f"{path.relative_to(PACKAGE.parent)}:{line} {what}"
        for path in sorted((PACKAGE / app).glob("templates/**/*.html"))
        for line, what, target in template_references(path, libraries)
        if target not in allowed
    )


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_no_app_template_loads_or_includes_an_app_above_it(app: str) -> None:
    assert upward_template_references(app) == []


def test_the_template_checker_sees_loads_includes_and_extends(tmp_path: Path) -> None:
    """The test above would pass on a checker that sees nothing: show it what it must catch."""
    template = tmp_path / "estate_detail.html"
    template.write_text(
        '{% extends "units/base.html" %}{% load i18n trade %}\n'
        "{% load estate_plants from green %}\n"
        "{% include 'insights/_map.html' with estate=estate %}{% include panel.template %}\n"
        '{% include "includes/pagination.html" %}{% include "core/timeline.html" %}\n',
        encoding="utf-8",
    )
    libraries = {"trade": "trade", "green": "green", "peyvand": "core"}
    assert [(line, app) for line, _what, app in template_references(template, libraries)] == [
        (1, "units"),
        (1, "trade"),
        (2, "green"),
        (3, "insights"),
        (4, "core"),
    ]
