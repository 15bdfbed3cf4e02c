"""The curriculum loader: the real file loads once and only once, administrators' edits are
kept, positions and renames follow the file, and concurrent loads write once."""

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Course, Lesson, LessonProgress, Module
from curriculum.reading import curriculum_read
from curriculum.report import ACTIONS, CurriculumError, LoadReport
from curriculum.services import curriculum_load
from quizzes.models import Choice
from tests.curriculum.documents import (
    REAL,
    SLUG,
    content_counts,
    lesson,
    lesson_count,
    real_document,
    snapshot,
    write,
)
from tests.factories import EnrollmentFactory, LessonFactory, UserFactory

pytestmark = pytest.mark.django_db


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
    # The file changed the published course: a new version, numbered as the file says.
    assert ("updated", f"version {document['version']} of course {SLUG}") in report.lines


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
