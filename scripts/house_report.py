"""Print the shape of the house: files and lines per app, the longest functions, the most complex ones, and
the import arrows between apps that go upward (against the layers of tests/test_layering.py).

Usage: python scripts/house_report.py [--top N] [--over C] [--rev REV ...] [package-dir]

With ``--rev REV`` it reports that git revision instead of the working tree (``git archive`` into a
temporary directory); given twice or more (``--rev fac03f1 --rev HEAD``; ``.`` is the working tree) it
prints the revisions' figures side by side, then each one's lists. Upward arrows are always judged by the
working tree's layering table, so before and after are measured by the same rule. The mypy baseline is
the number of modules in pyproject.toml's ``ignore_errors`` overrides.

Counts every .py file under the package (migrations apart, they are generated). "Lines" are physical
lines; a function's length runs from its `def` (decorators included) to its last line. Complexity is
McCabe's, counted the way ruff's C901 counts it (each if/elif, loop, except and match case adds one;
expressions add nothing), so the list matches what `ruff check --select C901` reports. An arrow is an
import (anywhere in a module) of another app; it goes upward when the layering table (``ALLOWED`` in
tests/test_layering.py, read as text: no project code is imported) does not allow it.
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import tempfile
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class FunctionShape:
    """One function or method: where it is, how long, how many paths."""

    path: str
    name: str
    line: int
    length: int
    complexity: int


def _complexity(statements: list[ast.stmt]) -> int:
    """Decision points among ``statements``, counted as ruff's C901 (mccabe) counts them.

    Each ``if``/``elif``, loop, ``except`` clause, ``try``'s ``else``, ``match`` case and nested function adds
    one; expressions (boolean operators, comprehensions, conditional expressions) add nothing.
    """
    count = 0
    for node in statements:
        if isinstance(node, ast.If):
            count += 1 + _complexity(node.body)
            orelse = node.orelse
            while len(orelse) == 1 and isinstance(orelse[0], ast.If):  # an elif
                count += 1 + _complexity(orelse[0].body)
                orelse = orelse[0].orelse
            count += _complexity(orelse)
        elif isinstance(node, ast.For | ast.AsyncFor | ast.While):
            count += 1 + _complexity(node.body) + _complexity(node.orelse)
        elif isinstance(node, ast.With | ast.AsyncWith):
            count += _complexity(node.body)
        elif isinstance(node, ast.Match):
            count += sum(1 + _complexity(case.body) for case in node.cases)
        elif isinstance(node, ast.Try | ast.TryStar):
            count += _complexity(node.body) + _complexity(node.orelse) + _complexity(node.finalbody)
            count += (1 if node.orelse else 0) + sum(1 + _complexity(h.body) for h in node.handlers)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            count += 1 + _complexity(node.body)
        elif isinstance(node, ast.ClassDef):
            count += _complexity(node.body)
    return count


def _functions(path: Path, root: Path) -> list[FunctionShape]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    shapes: list[FunctionShape] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                start = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                end = child.end_lineno or child.lineno
                shapes.append(
                    FunctionShape(
                        path=str(path.relative_to(root)),
                        name=f"{prefix}{child.name}",
                        line=child.lineno,
                        length=end - start + 1,
                        complexity=1 + _complexity(child.body),
                    )
                )
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")

    visit(tree, "")
    return shapes


def _names(node: ast.expr, sets: dict[str, set[str]]) -> set[str]:
    """The app names a layering expression stands for: ``{"a", "b"}``, a named set, ``A | B``."""
    if isinstance(node, ast.Set):
        return {str(element.value) for element in node.elts if isinstance(element, ast.Constant)}
    if isinstance(node, ast.Name):
        return sets.get(node.id, set())
    if isinstance(node, ast.BinOp):
        return _names(node.left, sets) | _names(node.right, sets)
    return set()  # set(): nothing


def _layers(root: Path) -> dict[str, set[str]]:
    """The apps each app may import, from tests/test_layering.py's ``ALLOWED`` and its named sets."""
    source = root / "tests" / "test_layering.py"
    if not source.exists():
        return {}
    sets: dict[str, set[str]] = {}
    allowed: dict[str, set[str]] = {}
    target: ast.expr
    for statement in ast.parse(source.read_text(encoding="utf-8")).body:
        if isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, assigned = statement.target, statement.value
        elif isinstance(statement, ast.Assign):
            target, assigned = statement.targets[0], statement.value
        else:
            continue
        if not isinstance(target, ast.Name):
            continue
        if target.id == "ALLOWED" and isinstance(assigned, ast.Dict):
            allowed = {
                str(key.value): _names(item, sets)
                for key, item in zip(assigned.keys, assigned.values, strict=True)
                if isinstance(key, ast.Constant)
            }
        elif target.id.isupper():
            sets[target.id] = _names(assigned, sets)
    return allowed


