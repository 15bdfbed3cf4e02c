"""What happens to a learner in a course, for apps above courses to act on (xapi: the
statements sent to an organization's learning record store).

Each signal is sent by the service that makes it happen, inside its transaction, once per
event (a second enrollment, or a lesson marked done twice, sends nothing):

- `enrolled`: `sender=Enrollment, enrollment=<Enrollment>`, a learner enrolled themself
  (`services.enrollment_create`).
- `enrolled_many`: `sender=Enrollment, course=<Course>, learners=<QuerySet of users>`,
  learners enrolled by an assignment (`services.enrollments_create_many`, one INSERT …
  SELECT): `learners` names everyone it was given, whether enrolled now or before, so
  that a receiver can tell them apart by their enrollments' dates if it must.
- `lesson_completed`: `sender=LessonProgress, progress=<LessonProgress>, lesson=<Lesson>,
  enrollment=<Enrollment>`, a lesson marked as done (`services.lesson_mark_done`).

A course completed is `hooks.course_completed`, older than this module.
"""

from django.dispatch import Signal

enrolled = Signal()
enrolled_many = Signal()
lesson_completed = Signal()
