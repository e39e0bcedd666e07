"""A test's "today" that cannot change under it: the clock stands at noon in Tehran on the day the module
was imported and ticks from there. A module that takes ``TODAY`` once (at import) and a service that asks
``timezone.localdate()`` later then agree, even on a run that crosses Tehran's midnight."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings


def noon_on(day: dt.date) -> dt.datetime:
    """Noon of ``day`` in the project's time zone: twelve hours from either midnight."""
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))


def clock_at_noon(day: dt.date) -> Any:
    """An autouse fixture for a module: every test of it runs with the clock at noon on ``day``."""

    @pytest.fixture(autouse=True)
    def clock() -> Iterator[None]:
        with time_machine.travel(noon_on(day), tick=True):
            yield

    return clock
