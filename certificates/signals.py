"""Signals of the certificates app, for the apps above it (the webhooks app listens).

Each is sent inside the transaction of the write it announces, with
`sender=Certificate, certificate=<Certificate>`:

- `certificate_issued`: once, when a certificate is first issued (not when a concurrent
  caller gets the winner's certificate back);
- `certificate_revoked`: once, when an administrator revokes it;
- `certificate_expiring`: once per certificate, the first time `certificates_announce_expiring`
  (run daily by `manage.py send_reminders`) finds it in its expiring window.
"""

from django.dispatch import Signal

certificate_issued = Signal()
certificate_revoked = Signal()
certificate_expiring = Signal()
