"""One checker for the whole curriculum file: the course, its sources, modules and lessons
(`course.py`), each module's quiz (`quiz.py`) and the knowledge check (`assessment.py`), on
the same checks (`base.py`).

The whole file is checked before anything is written: the first problem raises
CurriculumError, naming the file, the line, the entry (`modules[2].lessons[1] (id)`) and the
problem.
"""

from curriculum.checking.assessment import AssessmentChecks
from curriculum.checking.course import CourseChecks
from curriculum.checking.quiz import QuizChecks
from curriculum.specs import CurriculumSpec, QuizSpec


class Checker(CourseChecks, QuizChecks, AssessmentChecks):
    pass


def check_document(document, *, path: str) -> CurriculumSpec:
    """The checked file (a YAML document read by `curriculum.reading`); touches no database."""
    return Checker(path).document(document)


def check_quiz(data, *, path: str, entry: str, lesson_keys) -> QuizSpec:
    """One module's checked `quiz` entry, the course's lessons being `lesson_keys`."""
    return Checker(path).quiz(data, entry, set(lesson_keys))
