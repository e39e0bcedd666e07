"""Rows and outcomes: a data row's cells and issues, the plan checking makes, the result of a run."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.core import limits

from .. import parsing

CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"
ACTIONS = (CREATED, UPDATED, UNCHANGED, REJECTED)
ACTION_LABELS = {
    CREATED: gettext_lazy("Created"),
    UPDATED: gettext_lazy("Updated"),
    UNCHANGED: gettext_lazy("Unchanged"),
    REJECTED: gettext_lazy("Rejected"),
}
ERROR, WARNING = "error", "warning"


@dataclass
class Issue:
    row: int
    column: str
    value: str
    message: str
    level: str = ERROR

    def as_list(self) -> list[Any]:
        return [self.row, self.column, self.value, self.message, self.level]


class Row:
    """One data row: its cells by field, and the issues found while reading it."""

    def __init__(
        self,
        number: int,
        cells: dict[str, tuple[Any, str]],
        bad: dict[str, str],
        values: list[Any],
    ) -> None:
        self.number = number
        self.cells = cells  # field → (raw value, column label)
        self.bad = bad  # field → "formula" | Excel error text
        self.values = values
        self.issues: list[Issue] = []

    def __repr__(self) -> str:
        return f"<Row {self.number}>"

    def mapped(self, name: str) -> bool:
        return name in self.cells

    def has(self, name: str) -> bool:
        return name in self.bad or (name in self.cells and not parsing.is_blank(self.cells[name][0]))

    def raw(self, name: str) -> Any:
        return self.cells[name][0] if name in self.cells else None

    def column(self, name: str) -> str:
        return self.cells[name][1] if name in self.cells else ""

    def get(
        self, name: str, parser: Callable[..., Any] | None = None, *, required: bool = False, **options: Any
    ) -> Any:
        """The parsed value of a field's cell, or None (an issue is recorded when it cannot be read)."""
        if name in self.bad:
            problem = self.bad[name]
            if problem == "formula":
                message = _(
                    "The cell holds a formula whose result was never saved. Open the file in Excel, "
                    "save it and import it again, or type the value."
                )
            else:
                message = _("The cell shows the error %(error)s.") % {"error": problem}
            self.error(name, message, value=problem if problem != "formula" else "=…")
            return None
        raw = self.raw(name)
        if parsing.is_blank(raw):
            if required:
                self.error(name, _("This cell is empty; a value is needed."))
            return None
        if parser is None:  # free text: as long as a description may be
            parser, options = parsing.text, {"max_length": limits.TEXT_LENGTH, **options}
        try:
            value = parser(raw, **options)
        except parsing.CellError as error:
            self.error(name, str(error))
            return None
        if isinstance(value, parsing.Noted):  # read, with a guess the user should check
            self.warn(name, value.note)
            return value.value
        return value

    def error(self, name: str | None, message: str, *, value: Any = None) -> None:
        self._add(name, message, value, ERROR)

    def warn(self, name: str | None, message: str, *, value: Any = None) -> None:
        self._add(name, message, value, WARNING)

    def _add(self, name: str | None, message: str, value: Any, level: str) -> None:
        column = self.column(name) if name else ""
        if value is None and name:
            value = self.raw(name)
        self.issues.append(Issue(self.number, column, parsing.display(value), str(message), level))

    @property
    def ok(self) -> bool:
        return not any(issue.level == ERROR for issue in self.issues)


@dataclass
class Plan:
    """What checking a row decided: the action, a label for people, changed fields, the kind's payload."""

    action: str
    label: str = ""
    changes: list[str] = field(default_factory=list)
    payload: Any = None


@dataclass
class RowResult:
    number: int
    action: str
    label: str
    changes: list[str]
    issues: list[Issue]

    def as_list(self) -> list[Any]:
        return [self.number, self.action, self.label, "، ".join(self.changes)]


@dataclass
class Outcome:
    """The result of a run: per-row results, all issues, counts, whether anything was written."""

    kind: str
    mode: str  # "dry", "all" or "valid"
    rows: list[RowResult] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    applied: bool = False
    message: str = ""
    # The check's work (``running.Checked``), for an apply in this process to write without a second check.
    checked: Any = field(default=None, repr=False, compare=False)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTIONS, 0)
        for row in self.rows:
            counts[row.action] += 1
        return counts

    @property
    def issues(self) -> list[Issue]:
        return [issue for row in self.rows for issue in row.issues]

    @property
    def rejected(self) -> list[RowResult]:
        return [row for row in self.rows if row.action == REJECTED]

    def as_json(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "applied": self.applied,
            "headers": self.headers,
            "rows": [row.as_list() for row in self.rows],
            "issues": [issue.as_list() for issue in self.issues],
        }


def summary_text(counts: dict[str, int]) -> str:
    return _("created %(created)d, updated %(updated)d, unchanged %(unchanged)d, rejected %(rejected)d") % {
        action: counts.get(action, 0) for action in ACTIONS
    }


_NUMBER_IN_TEXT = re.compile(r"^\s*([\d۰-۹٠-٩][\d۰-۹٠-٩.\s\-]*)")


def leading_code(value: Any) -> Any:
    """``"1061 - آسیاب غلات"`` → ``"1061"``; other values unchanged (codes are often pasted with names)."""
    if isinstance(value, str):
        match = _NUMBER_IN_TEXT.match(value)
        if match and match.group(1).strip() != value.strip():
            return match.group(1).strip(" -")
    return value
