"""manage.py load_hs PATH — load the official HS 2022 file (idempotent)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peyvand.taxonomy.loaders import load_hs_file


class Command(BaseCommand):
    help = (
        "Load HS 2022 chapters, headings and subheadings from harmonized-system.csv; Persian names are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="harmonized-system.csv, or the folder that holds it")

    def handle(self, path: str, **options):
        file = Path(path)
        if file.is_dir():
            file = file / "harmonized-system.csv"
        if not file.is_file():
            raise CommandError(f"No HS file at {file}")
        try:
            result = load_hs_file(file)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"HS 2022: {result}"))
