"""A checked curriculum file: what the writer writes, entry by entry.

`values` maps model fields to what the file gives them (texts normalised, one field per
language: `title_fr`, `title_en`); `key` is the entry's id in the file.
"""

from dataclasses import dataclass, field


@dataclass
class ChoiceSpec:
    key: str
    values: dict


@dataclass
class QuestionSpec:
    key: str
    values: dict
    choices: list[ChoiceSpec]
    lesson_key: str | None = None  # the lesson that teaches it


@dataclass
class ScenarioSpec:
    key: str
    values: dict
    questions: list[QuestionSpec]


@dataclass
class QuizSpec:
    values: dict
    scenarios: list[ScenarioSpec]


@dataclass
class LessonSpec:
    key: str
    values: dict
    sources: tuple[str, ...] = ()  # the ids of the sources it cites


@dataclass
class ModuleSpec:
    key: str
    values: dict
    lessons: list[LessonSpec]
    quiz: QuizSpec | None = None
    sources: tuple[str, ...] = ()


@dataclass
class ItemChoiceSpec:
    key: str
    values: dict


@dataclass
class ItemSpec:
    """One item of the course's knowledge check (`assessment.items` in the file)."""

    key: str
    values: dict  # form, text_fr, text_en
    lesson_key: str
    choices: list[ItemChoiceSpec]


@dataclass
class CurriculumSpec:
    path: str
    version: int
    slug: str
    values: dict
    modules: list[ModuleSpec]
    former_slugs: tuple[str, ...] = field(default=())
    # The file's `sources:` as given (`id`, `description`, optional `url` and `checked`, a
    # date), and those the course cites: kept with the course so that its export has them.
    sources: list[dict] = field(default_factory=list)
    course_sources: tuple[str, ...] = field(default=())
    # The knowledge check's item bank (`assessment.items`), in the file's order; empty when
    # the file has no `assessment:` section.
    assessment_items: list[ItemSpec] = field(default_factory=list)
