"""The curriculum loader: the real file loads once and only once, administrators' edits are kept,
and a malformed file is refused whole, naming the file, the entry and the problem."""

import copy
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.entries import fingerprint
from courses.models import Course, Lesson, LessonProgress, Module
from curriculum.reading import DEFAULT_PATH, curriculum_read
from curriculum.report import ACTIONS, CurriculumError, LoadReport
from curriculum.services import curriculum_load
from quizzes.models import Choice, Question, Quiz, Scenario
from tests.factories import EnrollmentFactory, LessonFactory, UserFactory

pytestmark = pytest.mark.django_db

REAL = Path(settings.BASE_DIR) / DEFAULT_PATH
SLUG = "frontline-awareness"
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def real_document(*, quizzes=False) -> dict:
    """The real file's content, without its quizzes unless asked (test_quizzes.py tests them;
    the rest loads faster without)."""
    document = yaml.load(REAL.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    if not quizzes:
        for module in document["modules"]:
            module.pop("quiz", None)
    return document


def lesson_count() -> int:
    return sum(len(module["lessons"]) for module in real_document()["modules"])


def content_counts(report) -> dict:
    """The report's counts for the course, its modules and lessons (not the quizzes)."""
    lines = [line for line in report.lines if line[1].split()[0] in ("course", "module", "lesson")]
    return {action: sum(1 for a, _ in lines if a == action) for action in ACTIONS}


def write(tmp_path, document, name="curriculum.yaml") -> Path:
    path = tmp_path / name
    if isinstance(document, str):
        path.write_text(document, encoding="utf-8")
    else:
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        text = yaml.dump(document, Dumper=dumper, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
    return path


def snapshot() -> dict:
    """Everything the loader may write, to compare before and after a refused load."""
    models = (Course, Module, Lesson, Quiz, Scenario, Question, Choice)
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def lesson(key) -> Lesson:
    return Lesson.objects.get(key=key, module__course__slug=SLUG)


# --- the real file ---------------------------------------------------------------------------


def test_the_real_file_gives_a_published_course_of_5_modules_and_17_lessons():
    report = curriculum_load()
    course = Course.objects.get(slug=SLUG)
    assert course.is_published
    assert course.content_version == real_document()["version"] == report.version
    assert (course.estimated_minutes, course.validity_months) == (95, 12)
    assert course.title_fr == "Reconnaître la traite à des fins sexuelles et intervenir"
    assert course.title_en == "Recognizing and responding to sex trafficking"
    modules = list(course.modules.order_by("position"))
    assert [m.key for m in modules] == [
        "m1-definition",
        "m2-recruitment",
        "m3-control",
        "m4-barriers",
        "m5-responding",
    ]
    assert [m.position for m in modules] == [1, 2, 3, 4, 5]
    assert Lesson.objects.filter(module__course=course).count() == lesson_count() == 17
    assert [lesson.key for lesson in modules[2].lessons.order_by("position")] == [
        "m3-l1-what-traffickers-offer",
        "m3-l2-drugs-alcohol",
        "m3-l3-threats-harms",
        "m3-l4-family-exposure-arrest",
    ]
    assert modules[1].content_note_fr
    assert modules[1].content_note_en
    assert modules[0].content_note_fr == ""
    assert content_counts(report)["created"] == 1 + 5 + lesson_count()


def test_loading_twice_duplicates_nothing_and_writes_nothing():
    curriculum_load()
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        report = curriculum_load()
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert snapshot() == before
    expected = {**dict.fromkeys(ACTIONS, 0), "unchanged": 1 + 5 + lesson_count()}
    assert content_counts(report) == expected
    assert {action for action, _label in report.lines} == {"unchanged"}  # the quizzes too
    assert Choice.objects.count() > 0


# --- administrators' edits -------------------------------------------------------------------


def _admin_lesson_form(lesson, **changes):
    data = {
        "module": lesson.module_id,
        "key": lesson.key,
        "position": lesson.position,
        "title_fr": lesson.title_fr,
        "title_en": lesson.title_en,
        # Browsers send textareas with CRLF line endings.
        "body_fr": lesson.body_fr.replace("\n", "\r\n"),
        "body_en": lesson.body_en.replace("\n", "\r\n"),
        "minutes": lesson.minutes,
    }
    data.update(changes)
    return data


def test_an_edit_made_in_the_admin_is_kept_on_reload_and_replaced_with_force(admin_client):
    curriculum_load()
    edited = lesson("m3-l2-drugs-alcohol")
    response = admin_client.post(
        reverse("admin:courses_lesson_change", args=[edited.pk]),
        _admin_lesson_form(edited, title_en="Drugs, alcohol and control"),
    )
    assert response.status_code == 302

    report = curriculum_load()
    assert lesson("m3-l2-drugs-alcohol").title_en == "Drugs, alcohol and control"
    assert ("kept", "lesson m3-l2-drugs-alcohol") in report.lines
    assert content_counts(report)["kept"] == 1

    report = curriculum_load(force=True)
    assert lesson("m3-l2-drugs-alcohol").title_en == "Drugs and alcohol"
    assert ("updated", "lesson m3-l2-drugs-alcohol") in report.lines
    assert content_counts(curriculum_load())["unchanged"] == 1 + 5 + lesson_count()


def test_an_edit_made_through_the_model_is_kept_too():
    curriculum_load()
    Module.objects.filter(key="m4-barriers").update(summary_fr="Résumé revu par l’équipe.")
    report = curriculum_load()
    assert Module.objects.get(key="m4-barriers").summary_fr == "Résumé revu par l’équipe."
    assert ("kept", "module m4-barriers") in report.lines


def test_saving_in_the_admin_without_changing_the_text_is_not_an_edit(admin_client, tmp_path):
    curriculum_load()
    saved = lesson("m1-l1-what-it-is")
    admin_client.post(
        reverse("admin:courses_lesson_change", args=[saved.pk]), _admin_lesson_form(saved)
    )
    document = real_document()
    document["modules"][0]["lessons"][0]["body"]["en"] += "\nA sentence added in the file.\n"
    report = curriculum_load(path=write(tmp_path, document))
    assert ("updated", "lesson m1-l1-what-it-is") in report.lines
    assert lesson("m1-l1-what-it-is").body_en.endswith("A sentence added in the file.")


def test_a_new_version_of_the_file_updates_what_nobody_edited(tmp_path):
    curriculum_load()
    Lesson.objects.filter(key="m2-l1-relationships").update(title_fr="Titre modifié")
    document = real_document()
    document["version"] += 1
    document["modules"][1]["lessons"][0]["title"]["fr"] = "Nouveau titre du fichier"
    document["modules"][1]["lessons"][1]["title"]["fr"] = "Les lieux, revus"
    report = curriculum_load(path=write(tmp_path, document))
    assert Course.objects.get(slug=SLUG).content_version == document["version"]
    assert lesson("m2-l1-relationships").title_fr == "Titre modifié"  # the admin's edit stays
    assert lesson("m2-l2-places").title_fr == "Les lieux, revus"
    assert ("kept", "lesson m2-l1-relationships") in report.lines
    assert ("updated", "lesson m2-l2-places") in report.lines
    assert ("updated", f"course {SLUG}") in report.lines  # its version


def test_an_edit_undone_in_the_admin_lets_the_file_lead_again(tmp_path):
    curriculum_load()
    original = lesson("m1-l2-no-consent").title_fr
    Lesson.objects.filter(key="m1-l2-no-consent").update(title_fr="Autre titre")
    Lesson.objects.filter(key="m1-l2-no-consent").update(title_fr=original)
    assert content_counts(curriculum_load())["kept"] == 0
    document = real_document()
    document["modules"][0]["lessons"][1]["title"]["fr"] = "Titre 2"
    curriculum_load(path=write(tmp_path, document))
    assert lesson("m1-l2-no-consent").title_fr == "Titre 2"


def test_a_lesson_moved_to_another_module_keeps_its_learners_progress(tmp_path):
    curriculum_load()
    moved = lesson("m1-l2-no-consent")
    learner = UserFactory()
    EnrollmentFactory(learner=learner, course=moved.module.course)
    LessonProgress.objects.create(learner=learner, lesson=moved)
    document = real_document()
    document["modules"][1]["lessons"].insert(0, document["modules"][0]["lessons"].pop(1))
    report = curriculum_load(path=write(tmp_path, document))
    after = lesson("m1-l2-no-consent")
    assert after.pk == moved.pk
    assert (after.module.key, after.position) == ("m2-recruitment", 1)
    assert lesson("m2-l1-relationships").position == 2
    assert LessonProgress.objects.filter(learner=learner, lesson=after).exists()
    assert ("updated", "lesson m1-l2-no-consent") in report.lines


def test_a_lesson_no_longer_in_the_file_is_reported_and_left_with_its_progress(tmp_path):
    curriculum_load()
    removed = lesson("m5-l2-safety-referral")
    LessonProgress.objects.create(learner=UserFactory(), lesson=removed)
    extra = LessonFactory(module=removed.module, key="")
    document = real_document()
    document["modules"][4]["lessons"].pop()
    report = curriculum_load(path=write(tmp_path, document))
    assert Lesson.objects.filter(pk__in=[removed.pk, extra.pk]).count() == 2
    assert LessonProgress.objects.filter(lesson=removed).exists()
    assert report.counts["left"] == 2
    assert any("lesson m5-l2-safety-referral" in label for action, label in report.lines)


def test_a_course_an_administrator_unpublished_stays_unpublished_unless_forced():
    curriculum_load()
    Course.objects.filter(slug=SLUG).update(is_published=False)
    report = curriculum_load()
    assert not Course.objects.get(slug=SLUG).is_published
    assert content_counts(report)["kept"] == 1
    curriculum_load(force=True)
    assert Course.objects.get(slug=SLUG).is_published


def test_fingerprint_ignores_line_endings_and_surrounding_blanks_but_not_content():
    first = LessonFactory(body_fr="Un\ntexte", body_en="A text")
    second = LessonFactory(body_fr="  Un\r\ntexte\n", body_en="A text")
    third = LessonFactory(body_fr="Un\ntexte.", body_en="A text")
    fields = ("body_fr", "body_en")
    assert fingerprint(first, fields) == fingerprint(second, fields)
    assert fingerprint(first, fields) != fingerprint(third, fields)
    assert len(fingerprint(first, fields)) == 64


# --- malformed files -------------------------------------------------------------------------


def _last_lesson(document):
    return document["modules"][-1]["lessons"][-1]


def _without_english_title(document):
    del _last_lesson(document)["title"]["en"]


def _empty_french_body(document):
    _last_lesson(document)["body"]["fr"] = "   \n"


def _without_body(document):
    del _last_lesson(document)["body"]


def _unknown_source(document):
    _last_lesson(document)["sources"] = ["hotline", "rumour"]


def _duplicate_lesson_id(document):
    _last_lesson(document)["id"] = "m1-l1-what-it-is"


def _duplicate_module_id(document):
    document["modules"][-1]["id"] = "m1-definition"


def _too_long(document):
    _last_lesson(document)["minutes"] = 12


def _typo_in_a_key(document):
    _last_lesson(document)["tittle"] = _last_lesson(document).pop("title")


def _bad_slug(document):
    document["course"]["slug"] = "Sex trafficking!"


LAST = "modules[4].lessons[3] (m5-l4-looking-after-yourself)"

MALFORMED = [
    (_without_english_title, LAST, "title: the English text (en) is missing"),
    (_empty_french_body, LAST, "body.fr: the French text is empty"),
    (_without_body, LAST, "the required key `body` is missing"),
    (_unknown_source, LAST, "sources: unknown source 'rumour'"),
    (_duplicate_lesson_id, "modules[4].lessons[3] (m1-l1-what-it-is)", "duplicate lesson id"),
    (_duplicate_module_id, "modules[4] (m1-definition)", "duplicate module id"),
    (_too_long, LAST, "minutes: must be a whole number from 2 to 5"),
    (_typo_in_a_key, LAST, "unknown key `tittle`"),
    (_bad_slug, "course", "slug: 'Sex trafficking!' is not a valid id"),
]


@pytest.fixture
def loaded(tmp_path):
    """The real course, loaded, with a learner's progress: what a bad file must not touch."""
    curriculum_load(path=write(tmp_path, real_document(), "loaded.yaml"))
    LessonProgress.objects.create(learner=UserFactory(), lesson=lesson("m1-l1-what-it-is"))
    return snapshot()


@pytest.mark.parametrize(
    ("break_it", "entry", "problem"), MALFORMED, ids=[case[0].__name__ for case in MALFORMED]
)
def test_a_malformed_file_names_file_entry_and_problem_and_changes_nothing(
    tmp_path, loaded, break_it, entry, problem
):
    document = real_document()
    document["version"] = 7  # would change the course, if anything were written
    document["modules"][0]["lessons"][0]["title"]["fr"] = "Changé"
    break_it(document)
    path = write(tmp_path, document, "broken.yaml")
    with pytest.raises(CurriculumError) as error:
        curriculum_load(path=path)
    message = str(error.value)
    assert str(path) in message
    assert f": {entry}: " in message
    assert problem in message
    assert ", line " in message  # the line of the entry, to find it in the file
    assert snapshot() == loaded
    assert LessonProgress.objects.count() == 1


def test_a_yaml_syntax_error_names_its_line_and_changes_nothing(tmp_path, loaded):
    text = REAL.read_text(encoding="utf-8")
    assert "\n  validity_months: 12\n" in text
    text = text.replace("\n  validity_months: 12\n", "\n  validity_months: [12\n", 1)
    with pytest.raises(CurriculumError) as error:
        curriculum_load(path=write(tmp_path, text))
    assert "curriculum.yaml, line " in str(error.value)
    assert ": YAML syntax: " in str(error.value)
    assert snapshot() == loaded


def test_a_key_given_twice_is_refused(tmp_path, loaded):
    title = '      fr: "Comment les trafiquants recrutent"\n'
    text = REAL.read_text(encoding="utf-8")
    assert title in text
    text = text.replace(title, title + '      fr: "Encore"\n', 1)
    with pytest.raises(CurriculumError, match="duplicate key 'fr'"):
        curriculum_load(path=write(tmp_path, text))
    assert snapshot() == loaded


def test_a_missing_file_is_an_error_not_a_crash(tmp_path):
    with pytest.raises(CurriculumError, match="file: not found"):
        curriculum_load(path=tmp_path / "nowhere.yaml")


def test_a_malformed_file_creates_no_course_in_an_empty_database(tmp_path):
    document = real_document()
    _without_body(document)
    with pytest.raises(CurriculumError):
        curriculum_load(path=write(tmp_path, document))
    assert not Course.objects.exists()
    assert not Lesson.objects.exists()


# --- quizzes ---------------------------------------------------------------------------------


def _last_choice(document):
    return document["modules"][-1]["quiz"]["scenarios"][-1]["questions"][-1]["choices"][-1]


def test_a_malformed_last_choice_of_the_last_quiz_changes_nothing(tmp_path):
    curriculum_load()
    LessonProgress.objects.create(learner=UserFactory(), lesson=lesson("m1-l1-what-it-is"))
    before = snapshot()
    document = real_document(quizzes=True)
    document["version"] += 1
    document["modules"][0]["lessons"][0]["title"]["fr"] = "Changé"
    last = _last_choice(document)
    del last["feedback"]["en"]
    path = write(tmp_path, document, "broken.yaml")
    with pytest.raises(CurriculumError) as error:
        curriculum_load(path=path)
    assert f"{path}, line " in str(error.value)
    assert f"({last['id']})" in error.value.entry
    assert error.value.entry.startswith("modules[4].quiz (m5-responding).scenarios[")
    assert error.value.problem == "feedback: the English text (en) is missing"
    assert snapshot() == before


def test_an_error_while_writing_the_last_quiz_rolls_back_the_whole_load(tmp_path):
    curriculum_load()
    # Two questions of the last quiz with one id (in two scenarios, which the database allows):
    # the loader cannot tell which is the file's, and stops once it reaches that quiz.
    questions = Question.objects.filter(scenario__quiz__module__key="m5-responding")
    first = questions.order_by("scenario__position", "position").first()
    other = questions.exclude(scenario=first.scenario).first()
    Question.objects.filter(pk=other.pk).update(key=first.key)
    before = snapshot()
    document = real_document(quizzes=True)
    document["version"] += 1
    document["modules"][0]["lessons"][0]["body"]["en"] = "Rewritten."
    with pytest.raises(CurriculumError) as error:
        curriculum_load(path=write(tmp_path, document))
    assert error.value.entry == f"question {first.key}"
    assert "two questions of this quiz in the database have this id" in error.value.problem
    assert snapshot() == before


# --- the command -----------------------------------------------------------------------------


def run(*args, **options):
    out = StringIO()
    call_command("load_curriculum", *args, stdout=out, **options)
    return out.getvalue()


def test_the_command_says_what_it_did(tmp_path):
    path = write(tmp_path, real_document())
    output = run(str(path))
    document = real_document()
    rows = 1 + len(document["modules"]) + lesson_count()  # the course, its modules and lessons
    former = len(document["course"].get("former_slugs", []))
    version = document["version"]
    created = f"{rows + former} created, 0 updated, 0 kept, 0 unchanged.\n"
    assert f"{path} (version {version}): {created}" in output
    assert "lesson m1-l1" not in output
    output = run(str(path), verbosity=2)
    assert f"0 created, 0 updated, 0 kept, {rows} unchanged." in output
    assert "unchanged lesson m3-l2-drugs-alcohol" in output


def test_the_command_loads_the_default_file_without_arguments():
    output = run()
    assert f"{DEFAULT_PATH} (version {real_document()['version']}): " in output
    assert Course.objects.get(slug=SLUG).is_published


def test_the_command_shows_kept_entries_and_how_to_replace_them():
    run()
    Lesson.objects.filter(key="m1-l1-what-it-is").update(title_en="Edited")
    output = run()
    assert "kept      lesson m1-l1-what-it-is" in output
    assert "--force" in output
    assert "updated   lesson m1-l1-what-it-is" in run("--force", verbosity=2)


def test_the_command_fails_on_a_malformed_file_and_changes_nothing(tmp_path, loaded):
    document = real_document()
    _unknown_source(document)
    path = write(tmp_path, document)
    with pytest.raises(CommandError) as error:
        run(str(path))
    assert f"{path}, line " in str(error.value)
    assert LAST in str(error.value)
    assert snapshot() == loaded


def test_the_command_is_quiet_at_verbosity_0():
    assert run(verbosity=0) == ""


def test_the_document_is_not_changed_by_loading_it():
    document = real_document()
    original = copy.deepcopy(document)
    curriculum_read(path=REAL)
    assert document == original


# --- concurrency (PostgreSQL) ----------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_loads_at_once_of_a_new_lesson_create_it_once(tmp_path, monkeypatch, run_together):
    import time

    from curriculum.writing import course as writing

    path = write(tmp_path, real_document())
    curriculum_load(path=path)
    sync = writing.entry_sync

    def slow_sync(instance, *args, **kwargs):
        sync(instance, *args, **kwargs)
        if isinstance(instance, Course):
            time.sleep(0.3)  # both loads are now past the course, unless one waits for the other

    monkeypatch.setattr(writing, "entry_sync", slow_sync)
    document = real_document()
    extra = copy.deepcopy(document["modules"][0]["lessons"][0])
    extra["id"] = "m1-l3-extra"
    document["modules"][0]["lessons"].append(extra)  # the course itself is unchanged
    path = write(tmp_path, document, "v2.yaml")
    results = run_together(lambda index: curriculum_load(path=path), 2)
    assert all(isinstance(result, LoadReport) for result in results), results
    assert Lesson.objects.filter(key="m1-l3-extra").count() == 1
    created = [content_counts(result)["created"] for result in results]
    assert sorted(created) == [0, 1]  # the second waited for the first, then found it


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_first_loads_at_once_give_one_course_or_a_clear_error(tmp_path, run_together):
    path = write(tmp_path, real_document())
    results = run_together(lambda index: curriculum_load(path=path), 2)
    assert any(isinstance(result, LoadReport) for result in results)
    for result in results:
        if not isinstance(result, LoadReport):
            assert isinstance(result, CurriculumError), result
            assert "run again" in str(result)
    assert Course.objects.count() == 1
    assert Module.objects.count() == 5
    assert Lesson.objects.count() == lesson_count()


def test_a_course_renamed_in_the_file_keeps_its_rows_and_redirects_from_its_former_slug(
    tmp_path,
):
    from courses.models import FormerSlug

    document = real_document()
    document["course"]["slug"] = "old-name"
    document["course"].pop("former_slugs", None)
    curriculum_load(path=write(tmp_path, document))
    course = Course.objects.get(slug="old-name")
    learner = UserFactory()
    LessonProgress.objects.create(learner=learner, lesson=lesson_in(course, "m1-l1-what-it-is"))
    document["course"]["slug"] = SLUG
    document["course"]["former_slugs"] = ["old-name"]
    report = curriculum_load(path=write(tmp_path, document, "renamed.yaml"))
    renamed = Course.objects.get(pk=course.pk)
    assert renamed.slug == SLUG
    assert Course.objects.count() == 1
    assert LessonProgress.objects.filter(learner=learner).count() == 1
    assert list(FormerSlug.objects.values_list("slug", "course_id")) == [("old-name", course.pk)]
    assert ("created", f"former address old-name of course {SLUG}") in report.lines
    # Loading again finds it by its new slug and changes nothing more.
    report = curriculum_load(path=write(tmp_path, document, "renamed.yaml"))
    assert FormerSlug.objects.count() == 1
    assert report.counts["created"] == 0


def test_a_former_slug_equal_to_the_slug_is_refused(tmp_path):
    document = real_document()
    document["course"]["former_slugs"] = [document["course"]["slug"]]
    with pytest.raises(CurriculumError) as error:
        curriculum_load(path=write(tmp_path, document))
    assert "former_slugs" in error.value.problem


def lesson_in(course, key):
    return Lesson.objects.get(module__course=course, key=key)
