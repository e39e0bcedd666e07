"""manage.py sync_capabilities — load the matching thesaurus into the capability table (idempotent)."""

from django.core.management.base import BaseCommand

from peyvand.taxonomy.loaders import load_capabilities


class Command(BaseCommand):
    help = "Create or update capabilities from peyvand/matching/data/capabilities.json (the one source)."

    def handle(self, *args, **options):
        self.stdout.write(f"Capabilities: {load_capabilities()}")
