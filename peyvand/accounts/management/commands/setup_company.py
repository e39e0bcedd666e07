"""manage.py setup_company --name NAME [--name-en NAME] --manager USERNAME --email ADDRESS

The first step of a real deployment: the estate company and its first manager. Idempotent — run it
again and nothing is duplicated. The manager's password is never typed on the command line: the command
prints a one-time link to set it (``--site-url`` or ``PEYVAND_SITE_URL`` makes it absolute), or asks
for it with ``--ask-password``.
"""

from __future__ import annotations

import getpass
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from peyvand.accounts import services
from peyvand.core.audit import acting_as


class Command(BaseCommand):
    help = "Create (or find) the estate company and its first manager, and give the manager a password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="the company's name (Persian)")
        parser.add_argument("--name-en", default="", help="the company's English name")
        parser.add_argument("--manager", required=True, help="username of the first manager")
        parser.add_argument("--email", required=True, help="the manager's e-mail address")
        parser.add_argument(
            "--ask-password", action="store_true", help="type the manager's password instead of a link"
        )
        parser.add_argument(
            "--site-url",
            default=getattr(settings, "PEYVAND_SITE_URL", ""),
            help="this Peyvand's address, e.g. https://peyvand.example.ir (makes the link absolute)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with acting_as(None, via="command setup_company"), transaction.atomic():
                done = services.setup_company(
                    options["name"],
                    name_en=options["name_en"],
                    manager=options["manager"],
                    email=options["email"],
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        made = "created" if done.company_created else "already there"
        self.stdout.write(f"Estate company: {done.company.name} (#{done.company.pk}, {made})")
        made = "created" if done.manager_created else "already there"
        self.stdout.write(f"Manager: {done.manager.username} <{done.manager.email}> ({made})")
        if options["ask_password"]:
            self._ask_password(done.manager)
        elif done.needs_password:
            link = services.password_link(done.manager, options["site_url"])
            self.stdout.write("One-time link to set the manager's password (valid until it is used):")
            self.stdout.write(f"  {link}")
            if not options["site_url"]:
                self.stdout.write(
                    "  (put this Peyvand's address in front of it, e.g. https://peyvand.example.ir)"
                )
        else:
            self.stdout.write("The manager already has a password.")
        self.stdout.write(self.style.SUCCESS("Done. Next: import estates, plots and units (README)."))

    def _ask_password(self, user: Any) -> None:
        for _attempt in range(3):
            first = getpass.getpass(f"Password for {user.username}: ")
            if first != getpass.getpass("Again: "):
                self.stderr.write("The two passwords differ.")
                continue
            try:
                validate_password(first, user)
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            user.set_password(first)
            user.save(update_fields=["password"])
            self.stdout.write("Password set.")
            return
        raise CommandError("No password was set.")
