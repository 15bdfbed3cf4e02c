"""Signals of the certificates app, for the apps above it (the webhooks app listens).

Each is sent inside the transaction of the write it announces, with
`sender=Certificate`:

- `certificate_issued` (`certificate=<Certificate>`): once, when a certificate is first
  issued (not when a concurrent caller gets the winner's certificate back);
- `certificate_revoked` (`certificate=<Certificate>`): once, when an administrator revokes it;
- `certificates_expiring` (`certificates=[<Certificate>, …]`, with their holder, course
  and organization): each certificate once, the first time `certificates_announce_expiring`
  (run daily by `manage.py send_reminders`) finds it in its expiring window; a batch at a
  time.
"""

from django.dispatch import Signal

certificate_issued = Signal()
certificate_revoked = Signal()
certificates_expiring = Signal()
