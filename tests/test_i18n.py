"""Every interface string exists in French and English, and the compiled catalogues are current."""

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["fr", "en"]


def catalogue(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_entry_is_empty_or_fuzzy(language):
    bad = [
        entry.msgid
        for entry in catalogue(language)
        if "fuzzy" in entry.flags
        or (entry.msgid_plural and not all(entry.msgstr_plural.values()))
        or (not entry.msgid_plural and not entry.msgstr)
    ]
    assert bad == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language):
    po = catalogue(language)
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))

    def entries(source):
        return {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in source
            if e.msgid and not e.obsolete and "fuzzy" not in e.flags
        }

    assert entries(mo) == entries(po), "run: .venv/bin/python tools/i18n.py"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    import re

    placeholder = re.compile(r"%\((\w+)\)[sd]")
    for entry in catalogue(language):
        if entry.msgid_plural:
            expected = set(placeholder.findall(entry.msgid_plural))
            found = [set(placeholder.findall(s)) for s in entry.msgstr_plural.values()]
            assert all(f <= expected | set(placeholder.findall(entry.msgid)) for f in found)
        else:
            assert set(placeholder.findall(entry.msgstr)) == set(
                placeholder.findall(entry.msgid)
            ), entry.msgid


def test_every_string_in_the_code_is_in_the_catalogues(tmp_path, settings):
    """Extract the strings again: none may be missing from the committed catalogues.

    makemessages writes into any `locale/` folder under the directory it runs in, so it
    runs in a copy of the sources: the committed catalogues are never touched.
    """
    if not shutil.which("xgettext"):
        if os.environ.get("CI") == "true":
            pytest.fail("gettext is required in CI to check the catalogues")
        pytest.skip("gettext is not installed: cannot extract strings")
    ignored = [".venv", ".git", "tests", "staticfiles", "tools", "artifacts", "node_modules"]
    work = tmp_path / "src"
    shutil.copytree(
        settings.BASE_DIR,
        work,
        ignore=shutil.ignore_patterns(*ignored, "*.pyc", "*.sqlite3*", "*.ttf", "*.png"),
    )
    settings.LOCALE_PATHS = [work / "locale"]
    cwd = os.getcwd()
    os.chdir(work)
    try:
        call_command(
            "makemessages",
            locale=LANGUAGES,
            no_obsolete=True,
            no_location=True,
            ignore_patterns=ignored,
            verbosity=0,
        )
    finally:
        os.chdir(cwd)
    for language in LANGUAGES:
        po_path = work / "locale" / language / "LC_MESSAGES" / "django.po"
        extracted = {(e.msgctxt, e.msgid) for e in polib.pofile(str(po_path))}
        committed = {(e.msgctxt, e.msgid) for e in catalogue(language)}
        assert sorted(extracted - committed, key=str) == [], "run: .venv/bin/python tools/i18n.py"
