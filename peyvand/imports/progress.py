"""A small progress bar for management commands (a bar on a terminal, a few plain lines otherwise)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """``with Progress(total, "Loading") as bar: bar.advance()`` — rate-limited redraws."""

    def __init__(self, total: int, label: str = "", stream: TextIO | None = None, width: int = 32) -> None:
        self.total = max(total, 0)
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self.done = 0
        self._last_draw = 0.0
        self._started = time.monotonic()
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last_decile = -1

    def __enter__(self) -> Progress:
        self._draw(force=True)
        return self

    def __exit__(self, *exc: object) -> None:
        self.done = self.total if exc[0] is None else self.done
        self._draw(force=True)
        if self._tty:
            self.stream.write("\n")
        self.stream.flush()

    def advance(self, step: int = 1) -> None:
        self.done = min(self.done + step, self.total) if self.total else self.done + step
        self._draw()

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        fraction = self.done / self.total if self.total else 1.0
        if self._tty:
            if not force and now - self._last_draw < 0.1:
                return
            filled = int(self.width * fraction)
            bar = "█" * filled + "░" * (self.width - filled)
            elapsed = now - self._started
            self.stream.write(
                f"\r{self.label} [{bar}] {self.done}/{self.total} {fraction:5.0%} {elapsed:5.1f}s"
            )
            self.stream.flush()
        else:
            decile = int(fraction * 10)
            if force or decile > self._last_decile:
                self._last_decile = decile
                self.stream.write(f"{self.label}: {self.done}/{self.total} ({fraction:.0%})\n")
        self._last_draw = now
