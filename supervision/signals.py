"""Signals of the supervision app, for the apps above it (the webhooks app listens).

- `assignment_overdue`: sent once per assignment and due date, when
  `assignments_announce_overdue` (run daily by `manage.py send_reminders`) first finds it
  overdue, inside the transaction that records it (`sender=Assignment,
  assignment=<Assignment>`). Moving the due date and missing it again is a new event.
"""

from django.dispatch import Signal

assignment_overdue = Signal()
