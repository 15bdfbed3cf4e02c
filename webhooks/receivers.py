"""The signals of the apps below that become webhook events (connected in
`WebhooksConfig.ready`). Each runs inside the transaction of the write that sent it: its
deliveries are recorded, and their tasks enqueued, with that write or not at all. One
query when no endpoint wants the event."""

from certificates import signals as certificate_signals
from courses import hooks
from supervision import signals as supervision_signals
from webhooks import payloads, selectors, services
from webhooks.models import Event


def on_course_completed(sender, enrollment, **kwargs):
    endpoints = selectors.endpoints_for(
        event=Event.COURSE_COMPLETED, member_id=enrollment.learner_id
    )
    if endpoints:
        services.deliveries_create(
            event=Event.COURSE_COMPLETED,
            data=payloads.course_completed(enrollment),
            endpoints=endpoints,
        )


def _certificate_receiver(event: Event):
    def receive(sender, certificate, **kwargs):
        endpoints = selectors.endpoints_for(event=event, member_id=certificate.holder_id)
        if endpoints:
            services.deliveries_create(
                event=event, data=payloads.certificate(certificate), endpoints=endpoints
            )

    receive.__name__ = f"on_{event.value.replace('.', '_')}"
    return receive


on_certificate_issued = _certificate_receiver(Event.CERTIFICATE_ISSUED)
on_certificate_revoked = _certificate_receiver(Event.CERTIFICATE_REVOKED)
on_certificate_expiring = _certificate_receiver(Event.CERTIFICATE_EXPIRING)


def on_assignment_overdue(sender, assignment, **kwargs):
    # The assignment's own organization only: the learner's others did not assign it.
    endpoints = selectors.endpoints_for(
        event=Event.ASSIGNMENT_OVERDUE, organization_ids=[assignment.organization_id]
    )
    if endpoints:
        services.deliveries_create(
            event=Event.ASSIGNMENT_OVERDUE,
            data=payloads.assignment_overdue(assignment),
            endpoints=endpoints,
        )


def connect() -> None:
    hooks.course_completed.connect(on_course_completed, dispatch_uid="webhooks.course_completed")
    certificate_signals.certificate_issued.connect(
        on_certificate_issued, dispatch_uid="webhooks.certificate_issued"
    )
    certificate_signals.certificate_revoked.connect(
        on_certificate_revoked, dispatch_uid="webhooks.certificate_revoked"
    )
    certificate_signals.certificate_expiring.connect(
        on_certificate_expiring, dispatch_uid="webhooks.certificate_expiring"
    )
    supervision_signals.assignment_overdue.connect(
        on_assignment_overdue, dispatch_uid="webhooks.assignment_overdue"
    )
