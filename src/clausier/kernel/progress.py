"""A one-line progress bar for the management commands: "[#####.....] 5/10" on stderr."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

BAR_WIDTH = 30


class ProgressBar:
    """Drawn on ``stream`` (a command's ``self.stderr``) as ``done`` moves towards ``total``."""

    def __init__(self, stream: Any, total: int) -> None:
        self.stream, self.total, self.done = stream, max(total, 1), 0

    def step(self) -> None:
        self.done += 1
        self.draw()

    def set(self, done: int) -> None:
        self.done = done
        self.draw()

    def counting(self, rows: Iterable, *, every: int = 100) -> Iterator:
        """``rows`` again, the bar moving by one a row (drawn every ``every`` rows)."""
        for row in rows:
            yield row
            self.done += 1
            if self.done % every == 0:
                self.draw()

    def clear(self) -> None:
        """Blank the line, so that a line of output may be written in its place."""
        self.stream.write("\r" + " " * (BAR_WIDTH + 24) + "\r", ending="")

    def draw(self) -> None:
        filled = BAR_WIDTH * min(self.done, self.total) // self.total
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self.stream.write(f"\r[{bar}] {self.done}/{self.total}", ending="")
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("")
