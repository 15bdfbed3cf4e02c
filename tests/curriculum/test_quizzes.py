"""The quizzes of the course's curriculum file, and how the loader checks and writes them."""

import copy
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Module
from curriculum.checking import check_quiz
from curriculum.reading import DEFAULT_PATH
from curriculum.report import CurriculumError
from curriculum.services import curriculum_load
from quizzes.models import Choice, Question, Quiz, Scenario, Setting

COURSE_FILE = Path(settings.BASE_DIR) / DEFAULT_PATH


@pytest.fixture(scope="module")
def document():
    return yaml.safe_load(COURSE_FILE.read_text(encoding="utf-8"))


def quizzes_of(document):
    return {module["id"]: module["quiz"] for module in document["modules"]}


def lesson_keys(document):
    return {lesson["id"] for module in document["modules"] for lesson in module["lessons"]}


# --- the content -------------------------------------------------------------------------------


def test_every_module_has_a_quiz(document):
    assert all("quiz" in module for module in document["modules"])


def test_every_quiz_has_scenarios_for_each_setting(document):
    """Module 1 and 5 too: version 2 gave them workplace scenarios (two per setting, which
    tests/curriculum/test_content_rules.py checks)."""
    for module, quiz in quizzes_of(document).items():
        settings_given = {s["setting"] for s in quiz["scenarios"]}
        assert settings_given == {"shelter", "group_home", "school", "any"}, module


def test_every_learner_gets_questions_in_every_quiz(document):
    """A learner of an `other` workplace gets only the `any` scenarios: each quiz has some."""
    for module, quiz in quizzes_of(document).items():
        for workplace in ("shelter", "group_home", "school", "other"):
            given = [s for s in quiz["scenarios"] if s["setting"] in (workplace, "any")]
            assert given, (module, workplace)


def test_scenarios_have_2_to_4_questions_and_every_choice_has_feedback_in_both_languages(
    document,
):
    for quiz in quizzes_of(document).values():
        for scenario in quiz["scenarios"]:
            assert 2 <= len(scenario["questions"]) <= 5, scenario["id"]
            for field in ("title", "situation"):
                assert scenario[field]["fr"].strip()
                assert scenario[field]["en"].strip()
            for question in scenario["questions"]:
                assert question["text"]["fr"].strip()
                assert question["text"]["en"].strip()
                for choice in question["choices"]:
                    for field in ("text", "feedback"):
                        assert choice[field]["fr"].strip(), choice["id"]
                        assert choice[field]["en"].strip(), choice["id"]


def test_the_real_file_passes_the_quiz_checks(document):
    keys = lesson_keys(document)
    for index, module in enumerate(document["modules"]):
        check_quiz(module["quiz"], path="file", entry=f"modules[{index}].quiz", lesson_keys=keys)


def test_select_all_questions_say_so_in_their_text(document):
    for quiz in quizzes_of(document).values():
        for scenario in quiz["scenarios"]:
            for question in scenario["questions"]:
                if question["kind"] == "multiple":
                    assert "Choisissez toutes les bonnes réponses" in question["text"]["fr"]
                    assert "Select all that apply" in question["text"]["en"]


# --- checking an entry ---------------------------------------------------------------------------


def a_quiz():
    choice = {"text": {"fr": "Choix", "en": "Choice"}, "feedback": {"fr": "Car", "en": "Because"}}
    question = {
        "id": "q1",
        "kind": "single",
        "lesson": "l1",
        "text": {"fr": "Question ?", "en": "Question?"},
        "choices": [
            {"id": "q1-a", "correct": True, **copy.deepcopy(choice)},
            {"id": "q1-b", "correct": False, "level": "wrong", **copy.deepcopy(choice)},
        ],
    }
    second = copy.deepcopy(question)
    second["id"] = "q2"
    for choice in second["choices"]:
        choice["id"] = choice["id"].replace("q1", "q2")
    return {
        "pass_mark": 80,
        "scenarios": [
            {
                "id": "s1",
                "setting": "any",
                "title": {"fr": "Titre", "en": "Title"},
                "situation": {"fr": "Situation", "en": "Situation"},
                "questions": [question, second],
            }
        ],
    }


