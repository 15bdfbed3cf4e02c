"""docs/performance.md: `make bench` writes its section, `make load` its own; each keeps the
other's (between <!-- name:start --> and <!-- name:end --> markers)."""

import platform
import re
from pathlib import Path

from benchmarks.environment import BASE_DIR

DOCUMENT = BASE_DIR / "docs" / "performance.md"
HEADER = """# Performance

Written by `make bench` (benchmarks/run.py) and `make load` (benchmarks/load.py); each run
replaces its own section. Figures depend on the machine: compare the ratios to the
baselines, which are measured in the same run on the same machine.
"""


def machine() -> str:
    import os

    return f"{platform.python_implementation()} {platform.python_version()}, " + (
        f"{os.cpu_count()} CPUs, {platform.system()} {platform.machine()}"
    )


def replace_section(name: str, text: str, path: Path = DOCUMENT) -> None:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{text.strip()}\n{end}"
    current = path.read_text(encoding="utf-8") if path.exists() else HEADER
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(current):
        updated = pattern.sub(lambda _match: block, current)
    else:
        updated = current.rstrip() + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(updated, encoding="utf-8")


def markdown_table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def text_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [
        max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)
    ]
    return "\n".join(
        "  ".join(
            f"{cell:<{width}}" if i == 0 else f"{cell:>{width}}"
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in [headers, *rows]
    )


def section_table(name: str, path: Path | None = None) -> list[list[str]]:
    """The rows (cells) of the first Markdown table in section `name`, header left out."""
    path = path or DOCUMENT
    if not path.exists():
        return []
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = path.read_text(encoding="utf-8")
    if start not in text or end not in text:
        return []
    section = text.split(start, 1)[1].split(end, 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]
