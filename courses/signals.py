"""What happens to a learner in a course, for apps above courses to act on (xapi: the
statements sent to an organization's learning record store).

Each signal is sent by the service that makes it happen, inside its transaction, once per
event (a second enrollment, or a lesson marked done twice, sends nothing):

- `enrolled`: `sender=Enrollment, enrollment=<Enrollment>`, a learner enrolled themself
  (`services.enrollment_create`).
- `lesson_completed`: `sender=LessonProgress, progress=<LessonProgress>, lesson=<Lesson>,
  enrollment=<Enrollment>`, a lesson marked as done (`services.lesson_mark_done`).

A course completed is `hooks.course_completed`, older than this module.
"""

from django.dispatch import Signal

enrolled = Signal()
lesson_completed = Signal()
