"""Signals of the supervision app, for the apps above it (the webhooks app listens).

- `assignments_overdue`: the assignments that `assignments_announce_overdue` (run daily by
  `manage.py send_reminders`) has just found overdue for the first time, a batch at a
  time, inside the transaction that records them (`sender=Assignment,
  assignments=[<Assignment>, …]`, with their learner, course and organization). Each
  assignment is in it once per due date: moving the date and missing it again is a new
  event.
"""

from django.dispatch import Signal

assignments_overdue = Signal()
