"""When a course is complete: the rule, in one place.

A course requires of a learner, in the current cycle of their enrollment:

1. every lesson of *this* course done (a course without lessons is never complete;
   lessons done in other courses count for nothing here);
2. everything the apps above ask through `courses.hooks.completion_requirements`
   (quizzes: every module's quiz passed in the current cycle).

`enrollment_requirements_met` answers whether a learner has met them;
`courses.services.enrollment_update_completion` is the one writer that records it.
"""

from courses import hooks
from courses.models import Enrollment, Lesson, LessonProgress


def lessons_required(*, enrollment: Enrollment):
    """The lessons the enrollment's course requires (all of its own)."""
    return Lesson.objects.filter(module__course_id=enrollment.course_id)


def enrollment_lessons_done(*, enrollment: Enrollment) -> bool:
    """Every lesson of the enrollment's course is done, and there is at least one."""
    required = lessons_required(enrollment=enrollment)
    total = required.count()
    done = LessonProgress.objects.filter(
        learner_id=enrollment.learner_id, lesson__in=required.values("pk")
    ).count()
    return total > 0 and done >= total


def enrollment_requirements_met(*, enrollment: Enrollment) -> bool:
    """The learner has met everything the course requires in the current cycle."""
    if not enrollment_lessons_done(enrollment=enrollment):
        return False
    return all(requirement(enrollment) for requirement in hooks.completion_requirements)