def check(data):
    return check_quiz(data, path="file.yaml", entry="modules[0].quiz", lesson_keys={"l1"})


def test_a_well_formed_entry_passes():
    check(a_quiz())


def broken(change):
    data = a_quiz()
    change(data)
    return data


def first_question(data):
    return data["scenarios"][0]["questions"][0]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda d: first_question(d)["choices"][1].update(correct=True),
            "exactly one correct choice",
        ),
        (
            lambda d: [c.update(correct=False) for c in first_question(d)["choices"]],
            "at least one correct choice",
        ),
        (lambda d: first_question(d).update(lesson="no-such-lesson"), "unknown lesson id"),
        (lambda d: first_question(d)["choices"][0]["feedback"].pop("en"), "English text (en)"),
        (lambda d: first_question(d)["choices"][0].pop("feedback"), "`feedback` is missing"),
        (lambda d: d["scenarios"][0].update(setting="hospital"), "setting: 'hospital'"),
        (lambda d: d["scenarios"][0].update(setting="school"), "`setting: any`"),
        (lambda d: first_question(d).update(kind="essay"), "kind: 'essay'"),
        (lambda d: d["scenarios"][0]["questions"].pop(), "1 given, 2 to 5 needed"),
        (lambda d: d.update(pass_mark=0), "pass_mark"),
        (lambda d: d.update(max_attempts=0), "max_attempts"),
        (lambda d: d.update(shuffle_choices="yes"), "shuffle_choices"),
        (lambda d: d.update(colour="blue"), "unknown key `colour`"),
        (lambda d: first_question(d)["choices"][1].update(id="q1-a"), "duplicate id"),
        (lambda d: first_question(d).update(id="Not An Id"), "is not a valid id"),
        (lambda d: first_question(d)["choices"][0].update(correct="yes"), "true or false"),
        (lambda d: first_question(d)["choices"][1].pop("level"), "a wrong choice needs one"),
        (lambda d: first_question(d)["choices"][1].update(level="awful"), "level: 'awful'"),
        (lambda d: first_question(d)["choices"][0].update(level="partly"), "has no level"),
    ],
)
def test_a_broken_entry_is_refused_with_the_file_the_entry_and_the_problem(change, problem):
    with pytest.raises(CurriculumError) as error:
        check(broken(change))
    assert error.value.path == "file.yaml"
    assert error.value.entry.startswith("modules[0].quiz")
    assert problem in error.value.problem


def test_the_error_names_the_question():
    with pytest.raises(CurriculumError) as error:
        check(broken(lambda d: first_question(d).update(lesson="nope")))
    assert error.value.entry == "modules[0].quiz.scenarios[0] (s1).questions[0] (q1)"


# --- loading -------------------------------------------------------------------------------------


pytestmark_db = pytest.mark.django_db


def load(force=False):
    return curriculum_load(path=COURSE_FILE, force=force)


@pytestmark_db
def test_loading_the_course_creates_every_quiz_scenario_question_and_choice(document):
    report = load()
    quizzes = quizzes_of(document)
    assert Quiz.objects.count() == len(quizzes) == 5
    scenarios = [s for q in quizzes.values() for s in q["scenarios"]]
    questions = [x for s in scenarios for x in s["questions"]]
    choices = [c for x in questions for c in x["choices"]]
    assert Scenario.objects.count() == len(scenarios)
    assert Question.objects.count() == len(questions)
    assert Choice.objects.count() == len(choices)
    assert Question.objects.filter(lesson__isnull=True).count() == 0
    assert report.counts["created"] >= len(choices)
    question = Question.objects.get(key="m2-s4-q2")
    assert question.lesson.key == "m2-l1-relationships"
    assert question.scenario.quiz.module.key == "m2-recruitment"
    assert question.scenario.setting == Setting.ANY
    assert question.text_en.startswith("Sam tells you")
    assert question.choices.filter(is_correct=True).get().key == "m2-s4-q2-b"


