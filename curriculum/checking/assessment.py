"""Checking the course's knowledge check (`assessment:` at the top of the file, optional):

    assessment:
      items:
        - id: ka-m1-1                # unique among the items and choices of the course
          form: A                    # A or B
          lesson: m1-l1-what-it-is   # the lesson it measures, one of the course's
          text: {fr: ..., en: ...}
          choices:                   # at least 2, exactly one correct
            - id: ka-m1-1-a
              correct: true
              text: {fr: ..., en: ...}

The two forms are parallel: each module has as many items in form A as in form B, so that
the gain from one form before to the other after compares like with like.
"""

from django.utils import translation
from django.utils.translation import gettext_noop

from assessments.models import Form, Item, ItemChoice, item_choice_error
from curriculum.checking.base import Checks, max_length
from curriculum.report import Problem
from curriculum.specs import ItemChoiceSpec, ItemSpec, ModuleSpec


class AssessmentChecks(Checks):
    def assessment(self, root, modules: list[ModuleSpec]) -> list[ItemSpec]:
        data = self.mapping(root["assessment"], "assessment", ("items",), parent=root)
        module_of = {lesson.key: module.key for module in modules for lesson in module.lessons}
        seen: dict[str, str] = {}
        items = [
            self.assessment_item(item, f"assessment.items[{index}]", seen, module_of)
            for index, item in enumerate(self.items(data, "items", "assessment"))
        ]
        self.check_parallel_forms(data, items, modules, module_of)
        return items

    def assessment_identifier(self, mapping, entry, seen, model) -> str:
        value = self.identifier(mapping, "id", entry, limit=max_length(model, "key"))
        if value in seen:
            self.fail(
                entry,
                Problem(gettext_noop("duplicate id (also %(first)s)"), first=seen[value]),
                mapping,
                "id",
            )
        seen[value] = entry
        return value

    def assessment_item(self, item, entry, seen, module_of) -> ItemSpec:
        self.mapping(item, entry, ("id", "form", "lesson", "text", "choices"))
        key = self.assessment_identifier(item, entry, seen, Item)
        entry = f"{entry} ({key})"
        if item["form"] not in Form.values:
            self.fail(
                entry,
                Problem(
                    gettext_noop("form: %(value)s is not one of %(known)s"),
                    value=repr(item["form"]),
                    known=", ".join(Form.values),
                ),
                item,
                "form",
            )
        lesson = item["lesson"]
        if lesson not in module_of:
            self.fail(
                entry,
                Problem(gettext_noop("lesson: unknown lesson id %(lesson)s"), lesson=repr(lesson)),
                item,
                "lesson",
            )
        values = {"form": item["form"], **self.text(item, "text", entry, model=Item)}
        choices = [
            self.assessment_choice(choice, f"{entry}.choices[{index}]", seen)
            for index, choice in enumerate(self.items(item, "choices", entry))
        ]
        with translation.override("en"):  # the loader speaks English, like its command
            problem = item_choice_error(
                choice_count=len(choices),
                correct_count=sum(1 for choice in choices if choice.values["is_correct"]),
            )
        if problem:
            self.fail(entry, problem, item, "choices")
        return ItemSpec(key, values, lesson, choices)

    def assessment_choice(self, choice, entry, seen) -> ItemChoiceSpec:
        self.mapping(choice, entry, ("id", "correct", "text"))
        key = self.assessment_identifier(choice, entry, seen, ItemChoice)
        entry = f"{entry} ({key})"
        values = {
            "is_correct": self.boolean(choice, "correct", entry),
            **self.text(choice, "text", entry, model=ItemChoice),
        }
        return ItemChoiceSpec(key, values)

    def check_parallel_forms(self, data, items, modules, module_of) -> None:
        for module in modules:
            counts = {form: 0 for form in Form.values}
            for item in items:
                if module_of[item.lesson_key] == module.key:
                    counts[item.values["form"]] += 1
            if counts[Form.A] != counts[Form.B]:
                self.fail(
                    f"assessment.items ({module.key})",
                    Problem(
                        gettext_noop(
                            "forms A and B must have the same number of items in each module: "
                            "module %(module)s has %(a)s in form A and %(b)s in form B"
                        ),
                        module=module.key,
                        a=counts[Form.A],
                        b=counts[Form.B],
                    ),
                    data,
                    "items",
                )
