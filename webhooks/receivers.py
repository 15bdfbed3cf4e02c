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


def _deliver_batch(event: Event, objects, *, endpoints: dict, key, payload) -> None:
    """One INSERT for a batch of the daily run: `payload(obj)` to `endpoints[key(obj)]`,
    for each object whose key has endpoints."""
    items = [(payload(obj), endpoints[key(obj)]) for obj in objects if key(obj) in endpoints]
    if items:
        services.deliveries_create_many(event=event, items=items)


def on_certificates_expiring(sender, certificates, **kwargs):
    """A batch of the daily run: one query for the holders' endpoints, one INSERT."""
    event = Event.CERTIFICATE_EXPIRING
    holders = {certificate.holder_id for certificate in certificates}
    _deliver_batch(
        event,
        certificates,
        endpoints=selectors.endpoints_by_member(event=event, member_ids=holders),
        key=lambda certificate: certificate.holder_id,
        payload=payloads.certificate,
    )


def on_assignments_overdue(sender, assignments, **kwargs):
    """A batch of the daily run: one query for the endpoints, one INSERT. Each assignment
    goes to its own organization only: the learner's others did not assign it."""
    event = Event.ASSIGNMENT_OVERDUE
    organizations = {assignment.organization_id for assignment in assignments}
    _deliver_batch(
        event,
        assignments,
        endpoints=selectors.endpoints_by_organization(event=event, organization_ids=organizations),
        key=lambda assignment: assignment.organization_id,
        payload=payloads.assignment_overdue,
    )


def connect() -> None:
    hooks.course_completed.connect(on_course_completed, dispatch_uid="webhooks.course_completed")
    certificate_signals.certificate_issued.connect(
        on_certificate_issued, dispatch_uid="webhooks.certificate_issued"
    )
    certificate_signals.certificate_revoked.connect(
        on_certificate_revoked, dispatch_uid="webhooks.certificate_revoked"
    )
    certificate_signals.certificates_expiring.connect(
        on_certificates_expiring, dispatch_uid="webhooks.certificates_expiring"
    )
    supervision_signals.assignments_overdue.connect(
        on_assignments_overdue, dispatch_uid="webhooks.assignments_overdue"
    )