@pytestmark_db
def test_loading_twice_changes_nothing():
    load()
    before = {
        model: list(model.objects.order_by("pk").values())
        for model in (Quiz, Scenario, Question, Choice)
    }
    with CaptureQueriesContext(connection) as queries:
        report = load()
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].startswith(("INSERT", "UPDATE", "DELETE")) and "quizzes_" in q["sql"]
    ]
    assert writes == []
    quiz_lines = [
        line
        for line in report.lines
        if line[1].split()[0] in ("quiz", "scenario", "question", "choice")
    ]
    assert {action for action, _label in quiz_lines} == {"unchanged"}
    after = {
        model: list(model.objects.order_by("pk").values())
        for model in (Quiz, Scenario, Question, Choice)
    }
    assert after == before


@pytestmark_db
def test_an_administrators_edit_is_kept_unless_forced():
    load()
    choice = Choice.objects.get(key="m1-s1-q1-a")
    choice.feedback_fr = "Rétroaction revue par l’équipe."
    choice.save()
    quiz = Quiz.objects.get(module__key="m1-definition")
    quiz.pass_mark = 70
    quiz.save()
    report = load()
    assert ("kept", "choice m1-s1-q1-a") in report.lines
    assert ("kept", "quiz m1-definition") in report.lines
    choice.refresh_from_db()
    quiz.refresh_from_db()
    assert choice.feedback_fr == "Rétroaction revue par l’équipe."
    assert quiz.pass_mark == 70
    report = load(force=True)
    assert ("updated", "choice m1-s1-q1-a") in report.lines
    choice.refresh_from_db()
    quiz.refresh_from_db()
    assert choice.feedback_fr.startswith("En partie juste")
    assert quiz.pass_mark == 80


@pytestmark_db
def test_what_the_file_no_longer_has_is_left_in_place_and_reported(tmp_path, document):
    load()
    data = copy.deepcopy(document)
    quiz = data["modules"][0]["quiz"]
    removed = quiz["scenarios"].pop()
    path = tmp_path / "course.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = curriculum_load(path=path)
    assert any(
        action == "left" and label.startswith(f"scenario {removed['id']}")
        for action, label in report.lines
    )
    assert Scenario.objects.filter(key=removed["id"]).exists()


@pytestmark_db
def test_kept_edits_that_would_make_a_question_ungradable_stop_the_load(tmp_path, document):
    load()
    # An administrator moves the right answer of a single-answer question to another choice…
    question = Question.objects.get(key="m1-s1-q3")
    right = question.choices.get(is_correct=True)
    other = question.choices.exclude(pk=right.pk).order_by("position").first()
    right.is_correct, other.is_correct = False, True
    right.level, other.level = "wrong", ""
    right.save()
    other.save()
    # …while the file moves it elsewhere: its choice becomes right, the admin's stays right.
    data = copy.deepcopy(document)
    spec = next(
        q
        for s in data["modules"][0]["quiz"]["scenarios"]
        for q in s["questions"]
        if q["id"] == "m1-s1-q3"
    )
    third = next(
        c for c in spec["choices"] if c["id"] not in (right.key, other.key) and not c["correct"]
    )
    for choice in spec["choices"]:
        choice["correct"] = choice is third
        if choice["correct"]:
            choice.pop("level")
        else:
            choice.setdefault("level", "wrong")
    path = tmp_path / "course.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = sorted(question.choices.values_list("key", "is_correct"))
    with pytest.raises(CurriculumError) as error:
        curriculum_load(path=path)
    assert error.value.entry == "question m1-s1-q3"
    assert "exactly one correct choice" in error.value.problem
    assert sorted(question.choices.values_list("key", "is_correct")) == before


@pytestmark_db
def test_a_module_without_quiz_in_the_file_keeps_its_quiz():
    load()
    assert Module.objects.filter(quiz__isnull=False).count() == 5
