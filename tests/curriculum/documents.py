"""What the loader tests share: the real file (as a document to change), writing a changed
copy, and a snapshot of every table the loader writes."""

from pathlib import Path

import yaml
from django.conf import settings

from assessments.models import Item, ItemChoice
from courses.models import Course, FormerSlug, Lesson, Module
from curriculum.reading import DEFAULT_PATH
from curriculum.report import ACTIONS
from quizzes.models import Choice, Question, Quiz, Scenario

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
    models = (Course, Module, Lesson, Quiz, Scenario, Question, Choice, Item, ItemChoice)
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def lesson(key) -> Lesson:
    return Lesson.objects.get(key=key, module__course__slug=SLUG)


def small_document(*, modules: int, quizzes: bool = True) -> dict:
    """The real file cut to its first `modules` modules (questions that cite a lesson of a
    module left out no longer cite it): a course file that loads fast."""
    document = real_document(quizzes=quizzes)
    document["modules"] = document["modules"][:modules]
    kept = {lesson["id"] for module in document["modules"] for lesson in module["lessons"]}
    for module in document["modules"]:
        for scenario in module.get("quiz", {}).get("scenarios", []):
            for question in scenario["questions"]:
                if question.get("lesson") not in kept:
                    question.pop("lesson", None)
    if "assessment" in document:
        # Items measure one lesson each: those of the modules left out go with them.
        items = [item for item in document["assessment"]["items"] if item["lesson"] in kept]
        if items:
            document["assessment"]["items"] = items
        else:
            del document["assessment"]
    return document


def dump(document) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(document, Dumper=dumper, allow_unicode=True, sort_keys=False)


def content() -> dict:
    """Every row the loader writes, as content: each field (every language, positions, keys,
    fingerprints) but the row ids, its parent and its lesson named by their keys instead: the
    same in two databases that hold the same course."""
    names = {
        "course_id": dict(Course.objects.values_list("pk", "slug")),
        "module_id": dict(Module.objects.values_list("pk", "key")),
        "lesson_id": dict(Lesson.objects.values_list("pk", "key")),
        "quiz_id": dict(Quiz.objects.values_list("pk", "module__key")),
        "scenario_id": dict(Scenario.objects.values_list("pk", "key")),
        "question_id": dict(Question.objects.values_list("pk", "key")),
        "item_id": dict(Item.objects.values_list("pk", "key")),
    }

    def rows(model):
        found = []
        for row in model.objects.values():
            del row["id"]
            for field, keys in names.items():
                if field in row:
                    row[field] = keys.get(row[field])
            found.append(row)
        return sorted(found, key=repr)

    models = (Course, FormerSlug, Module, Lesson, Quiz, Scenario, Question, Choice)
    models += (Item, ItemChoice)
    return {model.__name__: rows(model) for model in models}


def assessment_section(document, *, per_form: int = 1) -> dict:
    """A knowledge check for the document's course: `per_form` items in each form for each
    module, on the module's first lesson, three choices each (the first right)."""
    items = []
    for module in document["modules"]:
        lesson_id = module["lessons"][0]["id"]
        for form in ("A", "B"):
            for number in range(1, per_form + 1):
                key = f"ka-{module['id']}-{form.lower()}{number}"
                items.append(
                    {
                        "id": key,
                        "form": form,
                        "lesson": lesson_id,
                        "text": {"fr": f"Énoncé {key} ?", "en": f"Statement {key}?"},
                        "choices": [
                            {
                                "id": f"{key}-{letter}",
                                "correct": letter == "a",
                                "text": {"fr": f"Choix {letter}", "en": f"Choice {letter}"},
                            }
                            for letter in "abc"
                        ],
                    }
                )
    return {"items": items}


def with_assessment(document, *, per_form: int = 1) -> dict:
    document["assessment"] = assessment_section(document, per_form=per_form)
    return document
