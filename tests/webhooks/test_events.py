"""Events of the apps below become deliveries: one per subscribed active endpoint of the
person's organizations, the payload fixed when it happened, nothing for anyone else, and
nothing at all if the event's transaction rolls back."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certificates.expiring import certificates_announce_expiring
from certificates.services import certificate_issue, certificate_revoke
from courses import services as course_services
from organizations.models import Membership
from supervision.overdue import assignments_announce_overdue
from tests.certificates.factories import CertificateFactory, complete_course
from tests.factories import AdminFactory, CourseFactory, EnrollmentFactory
from tests.organizations.factories import AssignmentFactory, OrganizationFactory, staff_of
from tests.webhooks.factories import WebhookEndpointFactory
from webhooks import receivers
from webhooks.models import Event, WebhookDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_sending(settings):
    # The deliveries are recorded; their tasks are not run (test_tasks.py sends them).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_completing_a_course_notifies_the_learners_organizations_only():
    mine = WebhookEndpointFactory(events=[Event.COURSE_COMPLETED, Event.CERTIFICATE_ISSUED])
    WebhookEndpointFactory(organization=mine.organization, active=False)
    WebhookEndpointFactory(organization=mine.organization, events=[Event.CERTIFICATE_REVOKED])
    WebhookEndpointFactory()  # another organization's
    learner = staff_of(mine.organization, email="dany@example.org", full_name="Dany Dubé")
    course = CourseFactory(lessons=2, slug="reconnaitre", title_fr="Reconnaître")

    enrollment = complete_course(learner=learner, course=course)

    deliveries = WebhookDelivery.objects.order_by("event")
    assert [(d.endpoint, d.event) for d in deliveries] == [
        (mine, Event.CERTIFICATE_ISSUED),
        (mine, Event.COURSE_COMPLETED),
    ]
    completed = deliveries.get(event=Event.COURSE_COMPLETED).payload
    assert completed["type"] == "course.completed"
    assert datetime.datetime.fromisoformat(completed["timestamp"]) <= timezone.now()
    assert completed["data"] == {
        "enrollment": {
            "id": enrollment.pk,
            "cycle": enrollment.cycle,
            "completed_at": enrollment.completed_at.isoformat(),
        },
        "learner": {"id": learner.pk, "email": "dany@example.org", "name": "Dany Dubé"},
        "course": {
            "id": course.pk,
            "slug": "reconnaitre",
            "title": {"fr": "Reconnaître", "en": course.title_en},
        },
    }
    issued = deliveries.get(event=Event.CERTIFICATE_ISSUED).payload["data"]["certificate"]
    assert issued["verification_url"].startswith("http")
    assert issued["verification_url"].endswith(f"/{issued['code']}/")


def test_a_learner_of_two_organizations_is_announced_to_both_with_the_same_payload():
    first, second = WebhookEndpointFactory(), WebhookEndpointFactory()
    learner = staff_of(first.organization)
    Membership.objects.create(user=learner, organization=second.organization)
    certificate_issue(enrollment=EnrollmentFactory(learner=learner, completed_at=timezone.now()))
    deliveries = WebhookDelivery.objects.all()
    assert {d.endpoint for d in deliveries} == {first, second}
    assert deliveries[0].payload == deliveries[1].payload
    assert deliveries[0].message_id != deliveries[1].message_id


def test_nothing_is_recorded_when_the_events_transaction_rolls_back():
    endpoint = WebhookEndpointFactory()
    learner = staff_of(endpoint.organization)
    enrollment = EnrollmentFactory(learner=learner, completed_at=timezone.now())

    def complete_then_fail():
        with transaction.atomic():
            certificate_issue(enrollment=enrollment)
            assert WebhookDelivery.objects.count() == 1
            raise RuntimeError("the completion failed after all")

    with pytest.raises(RuntimeError):
        complete_then_fail()
    assert not WebhookDelivery.objects.exists()


def test_issuing_the_same_certificate_again_announces_it_once():
    endpoint = WebhookEndpointFactory(events=[Event.CERTIFICATE_ISSUED])
    enrollment = EnrollmentFactory(
        learner=staff_of(endpoint.organization), completed_at=timezone.now()
    )
    certificate_issue(enrollment=enrollment)
    certificate_issue(enrollment=enrollment)
    assert WebhookDelivery.objects.count() == 1


def test_revoking_announces_it_without_the_private_reason():
    endpoint = WebhookEndpointFactory(events=[Event.CERTIFICATE_REVOKED])
    certificate = CertificateFactory(enrollment__learner=staff_of(endpoint.organization))
    certificate_revoke(certificate=certificate, by=AdminFactory(), reason="Fraude à l’examen")
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == Event.CERTIFICATE_REVOKED
    assert delivery.payload["data"]["certificate"]["revoked_at"] is not None
    assert "Fraude" not in str(delivery.payload)


def test_a_certificate_entering_its_expiring_window_is_announced_once(settings):
    settings.REPERE_CERTIFICATE_EXPIRING_DAYS = 30
    endpoint = WebhookEndpointFactory(events=[Event.CERTIFICATE_EXPIRING])
    learner = staff_of(endpoint.organization)
    today = timezone.localdate()
    soon = CertificateFactory(
        enrollment__learner=learner, expires_on=today + datetime.timedelta(days=10)
    )
    CertificateFactory(enrollment__learner=learner)  # valid for a year
    CertificateFactory(enrollment__learner=learner, expires_on=today - datetime.timedelta(days=1))

    assert certificates_announce_expiring(today=today) == 1
    assert certificates_announce_expiring(today=today) == 0
    assert certificates_announce_expiring(today=today + datetime.timedelta(days=1)) == 0
    delivery = WebhookDelivery.objects.get()
    assert delivery.payload["type"] == "certificate.expiring"
    assert delivery.payload["data"]["certificate"]["id"] == soon.pk
    assert delivery.payload["data"]["certificate"]["expires_on"] == soon.expires_on.isoformat()


def test_an_assignment_becoming_overdue_is_announced_once_to_its_organization_only():
    endpoint = WebhookEndpointFactory(events=[Event.ASSIGNMENT_OVERDUE])
    other = WebhookEndpointFactory(events=[Event.ASSIGNMENT_OVERDUE])
    learner = staff_of(endpoint.organization)
    Membership.objects.create(user=learner, organization=other.organization)
    today = timezone.localdate()
    assignment = AssignmentFactory(
        organization=endpoint.organization,
        learner=learner,
        due_on=today - datetime.timedelta(days=1),
    )
    AssignmentFactory(organization=endpoint.organization, due_on=today)  # due today: not yet

    assert assignments_announce_overdue(today=today) == 1
    assert assignments_announce_overdue(today=today) == 0
    delivery = WebhookDelivery.objects.get()
    assert delivery.endpoint == endpoint
    data = delivery.payload["data"]
    assert data["assignment"] == {
        "id": assignment.pk,
        "due_on": assignment.due_on.isoformat(),
        "assigned_at": assignment.assigned_at.isoformat(),
    }
    assert data["organization"]["id"] == endpoint.organization_id

    # A new due date, missed again: a new event.
    assignment.due_on = today
    assignment.save()
    assert assignments_announce_overdue(today=today + datetime.timedelta(days=1)) == 1
    assert WebhookDelivery.objects.count() == 2


def test_a_completed_assignment_past_its_date_is_not_overdue():
    endpoint = WebhookEndpointFactory(events=[Event.ASSIGNMENT_OVERDUE])
    learner = staff_of(endpoint.organization)
    course = CourseFactory(lessons=1)
    AssignmentFactory(
        organization=endpoint.organization,
        learner=learner,
        course=course,
        due_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    complete_course(learner=learner, course=course)
    assert assignments_announce_overdue() == 0


def test_the_daily_reminders_run_announces_the_events():
    endpoint = WebhookEndpointFactory(events=[Event.ASSIGNMENT_OVERDUE])
    AssignmentFactory(
        organization=endpoint.organization,
        learner=staff_of(endpoint.organization),
        due_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "1 assignment(s) newly overdue" in out.getvalue()
    assert WebhookDelivery.objects.filter(event=Event.ASSIGNMENT_OVERDUE).count() == 1


def test_an_event_no_endpoint_wants_costs_one_query(django_assert_num_queries):
    """What the lesson and quiz requests that complete a course pay when the learner's
    organizations have no endpoint: the one look-up, no write, no task."""
    OrganizationFactory()
    enrollment = EnrollmentFactory(completed_at=timezone.now())
    with django_assert_num_queries(1):
        receivers.on_course_completed(sender=None, enrollment=enrollment)
    assert not WebhookDelivery.objects.exists()


def test_a_lesson_done_that_completes_nothing_queries_no_webhook_table():
    """A lesson done that does not complete the course sends no event: no query added."""
    learner = staff_of(OrganizationFactory())
    course = CourseFactory(lessons=2)
    course_services.enrollment_create(learner=learner, course=course)
    first = course.modules.first().lessons.first()
    with CaptureQueriesContext(connection) as queries:
        course_services.lesson_mark_done(learner=learner, lesson=first)
    assert not any("webhooks_" in query["sql"] for query in queries.captured_queries)


def _announcing_queries(announce, **kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        announce(**kwargs)
    return len(queries.captured_queries)


@pytest.mark.parametrize("with_endpoint", [True, False])
def test_the_daily_overdue_run_takes_the_same_queries_for_2_or_20_assignments(with_endpoint):
    """The first day after thousands of assignments fall due must not cost a query or two
    per assignment: notices, endpoints and deliveries are written per batch."""
    today = timezone.localdate()
    counts = []
    for size in (2, 20):
        organization = OrganizationFactory()
        if with_endpoint:
            WebhookEndpointFactory(organization=organization, events=[Event.ASSIGNMENT_OVERDUE])
        course = CourseFactory(lessons=1)
        for _ in range(size):
            AssignmentFactory(
                organization=organization,
                learner=staff_of(organization),
                course=course,
                due_on=today - datetime.timedelta(days=1),
            )
        counts.append(_announcing_queries(assignments_announce_overdue, today=today))
    assert counts[0] == counts[1]
    assert WebhookDelivery.objects.count() == (22 if with_endpoint else 0)


def test_the_daily_overdue_run_announces_each_to_its_own_organizations_endpoints():
    first, second = (WebhookEndpointFactory(events=[Event.ASSIGNMENT_OVERDUE]) for _ in range(2))
    WebhookEndpointFactory(organization=first.organization, events=[Event.ASSIGNMENT_OVERDUE])
    WebhookEndpointFactory(organization=second.organization, active=False)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    mine = AssignmentFactory(
        organization=first.organization, learner=staff_of(first.organization), due_on=yesterday
    )
    theirs = AssignmentFactory(
        organization=second.organization, learner=staff_of(second.organization), due_on=yesterday
    )
    assert assignments_announce_overdue() == 2
    sent = sorted(
        (d.endpoint.organization_id, d.payload["data"]["assignment"]["id"])
        for d in WebhookDelivery.objects.select_related("endpoint")
    )
    assert sent == sorted(
        [
            (first.organization_id, mine.pk),
            (first.organization_id, mine.pk),
            (second.organization_id, theirs.pk),
        ]
    )


def test_the_daily_expiring_run_takes_the_same_queries_for_2_or_20_certificates(settings):
    settings.REPERE_CERTIFICATE_EXPIRING_DAYS = 30
    today = timezone.localdate()
    counts = []
    for size in (2, 20):
        organization = OrganizationFactory()
        WebhookEndpointFactory(organization=organization, events=[Event.CERTIFICATE_EXPIRING])
        for _ in range(size):
            CertificateFactory(
                enrollment__learner=staff_of(organization),
                expires_on=today + datetime.timedelta(days=10),
            )
        counts.append(_announcing_queries(certificates_announce_expiring, today=today))
    assert counts[0] == counts[1]
    assert WebhookDelivery.objects.filter(event=Event.CERTIFICATE_EXPIRING).count() == 22
