"""Import a sheet from the command line through the same engine as the web pages.

    manage.py import_data units sheet.xlsx                    # dry run: checks every row, writes nothing
    manage.py import_data units sheet.xlsx --apply            # all rows or nothing
    manage.py import_data units sheet.xlsx --apply-valid --report rejected.xlsx

Exit code 0 when no row was rejected, 1 when some were, 2 when the file or the arguments are unusable.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from peyvand.accounts.acting import acting_company
from peyvand.imports import engine, services
from peyvand.imports.models import ImportBatch, ImportMapping
from peyvand.imports.progress import Progress
from peyvand.imports.rejects import rejects_workbook

SHOWN_ISSUES = 25


class Command(BaseCommand):
    help = (
        "Import estates, plots, units or status changes from an xlsx or csv file (a dry run unless --apply)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="estates, plots, units or status_changes")
        parser.add_argument("file", help="an .xlsx or .csv file")
        parser.add_argument("--mapping", help="name of a saved column mapping for this kind")
        parser.add_argument(
            "--header-row", type=int, help="row number of the column titles (found by itself)"
        )
        parser.add_argument("--sheet", default="", help="sheet name (the first sheet by default)")
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--apply", action="store_true", help="write every row, or nothing if any is rejected"
        )
        group.add_argument(
            "--apply-valid", action="store_true", help="write the valid rows, reject the others"
        )
        parser.add_argument("--report", help="write the rejected rows and their reasons to this .xlsx file")
        parser.add_argument("--lang", choices=["fa", "en"], default="fa", help="language of the messages")
        parser.add_argument("--user", help="username to act as (permissions and audit trail)")
        parser.add_argument("--save-mapping", help="save the mapping used under this name")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"]):
            try:
                outcome = self._run(options)
            except engine.FileProblem as problem:
                raise CommandError(str(problem), returncode=2) from None
        if outcome.counts[engine.REJECTED]:
            sys.exit(1)

    def _run(self, options: dict[str, Any]) -> engine.Outcome:
        """The pages' steps, through the same services: keep the file as a batch, map its columns, check
        it, and apply it when asked (claimed first, written in one transaction)."""
        _ = translation.gettext
        path = Path(options["file"])
        if not path.is_file():
            raise engine.FileProblem(_("There is no file at %(path)s.") % {"path": path})
        engine.check_size(path.stat().st_size)
        importer_class = engine.get_importer(options["kind"])
        user = self._user(options.get("user"))
        if not services.may_import(user, importer_class):
            raise engine.FileProblem(
                _("%(user)s may not import %(kind)s.") % {"user": user, "kind": importer_class.label}
            )
        data = path.read_bytes()
        sheet = engine.read_sheet(data, path.name, options["sheet"])
        header_index = self._header_index(options.get("header_row"), importer_class, sheet)
        headers = sheet.rows[header_index] if header_index < len(sheet.rows) else []
        template = None
        if options.get("mapping"):
            template = ImportMapping.objects.filter(kind=importer_class.kind, name=options["mapping"]).first()
            if template is None:
                raise engine.FileProblem(
                    _("There is no saved mapping “%(name)s” for this kind of data.")
                    % {"name": options["mapping"]}
                )
            mapping = engine.mapping_from_template(template, headers)
        else:
            mapping = engine.guess_mapping(importer_class, headers)
        self._show_mapping(importer_class, headers, mapping, header_index)
        missing = importer_class.missing_columns(mapping)
        if missing:
            raise engine.FileProblem(
                _("Map a column to: %(fields)s.") % {"fields": engine.join_list(missing)}
            )
        batch = services.create_batch(
            importer_class.kind,
            data,
            path.name,
            user=user,
            company=acting_company(user),
            sheet=sheet.name if engine.file_format(path.name, data) == "xlsx" else "",
            language=options["lang"],
        )
        services.keep_sheet(batch, sheet)
        services.set_mapping(
            batch,
            header_index,
            mapping,
            user=user,
            sheet=sheet,
            template=template,
            save_as=options.get("save_mapping") or "",
        )
        mode = "valid" if options["apply_valid"] else "all" if options["apply"] else "dry"
        with self._progress_bar() as progress:
            # Not kept for another process: this command applies on this batch object, or not at all.
            outcome = services.check(batch, user, progress=progress, keep=False)
            if outcome is not None and mode != "dry":
                outcome = services.apply(batch, user, mode, progress=progress)
        if outcome is None:  # the file went between reading and checking it
            raise engine.FileProblem(batch.message)
        self._report(outcome, mode, batch)
        if options.get("report"):
            Path(options["report"]).write_bytes(rejects_workbook(outcome.as_json(), sheet, header_index))
            self.stdout.write(_("Rejected rows written to %(path)s.") % {"path": options["report"]})
        return outcome

    @staticmethod
    def _header_index(row: int | None, importer_class: type[engine.Importer], sheet: engine.Sheet) -> int:
        _ = translation.gettext
        if row:
            if not 1 <= row <= max(len(sheet.rows), 1):
                raise engine.FileProblem(_("The sheet has no row %(row)d.") % {"row": row})
            return row - 1
        found = engine.find_header_row(importer_class, sheet)
        if found is None:
            raise engine.FileProblem(services.no_header_message(importer_class.kind))
        return found

    @contextmanager
    def _progress_bar(self) -> Iterator[engine.Progress]:
        _ = translation.gettext
        bar = Progress(0, _("Checking rows"), stream=self.stderr._out)

        def progress(stage: str, done: int, total: int) -> None:
            bar.total = total
            bar.label = _("Checking rows") if stage == "check" else _("Writing")
            bar.advance(done - bar.done if done >= bar.done else 0)

        yield progress
        self.stderr.write("")

    def _user(self, username: str | None) -> Any:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise engine.FileProblem(translation.gettext("There is no user “%(name)s”.") % {"name": username})
        return user

    def _show_mapping(
        self,
        importer_class: type[engine.Importer],
        headers: list[Any],
        mapping: dict[int, str],
        header_index: int,
    ) -> None:
        _ = translation.gettext
        labels = importer_class.field_labels()
        self.stdout.write(_("Header row: %(row)d") % {"row": header_index + 1})
        for index in range(len(headers)):
            column = engine.column_label(headers, index)
            if index in mapping:
                self.stdout.write(f"  {column} → {labels[mapping[index]]}")
            elif engine.header_text(headers[index]):
                self.stdout.write(f"  {column} → " + _("(not imported)"))

    def _report(self, outcome: engine.Outcome, mode: str, batch: ImportBatch) -> None:
        _ = translation.gettext
        for issue in outcome.issues[:SHOWN_ISSUES]:
            level = _("error") if issue.level == engine.ERROR else _("warning")
            column = f" [{issue.column}]" if issue.column else ""
            value = f" «{issue.value}»" if issue.value else ""
            self.stdout.write(
                _("row %(row)d%(column)s%(value)s: %(message)s (%(level)s)")
                % {
                    "row": issue.row,
                    "column": column,
                    "value": value,
                    "message": issue.message,
                    "level": level,
                }
            )
        if len(outcome.issues) > SHOWN_ISSUES:
            self.stdout.write(_("… and %(count)d more.") % {"count": len(outcome.issues) - SHOWN_ISSUES})
        summary = engine.summary_text(outcome.counts)
        if mode == "dry":
            self.stdout.write(_("Dry run (nothing written): %(summary)s.") % {"summary": summary})
        elif outcome.applied:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Applied (batch %(batch)d): %(summary)s.") % {"batch": batch.pk, "summary": summary}
                )
            )
        else:
            self.stdout.write(self.style.ERROR(outcome.message))
            self.stdout.write(_("Checked: %(summary)s.") % {"summary": summary})
