"""Print the shape of the house: files and lines per app, the longest functions, the most complex ones, and
the import arrows between apps that go upward (against the layers of tests/test_layering.py).

Usage: python scripts/house_report.py [--top N] [--over C] [package-dir]

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
from collections import defaultdict
from dataclasses import dataclass
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", nargs="?", default="peyvand")
    parser.add_argument("--top", type=int, default=10, help="how many of the longest functions to list")
    parser.add_argument("--over", type=int, default=12, help="list functions whose complexity exceeds this")
    args = parser.parse_args()

    package = Path(args.package).resolve()
    root = package.parent
    files = _python_files(package)
    per_app: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    functions: list[FunctionShape] = []
    big_files: list[tuple[int, str]] = []
    layers = _layers(root)
    upward: set[tuple[str, str, str]] = set()
    for path in files:
        lines = len(path.read_text(encoding="utf-8").splitlines())
        app = _app_of(path, package)
        per_app[app][0] += 1
        per_app[app][1] += lines
        if lines > 800:
            big_files.append((lines, str(path.relative_to(root))))
        functions.extend(_functions(path, root))
        if app in layers:
            upward.update(
                (app, target, f"{path.relative_to(root)}:{line}")
                for line, target in _imported_apps(path, package)
                if target != app and target in layers and target not in layers[app]
            )

    print(f"Files and lines per app ({package.name}/, .py without migrations)")
    print(f"  {'app':<16}{'files':>7}{'lines':>9}")
    for app, (count, lines) in sorted(per_app.items(), key=lambda item: -item[1][1]):
        print(f"  {app:<16}{count:>7}{lines:>9}")
    total_files = sum(v[0] for v in per_app.values())
    total_lines = sum(v[1] for v in per_app.values())
    print(f"  {'total':<16}{total_files:>7}{total_lines:>9}")

    print("\nFiles over 800 lines")
    for lines, name in sorted(big_files, reverse=True) or [(0, "(none)")]:
        print(f"  {lines:>6}  {name}" if lines else f"  {name}")

    print(f"\nThe {args.top} longest functions (lines, complexity)")
    for shape in sorted(functions, key=lambda s: -s.length)[: args.top]:
        print(f"  {shape.length:>5} {shape.complexity:>4}  {shape.path}:{shape.line} {shape.name}")

    print("\nImport arrows between apps that go upward (tests/test_layering.py's layers)")
    if not layers:
        print("  (no layering table found)")
    arrows: dict[tuple[str, str], list[str]] = defaultdict(list)
    for app, target, where in sorted(upward):
        arrows[(app, target)].append(where)
    for (app, target), places in sorted(arrows.items()):
        print(f"  {app} → {target}: {len(places)} import(s), e.g. {places[0]}")
    if layers and not arrows:
        print("  (none)")

    over = sorted((s for s in functions if s.complexity > args.over), key=lambda s: -s.complexity)
    print(f"\nFunctions over McCabe complexity {args.over}: {len(over)}")
    for shape in over:
        print(f"  {shape.complexity:>4} {shape.length:>5}  {shape.path}:{shape.line} {shape.name}")


if __name__ == "__main__":
    main()
