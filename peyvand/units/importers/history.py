"""Importing the life-cycle history (the ``status_changes`` kind), checked in date order per unit."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.core import limits, permissions
from peyvand.core.jalali import jalali_text
from peyvand.estates.importers import estate_lookup
from peyvand.estates.models import IndustrialEstate
from peyvand.imports import parsing
from peyvand.imports.engine import (
    CREATED,
    UNCHANGED,
    Field,
    Importer,
    Plan,
    Row,
    audit_bulk,
    create_rows,
    events_bulk,
    snapshot,
)

from ..choices import TRANSITIONS, StatusCause, UnitStatus
from ..models import ProductionUnit, StatusChange
from ..services import units_changed
from .common import CAUSE_SYNONYMS, UnitIndex, _find_unit, status_table
from .units import UnitImporter


@dataclass
class HistoryRow:
    row: Row
    unit_id: int
    to_status: str
    date: Any
    from_status: str | None
    cause: str | None
    note: str
    plan: Plan


class StatusChangeImporter(Importer):
    kind = "status_changes"
    label = gettext_lazy("Life-cycle history")
    model = ProductionUnit
    order = 40
    required_columns = [("name", "national_id", "licence_number"), ("to_status",), ("date",)]
    fields = [
        Field(
            "name",
            gettext_lazy("unit"),
            ("نام واحد", "نام واحد تولیدی", "نام شرکت", "واحد", "unit name", "unit", "name"),
        ),
        Field("national_id", gettext_lazy("national ID"), ("شناسه ملی", "national id")),
        Field(
            "licence_number",
            gettext_lazy("industrial licence number"),
            ("شماره پروانه", "licence", "license"),
        ),
        Field("estate", gettext_lazy("Estate"), ("شهرک", "شهرک صنعتی", "ناحیه صنعتی", "estate")),
        Field(
            "from_status",
            gettext_lazy("from"),
            ("وضعیت قبلی", "از وضعیت", "وضعیت قبل", "from status", "previous status"),
        ),
        Field(
            "to_status",
            gettext_lazy("New status"),
            ("وضعیت جدید", "به وضعیت", "وضعیت", "وضعیت بعدی", "to status", "new status", "status"),
        ),
        Field(
            "date",
            gettext_lazy("Date of the change"),
            ("تاریخ", "تاریخ تغییر", "تاریخ تغییر وضعیت", "date", "changed on"),
        ),
        Field("cause", gettext_lazy("Cause"), ("علت", "دلیل", "علت تغییر", "cause", "reason")),
        Field("note", gettext_lazy("Note"), ("توضیحات", "یادداشت", "note", "notes", "comment")),
    ]

    def prepare(self, rows: list[Row]) -> None:
        self.statuses = status_table()
        self.causes = parsing.ChoiceTable(StatusCause, CAUSE_SYNONYMS, noun=_("cause"))
        self.estates = estate_lookup(list(IndustrialEstate.objects.select_related("county")))
        self.index = UnitIndex.load()
        self.names = dict(ProductionUnit.objects.values_list("pk", "name"))
        self.unit_estate = dict(ProductionUnit.objects.values_list("pk", "estate_id"))
        self.allowed_estates = UnitImporter._estate_ids(self, permissions.CHANGE_STATUS, ProductionUnit)
        self.visible_estates = UnitImporter._estate_ids(self, permissions.VIEW, ProductionUnit)

    def check(self, row: Row) -> Plan | None:
        name = row.get("name", parsing.text)
        national_id = row.get("national_id", parsing.company_national_id)
        licence = row.get("licence_number", parsing.identifier)
        estate = row.get("estate", self.estates.find)
        to_status = row.get("to_status", self.statuses, required=True)
        from_status = row.get("from_status", self.statuses)
        date = row.get("date", parsing.date, required=True, today=self.today)
        cause = row.get("cause", self.causes)
        note = row.get("note", parsing.text, max_length=limits.NOTE_LENGTH) or ""
        pk, how = _find_unit(self.index, national_id, licence, estate.pk if estate else None, name)
        if pk is None:
            if how == "ambiguous":
                row.error(
                    "name", _("Several units have this name; add the estate, national ID or licence number.")
                )
            elif how == "conflict":
                row.error(
                    "licence_number", _("The national ID and the licence number belong to different units.")
                )
            elif name or national_id or licence:
                column = "national_id" if national_id else "licence_number" if licence else "name"
                row.error(column, _("No unit in the registry matches this row."))
            return None
        if not UnitImporter._allowed(self, self.visible_estates, self.unit_estate[pk]):
            row.error(None, _("This unit is outside your scope; the row is held for review."))
            return None
        if not UnitImporter._allowed(self, self.allowed_estates, self.unit_estate[pk]):
            row.error(None, _("You may not change the status of units of this estate."))
            return None
        if to_status is None or date is None or not row.ok:
            return None
        plan = Plan(CREATED, self.names.get(pk, ""))
        plan.payload = HistoryRow(row, pk, to_status, date, from_status, cause, note, plan)
        return plan

    def finish(self, checked: list[tuple[Row, Plan | None]]) -> None:
        by_unit: dict[int, list[HistoryRow]] = defaultdict(list)
        for row, plan in checked:
            if plan is not None and row.ok:
                by_unit[plan.payload.unit_id].append(plan.payload)
        self.existing: dict[int, list[StatusChange]] = defaultdict(list)
        for change in StatusChange.objects.filter(unit_id__in=list(by_unit)).order_by("date", "id"):
            self.existing[change.unit_id].append(change)
        self.outcome: dict[int, dict[str, Any]] = {}
        for unit_id, incoming in by_unit.items():
            incoming.sort(key=lambda item: (item.date, item.row.number))
            self.outcome[unit_id] = self._walk(self.existing[unit_id], incoming)

    @staticmethod
    def _label(status: str | None) -> str:
        return str(UnitStatus(status).label) if status else "—"

    def _accept_row(self, item: HistoryRow, state: str | None) -> bool:
        """Check one incoming record against the state the unit is in at its date."""
        row = item.row
        if state is None:
            if item.from_status:
                row.error(
                    "from_status",
                    _("This is the first record of the unit's history, so it has no previous status."),
                )
                return False
            return True
        if item.from_status and item.from_status != state:
            row.error(
                "from_status",
                _("On %(date)s the unit was “%(state)s”, not “%(given)s”.")
                % {
                    "date": jalali_text(item.date),
                    "state": self._label(state),
                    "given": self._label(item.from_status),
                },
            )
            return False
        if item.cause == StatusCause.INITIAL:
            row.error("cause", _("Only the first record of a unit's history is its initial record."))
            return False
        if item.to_status not in TRANSITIONS.get(state, frozenset()):
            row.error(
                "to_status",
                _("A unit cannot go from “%(from)s” to “%(to)s” (%(date)s).")
                % {
                    "from": self._label(state),
                    "to": self._label(item.to_status),
                    "date": jalali_text(item.date),
                },
            )
            return False
        return True

    def _walk_from(
        self, state: str | None, last_date: Any, items: list[HistoryRow]
    ) -> list[tuple[HistoryRow, str | None]]:
        """Accept the records that follow from ``state`` in date order; reject the others by name."""
        accepted: list[tuple[HistoryRow, str | None]] = []
        for item in items:
            if last_date is not None and item.date < last_date:
                item.row.error(
                    "date",
                    _(
                        "%(date)s is before the unit's last recorded change (%(last)s, “%(status)s”); history can only be added after it."
                    )
                    % {
                        "date": jalali_text(item.date),
                        "last": jalali_text(last_date),
                        "status": self._label(state),
                    },
                )
            elif item.from_status and state and item.from_status != state:
                self._accept_row(item, state)  # names the status the unit was really in
            elif item.to_status == state:
                item.plan.action = UNCHANGED
                item.row.warn(
                    "to_status", _("The unit is already “%(status)s”.") % {"status": self._label(state)}
                )
            elif self._accept_row(item, state):
                accepted.append((item, state))
                state = item.to_status
        return accepted

    def _walk(self, existing: list[StatusChange], incoming: list[HistoryRow]) -> dict[str, Any]:
        """Decide each incoming record's fate; return what to write for the unit."""
        stored = {(change.date, change.to_status) for change in existing}
        fresh = []
        for item in incoming:
            if (item.date, item.to_status) in stored:
                item.plan.action = UNCHANGED
            else:
                fresh.append(item)
        initial = existing[0] if len(existing) == 1 else None
        prepend = not existing or (initial is not None and fresh and fresh[0].date < initial.date)
        if not prepend:
            last = existing[-1]
            return {
                "accepted": self._walk_from(last.to_status, last.date, fresh),
                "relink": None,
                "drop": None,
            }
        # The unit's only record is its initial one (or it has none): earlier history may come before it.
        earlier = [item for item in fresh if initial is None or item.date < initial.date]
        later = [item for item in fresh if initial is not None and item.date >= initial.date]
        before = self._walk_from(None, None, earlier)
        relink = drop = None
        if initial is not None and before:
            previous = before[-1][0].to_status
            if previous == initial.to_status:
                drop = initial  # the file shows the unit in that status already before the stored record
            elif initial.to_status in TRANSITIONS.get(previous, frozenset()):
                relink = (initial, previous)
            else:
                for item, _state in before:
                    item.row.error(
                        "to_status",
                        _(
                            "The history in the file before %(date)s does not lead to the recorded status “%(status)s”."
                        )
                        % {"date": jalali_text(initial.date), "status": self._label(initial.to_status)},
                    )
                before = []
        state = initial.to_status if initial is not None else (before[-1][0].to_status if before else None)
        last_date = initial.date if initial is not None else None
        return {"accepted": before + self._walk_from(state, last_date, later), "relink": relink, "drop": drop}

    def write(self, plans: list[Plan]) -> None:
        by = self.user if getattr(self.user, "is_authenticated", False) else None
        writing = {id(plan.payload) for plan in plans}
        created: list[StatusChange] = []
        relinked: list[tuple[StatusChange, StatusChange]] = []
        dropped: list[StatusChange] = []
        for unit_id, result in self.outcome.items():
            accepted = [(item, state) for item, state in result["accepted"] if id(item) in writing]
            if not accepted:
                continue
            for item, state in accepted:
                first = state is None
                created.append(
                    StatusChange(
                        unit_id=unit_id,
                        from_status=state,
                        to_status=item.to_status,
                        date=item.date,
                        cause=item.cause or (StatusCause.INITIAL if first else StatusCause.OTHER),
                        note=item.note,
                        by=by,
                    )
                )
            if result["relink"]:
                change, previous = result["relink"]
                before = snapshot(change)
                change.from_status = previous
                if change.cause == StatusCause.INITIAL:
                    change.cause = StatusCause.OTHER
                relinked.append((before, change))
            if result["drop"]:
                dropped.append(result["drop"])
        create_rows(StatusChange, created)
        if relinked:
            StatusChange.objects.bulk_update([after for _before, after in relinked], ["from_status", "cause"])
        if dropped:
            audit_bulk(deleted=dropped)
            StatusChange.objects.filter(pk__in=[change.pk for change in dropped]).delete()
        # The unit's status is its last record's, whatever order the records arrived in.
        touched = {change.unit_id for change in created}
        latest: dict[int, tuple[str, Any]] = {}
        for unit_id, status, date in (
            StatusChange.objects.filter(unit_id__in=touched)
            .order_by("unit_id", "date", "id")
            .values_list("unit_id", "to_status", "date")
        ):
            latest[unit_id] = (status, date)
        stored = ProductionUnit.objects.in_bulk(list(touched))
        unit_pairs = []
        for unit_id, (status, since) in latest.items():
            unit = stored[unit_id]
            if (unit.status, unit.status_since) != (status, since):
                before = snapshot(unit)
                unit.status, unit.status_since = status, since
                unit_pairs.append((before, unit))
        ProductionUnit.objects.bulk_update(
            [unit for _before, unit in unit_pairs], ["status", "status_since"], batch_size=500
        )
        audit_bulk(created=created, updated=relinked + unit_pairs)
        units_changed(touched, reason="history import")
        events_bulk(
            [
                (
                    stored[change.unit_id],
                    "units.status.changed",
                    {
                        "from": change.from_status,
                        "to": change.to_status,
                        "date": change.date.isoformat(),
                        "cause": change.cause,
                        "note": change.note,
                    },
                )
                for change in created
            ]
        )
