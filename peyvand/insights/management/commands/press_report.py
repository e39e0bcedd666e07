"""manage.py press_report [--on YYYY/MM/DD] [--lang fa|en] --out FILE.pdf — the press report as PDF."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from peyvand.core.jalali import DateParseError, jalali_text, parse_date
from peyvand.insights.report import render_pdf


class Command(BaseCommand):
    help = "Write the press report (figures as of a Jalali date, today by default) as a PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", default="", help="Jalali date like 1405/02/10 (default: today)")
        parser.add_argument("--lang", default="fa", choices=["fa", "en"])
        parser.add_argument("--out", required=True, help="the PDF file to write")

    def handle(self, *args, on: str, lang: str, out: str, **options) -> None:
        with translation.override(lang):
            try:
                day = parse_date(on) if on else timezone.localdate()
            except DateParseError as exc:
                raise CommandError(str(exc)) from None
            if day > timezone.localdate():
                raise CommandError(
                    "--on must be today or earlier: figures are computed from recorded history."
                )
        target = Path(out)
        if not target.parent.is_dir():
            raise CommandError(f"No directory {target.parent} to write {target.name} into.")
        target.write_bytes(render_pdf(day, lang))
        self.stdout.write(f"Press report as of {jalali_text(day)} ({lang}) written to {target}")
