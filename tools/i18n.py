#!/usr/bin/env python
"""Update the message catalogues: extract strings, apply French translations, compile.

    .venv/bin/python tools/i18n.py [--fr translations.json ...]

1. `makemessages` for fr and en (needs gettext on the developer's machine only);
2. French: msgstr taken from the JSON files given ({"msgid": "msgstr"}, or for plurals
   {"msgid": ["singular", "plural"]}; a key "context\x04msgid" for pgettext);
3. English: the source strings are English, so an empty msgstr gets the msgid;
4. compile every .po into its .mo with polib, so a fresh clone needs no gettext.

Runs under a file lock, so that several people can update the catalogues one after the other.
"""

import argparse
import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"


def extract():
    env = dict(os.environ, DJANGO_DEBUG="1")
    subprocess.run(
        [
            sys.executable, "manage.py", "makemessages", "-l", "fr", "-l", "en",
            "--no-obsolete", "--no-location", "--ignore=.venv", "--ignore=tests",
            "--ignore=staticfiles", "--ignore=tools", "--ignore=artifacts",
        ],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip


def key(entry):
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def apply_french(translations):
    po = polib.pofile(str(LOCALE / "fr/LC_MESSAGES/django.po"))
    for entry in po:
        value = translations.get(key(entry))
        if value is None:
            continue
        if entry.msgid_plural:
            singular, plural = (value, value) if isinstance(value, str) else value
            entry.msgstr_plural = {0: singular, 1: plural}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()


def fill_english():
    po = polib.pofile(str(LOCALE / "en/LC_MESSAGES/django.po"))
    for entry in po:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            entry.msgstr_plural = {0: "", 1: ""} if entry.msgid_plural else {}
        if entry.msgid_plural:
            if not all(entry.msgstr_plural.values()):
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        elif not entry.msgstr:
            entry.msgstr = entry.msgid
    po.save()


def compile_all():
    for po_path in LOCALE.glob("*/LC_MESSAGES/django.po"):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))


def report_missing():
    po = polib.pofile(str(LOCALE / "fr/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in po if not e.translated() or "fuzzy" in e.flags]
    for msgid in missing:
        print(f"fr: untranslated: {msgid!r}")
    return missing


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fr", action="append", default=[], help="JSON file of translations")
    parser.add_argument("--no-extract", action="store_true")
    args = parser.parse_args()
    with open(ROOT / "locale" / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not args.no_extract:
            extract()
        translations = {}
        for path in args.fr:
            translations.update(json.loads(Path(path).read_text(encoding="utf-8")))
        apply_french(translations)
        fill_english()
        compile_all()
        missing = report_missing()
    sys.exit(1 if missing else 0)


if __name__ == "__main__":
    main()
