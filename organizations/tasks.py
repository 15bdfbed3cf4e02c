"""Background tasks of the organizations app."""

from django_tasks import task

from accounts.models import OutgoingEmail
from accounts.services import BATCH_SIZE
from accounts.tasks import email_deliver
from organizations.models import Assignment, Organization
from organizations.selectors.units import unit_ids_in


@task()
def assignment_emails_enqueue(
    *, organization_id: int, course_id: int, key_prefix: str, with_units: bool = False
) -> int:
    """Enqueue the sending of a bulk assignment's e-mails (keys `key_prefix` + assignment
    pk), BATCH_SIZE per `email_deliver` task: a keyset over the course's assignments in
    the organization (and, `with_units`, in every unit below it), so that no process
    holds ten thousand of them. Run twice, it enqueues again only what is still queued,
    and `email_deliver` sends each once. Returns how many e-mails it enqueued."""
    last, enqueued = 0, 0
    organizations = {"organization_id": organization_id}
    if with_units:
        organization = Organization.objects.filter(pk=organization_id).first()
        if organization is None:
            return 0
        organizations = {"organization_id__in": unit_ids_in(organization)}
    assignments = Assignment.objects.filter(**organizations, course_id=course_id).order_by("pk")
    while True:
        ids = list(assignments.filter(pk__gt=last).values_list("pk", flat=True)[:BATCH_SIZE])
        if not ids:
            return enqueued
        last = ids[-1]
        email_ids = list(
            OutgoingEmail.objects.filter(
                idempotency_key__in=[f"{key_prefix}{pk}" for pk in ids],
                status=OutgoingEmail.Status.QUEUED,
            ).values_list("pk", flat=True)
        )
        if email_ids:
            email_deliver.enqueue(email_ids)
            enqueued += len(email_ids)
