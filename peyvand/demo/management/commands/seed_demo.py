"""manage.py seed_demo [--if-empty] — build the deterministic Gilan demo dataset (invented data)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from peyvand.demo.models import DemoDataset
from peyvand.demo.seed import DEMO_PASSWORD, seed
from peyvand.units.models import ProductionUnit


class Command(BaseCommand):
    help = "Build the demo dataset: Gilan's estates, ~900 units with three years of history, demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the registry has units")

    def handle(self, *args, if_empty: bool, **options):
        if ProductionUnit.objects.exists() or DemoDataset.objects.exists():
            if if_empty:
                self.stdout.write("The database already holds data: demo data not loaded.")
                return
            raise CommandError("The database already holds units; seed_demo only fills an empty registry.")
        started = time.monotonic()
        steps = ["estates", "units", "history", "capabilities", "accounts"]

        def report(step: str) -> None:
            done = steps.index(step) + 1 if step in steps else 0
            bar = "█" * (done * 5) + "░" * ((len(steps) - done) * 5)
            self.stderr.write(f"\rDemo data [{bar}] {step:<10}", ending="")

        counts = seed(report=report)
        self.stderr.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready in {time.monotonic() - started:.1f}s: {counts['estates']} estates, "
                f"{counts['units']} units ({counts.get('operating', 0)} operating). "
                f"Demo accounts use the password {DEMO_PASSWORD!r}."
            )
        )
