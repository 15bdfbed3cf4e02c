"""Every interface string exists in French and English, and the compiled catalogues are current."""

import os
import re
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


# Placeholders that count something: the noun after them agrees with the number.
COUNT_PLACEHOLDERS = {"count", "n", "minutes", "max", "total", "done", "left", "days", "trained"}
COUNTED = re.compile(r"%\((?P<name>\w+)\)[sd]\s+(?!of\b)(?P<word>[^\W\d_]+)")


def test_every_count_before_a_word_is_a_plural_entry():
    """ "%(total)s lessons", "%(max)d people": such a message is a plural entry (ngettext,
    blocktranslate count), or French reads "1 leçons"."""
    singular_only = [
        entry.msgid
        for entry in catalogue("en")
        if not entry.msgid_plural
        and any(match["name"] in COUNT_PLACEHOLDERS for match in COUNTED.finditer(entry.msgid))
    ]
    assert singular_only == []


def test_a_percentage_is_80_percent_in_english_and_80_narrow_space_percent_in_french():
    for entry in catalogue("fr"):
        if "%%" not in entry.msgid:
            continue
        assert not re.search(r"\s%%", entry.msgid), entry.msgid
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert re.findall(r"(.)%%", text) == ["\u202f"] * text.count("%%"), text


# Nouns that French pages count. Plural-Forms: 0 and 1 are singular in French.
FRENCH_NOUNS = (
    "leçons|questions|tentatives|personnes|minutes|attestations|invitations|lignes|jours|"
    "problèmes|modules|rôles|courriels|caractères|situations|réponses|membres"
)
ENGLISH_NOUNS = (
    "lessons|questions|attempts|people|persons|minutes|certificates|invitations|rows|days|"
    "problems|modules|roles|e-mails|characters|situations|answers|members"
)
BAD_PLURAL = {
    "fr": re.compile(rf"(?<![\d,.])\b[01]\s+(?:{FRENCH_NOUNS})\b"),
    "en": re.compile(rf"(?<![\d,.])\b1\s+(?:{ENGLISH_NOUNS})\b"),
}


def _text(html: str) -> str:
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_with_one_of_everything_never_say_1_lessons_or_80_space_percent(client, language):
    from quizzes import services as quiz_services
    from tests.factories import CourseFactory, EnrollmentFactory, LessonProgressFactory
    from tests.organizations.factories import (
        AssignmentFactory,
        OrganizationFactory,
        staff_of,
        supervisor_of,
    )
    from tests.quizzes.factories import ModuleFactory, answers_for, quiz_with_questions

    course = CourseFactory(estimated_minutes=1)
    quiz = quiz_with_questions(1, module=ModuleFactory(course=course), max_attempts=2)
    lesson = quiz.module.lessons.get()
    organization = OrganizationFactory()
    supervisor = supervisor_of(organization)
    learner = staff_of(organization)
    AssignmentFactory(organization=organization, learner=learner, course=course)
    EnrollmentFactory(learner=learner, course=course)
    LessonProgressFactory(learner=learner, lesson=lesson)
    attempt = quiz_services.attempt_start(learner=learner, quiz=quiz)
    quiz_services.attempt_submit(attempt=attempt, answers=answers_for(attempt, right=False))

    pages = {}
    client.force_login(learner)
    slug = course.slug
    for path in [
        "/courses/",
        f"/courses/{slug}/",
        "/learning/",
        f"/courses/{slug}/modules/{quiz.module_id}/quiz/",
        f"/quizzes/attempts/{attempt.pk}/result/",
    ]:
        pages[path] = client.get(f"/{language}{path}")
    second = quiz_services.attempt_start(learner=learner, quiz=quiz)
    pages["attempt"] = client.get(f"/{language}/quizzes/attempts/{second.pk}/")
    client.force_login(supervisor)
    for path in [f"/organizations/{organization.pk}/", f"/organizations/{organization.pk}/staff/"]:
        pages[path] = client.get(f"/{language}{path}")

    bad_percent = {"fr": r"\d[ \u00a0]*%", "en": r"\d\s+%"}[language]
    for path, response in pages.items():
        assert response.status_code == 200, path
        html = response.content.decode()
        text = _text(html)
        assert BAD_PLURAL[language].findall(text) == [], path
        # "80%" in English; "80 %" with a narrow no-break space in French.
        assert re.findall(bad_percent, re.sub(r"<[^>]+>", "", html)) == [], path


@pytest.mark.django_db
def test_a_lesson_done_is_terminee_in_french(client):
    """Translator context where French gender depends on the noun: une leçon terminée."""
    from tests.factories import CourseFactory, EnrollmentFactory, LessonProgressFactory, UserFactory

    course = CourseFactory(lessons=2)
    learner = UserFactory()
    EnrollmentFactory(learner=learner, course=course)
    LessonProgressFactory(learner=learner, lesson=course.modules.first().lessons.first())
    client.force_login(learner)
    page = client.get(f"/fr/courses/{course.slug}/").content.decode()
    assert '<span class="badge badge--done">Terminée</span>' in page
    english = client.get(f"/en/courses/{course.slug}/").content.decode()
    assert '<span class="badge badge--done">Done</span>' in english


@pytest.mark.django_db
def test_the_task_results_admin_reads_in_french(admin_client):
    """django-tasks-db ships no French: its strings are translated in our catalogue
    (config/package_messages.py lists them for the extraction)."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override("fr"):
        url = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    page = admin_client.get(url).content.decode()
    assert "résultats de tâches" in page.lower()
    assert "Task Results" not in page
