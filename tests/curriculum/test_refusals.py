"""A malformed file is refused whole, naming the file, the line, the entry and the problem, and
changes nothing: wherever the problem is, down to the last choice of the last quiz."""

import pytest

from courses.models import Course, Lesson, LessonProgress
from curriculum.report import CurriculumError
from curriculum.services import curriculum_load
from quizzes.models import Question
from tests.curriculum.documents import REAL, lesson, real_document, snapshot, write
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


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
