"""What the curriculum loaders share: the error, the report and the fingerprint.

The quizzes app's loader uses these too (`quizzes.curriculum`).
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field


class CurriculumError(Exception):
    """A problem in a curriculum file: `path`, the `entry` (`modules[2].lessons[1] (id)`),
    the `problem`, and the `line` when it is known."""

    def __init__(self, path, entry: str, problem: str, *, line: int | None = None):
        self.path, self.entry, self.problem, self.line = str(path), entry, problem, line
        where = f"{self.path}, line {line}" if line else self.path
        super().__init__(f"{where}: {entry}: {problem}")


ACTIONS = ("created", "updated", "kept", "unchanged", "left", "skipped")


@dataclass
class LoadReport:
    """What a load did, entry by entry: one `(action, label)` line each."""

    source: str = ""
    version: int | None = None
    lines: list[tuple[str, str]] = field(default_factory=list)

    def created(self, label: str) -> None:
        self.lines.append(("created", label))

    def updated(self, label: str) -> None:
        self.lines.append(("updated", label))

    def kept(self, label: str) -> None:
        """The database has an administrator's edit that the file would overwrite."""
        self.lines.append(("kept", label))

    def unchanged(self, label: str) -> None:
        self.lines.append(("unchanged", label))

    def left(self, label: str) -> None:
        """In the database but no longer in the file: left in place."""
        self.lines.append(("left", label))

    def skipped(self, label: str) -> None:
        self.lines.append(("skipped", label))

    @property
    def counts(self) -> dict[str, int]:
        return {action: sum(1 for a, _ in self.lines if a == action) for action in ACTIONS}

    def summary(self) -> str:
        counts = self.counts
        shown = [
            a for a in ACTIONS if a in ("created", "updated", "kept", "unchanged") or counts[a]
        ]
        return ", ".join(f"{counts[action]} {action}" for action in shown)


# --- fingerprints ----------------------------------------------------------------------------


def normal(value):
    # The admin's textareas send CRLF and forms strip: neither is an edit.
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return value


def digest(pairs: Iterable[tuple[str, object]]) -> str:
    payload = json.dumps([[name, normal(value)] for name, value in pairs], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def fingerprint(instance, fields: Iterable[str]) -> str:
    """A hash of the instance's `fields` (64 hex characters), insensitive to line endings and
    surrounding blanks. Store it when writing; a different value later means someone edited."""
    return digest((name, getattr(instance, name)) for name in fields)
