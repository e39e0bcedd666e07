"""manage.py load_isic PATH — load the official ISIC Rev.4 structure file (idempotent)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peyvand.taxonomy.loaders import load_isic_file


class Command(BaseCommand):
    help = "Load ISIC Rev.4 codes and English names from the UN structure file; Persian names are kept."

    def add_arguments(self, parser):
        parser.add_argument("path", help="ISIC_Rev_4_english_structure.txt, or the folder that holds it")

    def handle(self, path: str, **options):
        file = Path(path)
        if file.is_dir():
            file = file / "ISIC_Rev_4_english_structure.txt"
        if not file.is_file():
            raise CommandError(f"No ISIC file at {file}")
        try:
            result = load_isic_file(file)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"ISIC Rev.4: {result}"))
