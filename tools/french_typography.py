#!/usr/bin/env python
"""Give French text the spacing of the Office québécois de la langue française (OQLF).

    .venv/bin/python tools/french_typography.py [--check]

- a no-break space (U+00A0) before `:` and inside `« »`;
- a narrow no-break space (U+202F) before `;`, `!` and `?`.

It rewrites the French msgstrs of `locale/fr/LC_MESSAGES/django.po` (then compile the
catalogues: `tools/i18n.py` does it) and the French texts (`fr:` values) of the curriculum
files in `curriculum/content/`. It is idempotent: run it again after merging a branch that
added French text. `--check` changes nothing and exits 1 if something would change.

Left alone: a sign not followed by a space, a closing mark or the end of the text, so that
times (9:00), addresses (https://, ?next=), Markdown (`![`) and placeholders stay as they are;
HTML entities (`&nbsp;`) and template syntax (`{% ... %}`) too.
"""

import argparse
import re
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
CURRICULA = ROOT / "curriculum" / "content"

NBSP, NNBSP = "\u00a0", "\u202f"
SPACES = " \u00a0\u202f\t"
# What may follow a sign for it to be a sign of the prose (not part of a time or an address).
AFTER = r"(?=[\s)\]»”\"’.,;:!?*_<]|$)"
HIGH_SIGN = re.compile(rf"(?P<before>[^\s{SPACES}])[{SPACES}]*(?P<sign>[;!?]){AFTER}")
COLON = re.compile(rf"(?P<before>[^\s{SPACES}])[{SPACES}]*:{AFTER}")
OPENING = re.compile(rf"«[{SPACES}]*(?=\S)")
CLOSING = re.compile(rf"(?<=\S)[{SPACES}]*»")
ENTITY = re.compile(r"&#?\w+$")


def _high_sign(match: re.Match) -> str:
    before, sign = match.group("before"), match.group("sign")
    if sign == ";" and ENTITY.search(match.string[: match.start("before") + 1]):
        return match.group(0)  # the end of an HTML entity: &nbsp; &amp;
    if before in "%}":
        return match.group(0)  # template syntax
    if before in ";!?":
        return before + sign  # `?!`: one space, before the first sign
    return f"{before}{NNBSP}{sign}"


def _colon(match: re.Match) -> str:
    before = match.group("before")
    if before in "%}":
        return match.group(0)
    return f"{before}{NBSP}:"


def french(text: str) -> str:
    """`text` with OQLF spacing; the same text if it has it already."""
    text = HIGH_SIGN.sub(_high_sign, text)
    text = COLON.sub(_colon, text)
    text = OPENING.sub(f"«{NBSP}", text)
    text = CLOSING.sub(f"{NBSP}»", text)
    return text


def fix_catalogue(path: Path = CATALOGUE) -> int:
    catalogue = polib.pofile(str(path), wrapwidth=79)
    changed = 0
    for entry in catalogue:
        if entry.obsolete:
            continue
        if entry.msgstr:
            new = french(entry.msgstr)
            changed += new != entry.msgstr
            entry.msgstr = new
        for index, value in entry.msgstr_plural.items():
            new = french(value)
            changed += new != value
            entry.msgstr_plural[index] = new
    if changed:
        catalogue.save(str(path))
    return changed


FR_INLINE = re.compile(r'^(?P<head>\s*fr: ")(?P<text>.*)(?P<tail>"\s*)$')
FR_BLOCK = re.compile(r"^(?P<indent>\s*)fr: [|>][-+]?\s*$")


def fix_curriculum_text(source: str) -> str:
    """French values of a curriculum file: `fr: "..."` lines and `fr: |` blocks."""
    lines = source.split("\n")
    block_indent = None  # inside a French block: the indentation of its `fr:` key
    for number, line in enumerate(lines):
        if block_indent is not None:
            indent = len(line) - len(line.lstrip(" "))
            if line.strip() and indent <= block_indent:
                block_indent = None
            else:
                lines[number] = french(line)
                continue
        block = FR_BLOCK.match(line)
        if block:
            block_indent = len(block.group("indent"))
            continue
        inline = FR_INLINE.match(line)
        if inline:
            lines[number] = inline["head"] + french(inline["text"]) + inline["tail"]
    return "\n".join(lines)


def fix_curricula(folder: Path = CURRICULA) -> int:
    changed = 0
    for path in sorted(folder.glob("*.yaml")):
        source = path.read_text(encoding="utf-8")
        fixed = fix_curriculum_text(source)
        if fixed != source:
            path.write_text(fixed, encoding="utf-8")
            changed += 1
    return changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if needed")
    args = parser.parse_args()
    if args.check:
        catalogue = polib.pofile(str(CATALOGUE))
        wrong = [e.msgid for e in catalogue if e.msgstr and french(e.msgstr) != e.msgstr]
        wrong += [
            str(path)
            for path in sorted(CURRICULA.glob("*.yaml"))
            if fix_curriculum_text(text := path.read_text(encoding="utf-8")) != text
        ]
        for item in wrong:
            print(item)
        return 1 if wrong else 0
    entries = fix_catalogue()
    files = fix_curricula()
    print(f"{entries} French msgstr(s) and {files} curriculum file(s) changed.")
    if entries:
        print("Now compile the catalogues: .venv/bin/python tools/i18n.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
