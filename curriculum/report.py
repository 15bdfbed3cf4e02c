"""What a load tells: the error that refuses a file, and the report of what was done."""

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