def _imported_apps(path: Path, package: Path) -> list[tuple[int, str]]:
    """``(line, app)`` of every import of a project app in ``path`` (relative imports resolved)."""
    parts = list(path.relative_to(package.parent).with_suffix("").parts)[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        names: list[str] = []
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = ".".join(parts[: len(parts) - node.level + 1])
                module = f"{base}.{module}" if module else base
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
        for name in names:
            dotted = name.split(".")
            if dotted[0] == package.name and len(dotted) > 1 and (package / dotted[1]).is_dir():
                found.append((line, dotted[1]))
    return found


def _python_files(package: Path) -> list[Path]:
    return sorted(p for p in package.rglob("*.py") if "migrations" not in p.parts and "static" not in p.parts)


def _app_of(path: Path, package: Path) -> str:
    parts = path.relative_to(package).parts
    return parts[0] if len(parts) > 1 else "(project)"


def _mypy_baseline(root: Path) -> int | None:
    """Modules mypy is told to ignore (the baseline); ``None`` when the revision has no mypy at all."""
    pyproject = root / "pyproject.toml"
    if not pyproject.exists():
        return None
    config = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("mypy")
    if config is None:
        return None
    modules = 0
    for override in config.get("overrides", []):
        if override.get("ignore_errors"):
            listed = override.get("module", [])
            modules += 1 if isinstance(listed, str) else len(listed)
    return modules


@dataclass
class House:
    """The measured shape of one revision."""

    name: str
    per_app: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    functions: list[FunctionShape] = field(default_factory=list)
    big_files: list[tuple[int, str]] = field(default_factory=list)
    arrows: Counter[tuple[str, str]] = field(default_factory=Counter)  # (app, imported app) → imports
    upward: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    baseline: int | None = None

    @property
    def files(self) -> int:
        return sum(count for count, _lines in self.per_app.values())

    @property
    def lines(self) -> int:
        return sum(lines for _count, lines in self.per_app.values())

    def over(self, cap: int) -> list[FunctionShape]:
        return sorted((s for s in self.functions if s.complexity > cap), key=lambda s: -s.complexity)


def measure(name: str, package: Path, layers: dict[str, set[str]]) -> House:
    root = package.parent
    house = House(name=name, baseline=_mypy_baseline(root))
    for path in _python_files(package):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        app = _app_of(path, package)
        house.per_app[app][0] += 1
        house.per_app[app][1] += lines
        if lines > 800:
            house.big_files.append((lines, str(path.relative_to(root))))
        house.functions.extend(_functions(path, root))
        for line, target in sorted(set(_imported_apps(path, package))):  # one per import statement
            if target == app or app == "(project)":
                continue
            house.arrows[(app, target)] += 1
            if app in layers and target in layers and target not in layers[app]:
                house.upward[(app, target)].append(f"{path.relative_to(root)}:{line}")
    return house


@contextmanager
def checked_out(revision: str, package: str) -> Iterator[Path]:
    """The package directory of ``revision`` (``.``: the working tree), from ``git archive``."""
    if revision == ".":
        yield Path(package).resolve()
        return
    with tempfile.TemporaryDirectory(prefix="house-") as tmp:
        archive = subprocess.run(  # noqa: S603 — git with our own arguments
            ["git", "archive", "--format=tar", revision, package, "pyproject.toml"],  # noqa: S607
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)  # noqa: S603, S607
        yield Path(tmp) / package


def _print_side_by_side(houses: list[House], cap: int) -> None:
    width = max(12, *(len(h.name) + 2 for h in houses))
    print("Files / lines per app (.py without migrations)")
    print(f"  {'app':<16}" + "".join(f"{h.name:>{width}}" for h in houses))
    apps = sorted(
        {app for h in houses for app in h.per_app}, key=lambda a: -houses[-1].per_app.get(a, [0, 0])[1]
    )
    for app in apps:
        cells = (f"{h.per_app[app][0]}/{h.per_app[app][1]}" if app in h.per_app else "—" for h in houses)
        print(f"  {app:<16}" + "".join(f"{cell:>{width}}" for cell in cells))
    rows = [
        ("total files", [str(h.files) for h in houses]),
        ("total lines", [str(h.lines) for h in houses]),
        ("files > 800 l.", [str(len(h.big_files)) for h in houses]),
        ("arrows (pairs)", [str(len(h.arrows)) for h in houses]),
        ("upward arrows", [str(len(h.upward)) for h in houses]),
        (f"complexity>{cap}", [str(len(h.over(cap))) for h in houses]),
        ("longest fn", [str(max((s.length for s in h.functions), default=0)) for h in houses]),
        ("mypy baseline", ["—" if h.baseline is None else str(h.baseline) for h in houses]),
    ]
    for label, cells in rows:
        print(f"  {label:<16}" + "".join(f"{cell:>{width}}" for cell in cells))


def _print_house(house: House, top: int, cap: int, layers: dict[str, set[str]]) -> None:
    print(f"\n=== {house.name} ===")
    print(f"Files and lines per app: {house.files} files, {house.lines} lines")
    for app, (count, lines) in sorted(house.per_app.items(), key=lambda item: -item[1][1]):
        print(f"  {app:<16}{count:>7}{lines:>9}")
    print("Files over 800 lines")
    for lines, name in sorted(house.big_files, reverse=True) or [(0, "(none)")]:
        print(f"  {lines:>6}  {name}" if lines else f"  {name}")
    print(f"The {top} longest functions (lines, complexity)")
    for shape in sorted(house.functions, key=lambda s: -s.length)[:top]:
        print(f"  {shape.length:>5} {shape.complexity:>4}  {shape.path}:{shape.line} {shape.name}")
    print("Imports between apps (app → the apps it imports, with the number of imports)")
    targets: dict[str, list[str]] = defaultdict(list)
    for (app, target), count in sorted(house.arrows.items()):
        targets[app].append(f"{target} {count}")
    for app, named in sorted(targets.items()):
        print(f"  {app:<14}→ {', '.join(named)}")
    print("Import arrows that go upward (the working tree's tests/test_layering.py layers)")
    if not layers:
        print("  (no layering table found)")
    for (app, target), places in sorted(house.upward.items()):
        print(f"  {app} → {target}: {len(places)} import(s), e.g. {places[0]}")
    if layers and not house.upward:
        print("  (none)")
    over = house.over(cap)
    print(f"Functions over McCabe complexity {cap}: {len(over)}")
    for shape in over:
        print(f"  {shape.complexity:>4} {shape.length:>5}  {shape.path}:{shape.line} {shape.name}")
    print("mypy baseline: " + ("no mypy" if house.baseline is None else f"{house.baseline} modules"))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("package", nargs="?", default="peyvand")
    parser.add_argument("--top", type=int, default=10, help="how many of the longest functions to list")
    parser.add_argument("--over", type=int, default=12, help="list functions whose complexity exceeds this")
    parser.add_argument(
        "--rev",
        action="append",
        default=[],
        help="a git revision to report (again for side by side; . = here)",
    )
    args = parser.parse_args()

    layers = _layers(Path(args.package).resolve().parent)
    houses = []
    for revision in args.rev or ["."]:
        with checked_out(revision, args.package) as package:
            houses.append(measure("working tree" if revision == "." else revision, package, layers))
    if len(houses) > 1:
        _print_side_by_side(houses, args.over)
    for house in houses:
        _print_house(house, args.top, args.over, layers)


if __name__ == "__main__":
    main()
