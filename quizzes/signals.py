"""What happens to a learner's quiz attempts, for apps above quizzes to act on (xapi: the
statements sent to an organization's learning record store).

- `attempt_submitted`: `sender=Attempt, attempt=<Attempt>, enrollment=<Enrollment>,
  right=<int>, total=<int>`, an attempt graded (`services.attempt_submit`), practice or
  not (`attempt.practice`), with its score and pass set and `right` of `total` questions
  answered right. Sent once per
  attempt, inside the grading transaction, before the pass may complete the course (so a
  receiver sees the attempt before `courses.hooks.course_completed`, which is sent with
  the same `enrollment` object).
"""

from django.dispatch import Signal

attempt_submitted = Signal()
