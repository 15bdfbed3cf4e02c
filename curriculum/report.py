"""What a load tells: the error that refuses a file, and the report of what was done."""

from dataclasses import dataclass, field

from django.utils import translation


class Problem:
    """A problem's message (a msgid marked with `gettext_noop`) and its named values, shown
    in the language active where it is shown: English for the command, the administrator's
    in the admin."""

    def __init__(self, message: str, **values):
        self.message, self.values = message, values

    def __str__(self):
        text = translation.gettext(self.message)
        return text % self.values if self.values else text


class CurriculumError(Exception):
    """A problem in a curriculum file: `path`, the `entry` (`modules[2].lessons[1] (id)`),
    the `problem` (in English, as the command says it; `translated_problem()` in the active
    language), and the `line` when it is known."""

    def __init__(self, path, entry: str, problem, *, line: int | None = None):
        self.message = problem
        with translation.override("en"):
            problem = str(problem)
        self.path, self.entry, self.problem, self.line = str(path), entry, problem, line
        where = f"{self.path}, line {line}" if line else self.path
        super().__init__(f"{where}: {entry}: {problem}")

    def translated_problem(self) -> str:
        return str(self.message)


ACTIONS = ("created", "updated", "kept", "unchanged", "left", "skipped")
# The kinds of entry a report line names first ("lesson m1-l1 …"); the lines counting entries
# added in the admin without an id ("3 module(s) or lesson(s) …") are of none.
KINDS = (
    *("course", "former address", "module", "lesson", "quiz", "scenario", "question", "choice"),
    *("knowledge check item", "knowledge check choice"),
)


def line_kind(label: str) -> str | None:
    return next((kind for kind in KINDS if label.startswith(f"{kind} ")), None)


@dataclass
class LoadReport:
    """What a load did, entry by entry: one `(action, label)` line each."""

    source: str = ""
    version: int | None = None
    slug: str = ""  # the course's
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

    def counts_by_kind(self) -> dict[str | None, dict[str, int]]:
        """{kind: {action: count}} for the kinds present, in KINDS order (None last)."""
        table: dict = {}
        for action, label in self.lines:
            row = table.setdefault(line_kind(label), dict.fromkeys(ACTIONS, 0))
            row[action] += 1
        order = {kind: index for index, kind in enumerate((*KINDS, None))}
        return dict(sorted(table.items(), key=lambda item: order[item[0]]))

    def summary(self) -> str:
        counts = self.counts
        shown = [
            a for a in ACTIONS if a in ("created", "updated", "kept", "unchanged") or counts[a]
        ]
        return ", ".join(f"{counts[action]} {action}" for action in shown)
