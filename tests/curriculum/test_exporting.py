"""Exporting a course as its curriculum file: what `load_curriculum` reads back into the same
course, every language, position and id, in a fixed number of queries."""

import pytest
import yaml

from assessments.models import Item, ItemChoice
from courses.entries import normal
from courses.models import Course
from curriculum.exporting import course_document, course_file_text
from curriculum.models import CourseSources
from curriculum.reading import curriculum_parse
from curriculum.report import CurriculumError
from curriculum.selectors import courses_for_export
from curriculum.services import curriculum_import, curriculum_load
from quizzes.models import Choice, Question, Quiz, Scenario
from tests.assessments.factories import ItemFactory
from tests.curriculum.documents import REAL, SLUG, YAML_LOADER, content, dump, small_document
from tests.factories import CourseFactory, LessonFactory, ModuleFactory
from tests.quizzes.factories import ChoiceFactory, QuestionFactory, QuizFactory, ScenarioFactory

pytestmark = pytest.mark.django_db


def exported(slug=SLUG) -> str:
    course = Course.objects.get(slug=slug)
    return course_file_text(courses_for_export(course_ids=[course.pk]).get())


def normalised(value):
    """A file's data as the loader compares it: texts without surrounding blanks."""
    if isinstance(value, dict):
        return {key: normalised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalised(item) for item in value]
    return normal(value) if isinstance(value, str) else value


@pytest.fixture
def real_course():
    curriculum_load()
    return Course.objects.get(slug=SLUG)


def test_the_export_of_the_real_course_reads_back_as_the_real_file_without_its_comments(
    real_course,
):
    text = exported()
    original = yaml.load(REAL.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    assert normalised(yaml.load(text, Loader=YAML_LOADER)) == normalised(original)
    curriculum_parse(text=text, path="export.yaml")  # the loader's whole check: no error


def test_round_trip_of_the_real_course_into_an_empty_database_gives_the_same_content(real_course):
    """Export, delete the course (the database is then empty of content), import the export:
    every field of every entry in every language, positions, ids and fingerprints match."""
    before, text = content(), exported()
    sources = CourseSources.objects.values("sources", "citations").get()
    real_course.delete()
    assert (Course.objects.count(), Choice.objects.count()) == (0, 0)

    report = curriculum_import(text=text, name="export.yaml", force=False, dry_run=False)

    assert content() == before
    assert CourseSources.objects.values("sources", "citations").get() == sources
    assert {action for action, _label in report.lines} == {"created"}
    for model in (Course, Quiz, Scenario, Question, Choice, Item, ItemChoice):
        for row in model.objects.all():
            assert row.curriculum_fingerprint == row.content_fingerprint(), row
    assert exported() == text


def test_loading_the_export_over_its_own_course_changes_nothing(real_course):
    report = curriculum_import(text=exported(), name="export.yaml", force=False, dry_run=False)
    assert {action for action, _label in report.lines} == {"unchanged"}


def test_an_edit_made_in_the_admin_is_in_the_export(real_course):
    scenario = Scenario.objects.get(key="m1-s1-any")
    scenario.title_en = "Maya's arrangement, as edited"
    scenario.save()
    document = yaml.load(exported(), Loader=YAML_LOADER)
    assert document["modules"][0]["quiz"]["scenarios"][0]["title"]["en"] == (
        "Maya's arrangement, as edited"
    )


def test_the_export_runs_the_same_queries_for_a_course_of_one_or_three_modules(
    django_assert_num_queries,
):
    def build(modules):
        course = CourseFactory()
        for position in range(modules):
            module = ModuleFactory(course=course, position=position, key=f"m{position}")
            lessons = [LessonFactory(module=module, key=f"l{position}-{n}") for n in range(2)]
            scenario = ScenarioFactory(quiz=QuizFactory(module=module), key=f"s{position}")
            question = QuestionFactory(scenario=scenario, lesson=lessons[0], key=f"q{position}")
            ChoiceFactory(question=question, is_correct=True, key=f"c{position}")
            ItemFactory(lesson=lessons[1], key=f"ka{position}")
        return course

    small, large = build(1), build(3)
    with django_assert_num_queries(10):
        course_document(courses_for_export(course_ids=[small.pk]).get())
    with django_assert_num_queries(10):
        document = course_document(courses_for_export(course_ids=[large.pk]).get())
    assert [module["id"] for module in document["modules"]] == ["m0", "m1", "m2"]
    assert document["modules"][2]["quiz"]["scenarios"][0]["questions"][0]["lesson"] == "l2-0"
    assert [item["lesson"] for item in document["assessment"]["items"]] == ["l0-1", "l1-1", "l2-1"]


def test_entries_added_in_the_admin_get_an_id_from_their_row_and_wrong_choices_a_level():
    course = CourseFactory()
    module = ModuleFactory(course=course, key="")
    lesson = LessonFactory(module=module, key="")
    question = QuestionFactory(scenario=ScenarioFactory(quiz=QuizFactory(module=module), key=""))
    wrong = ChoiceFactory(question=question, is_correct=False, level="", key="")
    document = course_document(courses_for_export(course_ids=[course.pk]).get())
    exported_module = document["modules"][0]
    assert exported_module["id"] == f"module-{module.pk}"
    assert exported_module["lessons"][0]["id"] == f"lesson-{lesson.pk}"
    choice = exported_module["quiz"]["scenarios"][0]["questions"][0]["choices"][-1]
    assert (choice["id"], choice["level"]) == (f"choice-{wrong.pk}", "wrong")


def test_a_course_built_in_the_admin_without_sources_is_refused_by_the_check_of_its_export():
    course = CourseFactory()
    LessonFactory(module=ModuleFactory(course=course, key="m1"), key="l1")
    text = course_file_text(courses_for_export(course_ids=[course.pk]).get())
    with pytest.raises(CurriculumError) as error:
        curriculum_parse(text=text, path="export.yaml")
    assert error.value.entry == "sources"


def test_a_dry_run_writes_nothing_and_reports_what_the_load_would_do():
    text = dump(small_document(modules=2))
    report = curriculum_import(text=text, name="small.yaml", force=False, dry_run=True)
    assert Course.objects.count() == Choice.objects.count() == CourseSources.objects.count() == 0
    counts = report.counts_by_kind()
    assert counts["course"]["created"] == 1
    assert counts["module"]["created"] == 2
    assert counts["lesson"]["created"] == sum(
        len(module["lessons"]) for module in small_document(modules=2)["modules"]
    )
