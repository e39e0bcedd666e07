"""``python -m peyvand.matching`` — see ``peyvand.matching.cli``."""

from peyvand.matching.cli import main

raise SystemExit(main())
