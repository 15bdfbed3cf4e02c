"""Membership by consent: a supervisor who types the address of an account that exists
learns nothing about it, and sees the person only once they accept.

Each scenario is tried for the three kinds of address a supervisor may type: a member of
another organization, a learner in no organization, and an address with no account.
Whatever it is, the supervisor reads the same words.
"""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.services import user_update_profile
from accounts.validators import CONTROL_CHARACTERS_REFUSED
from courses.services import enrollment_create, lesson_mark_done
from organizations import services
from organizations.models import AuditEvent, Invitation, Membership
from organizations.views.members import MESSAGE_INVITED
from tests.certificates.factories import CertificateFactory
from tests.factories import CourseFactory, UserFactory
from tests.organizations.factories import OrganizationFactory, staff_of, supervisor_of

pytestmark = pytest.mark.django_db

STORED_NAME = "Stored Name Qx7"  # the account's own name: never shown before consent
TYPED_NAME = "Typed By Supervisor"
KINDS = ("member of another organization", "learner in no organization", "no account")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def person(kind: str, email: str = "person@example.org"):
    """The account behind the address, with a certificate and some training, or None."""
    if kind == "no account":
        return None
    user = UserFactory(email=email, full_name=STORED_NAME)
    if kind == "member of another organization":
        staff_of(OrganizationFactory(name="Organisme B"), email="colleague@example.org")
        Membership.objects.create(user=user, organization=OrganizationFactory(name="Organisme B2"))
    CertificateFactory(enrollment__learner=user)
    return user


# What the supervisor sees of the person is on supervision's pages as well as these.
SUPERVISION_PAGES = {"dashboard", "export", "certificates_zip"}


def url(name, org, **kwargs):
    app = "supervision" if name in SUPERVISION_PAGES else "organizations"
    return reverse(f"{app}:{name}", kwargs={"organization_id": org.pk, **kwargs})


def add_form(client, org, email="person@example.org"):
    data = {"full_name": TYPED_NAME, "email": email, "role": "staff", "language": "fr"}
    return client.post(url("member_add", org), data, follow=True)


def import_file(client, org, *, dry_run, email="person@example.org"):
    upload = SimpleUploadedFile("staff.csv", f"nom;courriel\n{TYPED_NAME};{email}\n".encode())
    data = {"file": upload}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(url("staff_import", org), data)


def text_of(response) -> str:
    """The page's visible text, without the address (which differs by design)."""
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    return body.replace("person@example.org", "ADDRESS")


def supervisor_pages(client, org):
    pages = [client.get(url(name, org)) for name in ("dashboard", "member_list", "audit_log")]
    export = client.get(url("export", org))
    return (
        "".join(page.content.decode() for page in pages)
        + b"".join(export.streaming_content).decode()
    )


@pytest.mark.parametrize("kind", KINDS)
def test_adding_by_the_form_reads_the_same_and_shows_nothing_of_the_account(
    supervisor_client, org, kind, django_capture_on_commit_callbacks
):
    user = person(kind)
    with django_capture_on_commit_callbacks(execute=True):
        response = add_form(supervisor_client, org)
    assert response.status_code == 200
    expected = str(MESSAGE_INVITED % {"email": "person@example.org"})
    assert escape(expected) in response.content.decode()
    assert STORED_NAME not in response.content.decode()
    assert STORED_NAME not in supervisor_pages(supervisor_client, org)
    assert [message.to for message in mail.outbox] == [["person@example.org"]]
    if user is not None:
        assert not Membership.objects.filter(user=user, organization=org).exists()
        certificate = user.certificates.get()
        for kind_of_file in ("png", "pdf"):
            download = supervisor_client.get(
                reverse(f"certificates:{kind_of_file}", kwargs={"pk": certificate.pk})
            )
            assert download.status_code == 404


def test_the_form_reads_the_same_whatever_the_address(client, org, supervisor):
    """The three kinds of address give the very same page, but for the address."""
    client.force_login(supervisor)
    pages = []
    for index, kind in enumerate(KINDS):
        email = f"person{index}@example.org"
        person(kind, email=email)
        page = add_form(client, org, email=email)
        pages.append(re.sub(r"person\d@example\.org", "ADDRESS", text_of(page)))
    # The member list has one table row per kind; the messages are what must match.
    messages = [re.findall(r'<p class="message[^"]*">(.*?)</p>', page, re.S) for page in pages]
    assert messages[0] == messages[1] == messages[2]
    assert messages[0]


@pytest.mark.parametrize("dry_run", [True, False])
def test_importing_reads_the_same_whatever_the_address(supervisor_client, org, dry_run):
    pages = []
    for index, kind in enumerate(KINDS):
        email = f"person{index}@example.org"
        person(kind, email=email)
        response = import_file(supervisor_client, org, dry_run=dry_run, email=email)
        assert response.status_code == 200
        assert STORED_NAME not in response.content.decode()
        body = re.sub(r"person\d@example\.org", "ADDRESS", text_of(response))
        pages.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body))
    assert pages[0] == pages[1] == pages[2]


@pytest.mark.parametrize("kind", KINDS[:2])
def test_before_accepting_the_supervisor_sees_only_what_they_typed(
    supervisor_client, org, supervisor, kind
):
    user = person(kind)
    add_form(supervisor_client, org)
    members = supervisor_client.get(url("member_list", org)).content.decode()
    assert TYPED_NAME in members  # the pending invitation, as typed
    assert "person@example.org" in members
    assert STORED_NAME not in members
    # Not a member: no course can be assigned to them.
    with pytest.raises(ValidationError) as refused:
        services.assignments_create(
            organization=org,
            course=CourseFactory(),
            learners=type(user).objects.filter(pk=user.pk),
            due_on=None,
            assigned_by=supervisor,
        )
    assert refused.value.messages == [str(services.ERROR_NOT_MEMBERS)]


@pytest.mark.parametrize("kind", KINDS[:2])
def test_after_accepting_the_supervisor_sees_only_what_came_after(client, org, supervisor, kind):
    user = person(kind)
    course = CourseFactory(lessons=2)
    enrollment_create(learner=user, course=course)
    first = course.modules.get().lessons.order_by("position").first()
    lesson_mark_done(learner=user, lesson=first)  # before joining: stays private
    client.force_login(supervisor)
    add_form(client, org)

    client.force_login(user)
    mine = client.get(reverse("organizations:mine")).content.decode()
    assert "Refuge Le Phare" in mine
    invitation = Invitation.objects.get(organization=org)
    response = client.post(
        reverse("organizations:invitation_accept", kwargs={"invitation_id": invitation.pk})
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=user, organization=org)
    assert membership.created_at >= invitation.created_at

    services.assignments_create(
        organization=org,
        course=course,
        learners=type(user).objects.filter(pk=user.pk),
        due_on=None,
        assigned_by=supervisor,
    )
    client.force_login(supervisor)
    dashboard = client.get(url("dashboard", org)).content.decode()
    assert STORED_NAME in dashboard  # now they agreed
    row = re.search(rf"{STORED_NAME}.*?</tr>", dashboard, re.S).group(0)
    assert "Pas commencé" in row  # the lesson done before joining does not count
    # Certificates from before joining, or of courses the organization never assigned,
    # stay the person's own.
    certificate = user.certificates.get()
    download = client.get(reverse("certificates:pdf", kwargs={"pk": certificate.pk}))
    assert download.status_code == 404


def test_declining_leaves_the_supervisor_with_the_address_only(client, org, supervisor):
    user = person("learner in no organization")
    client.force_login(supervisor)
    add_form(client, org)
    invitation = Invitation.objects.get(organization=org)
    client.force_login(user)
    client.post(
        reverse("organizations:invitation_decline", kwargs={"invitation_id": invitation.pk})
    )
    assert not Membership.objects.filter(user=user, organization=org).exists()
    client.force_login(supervisor)
    pages = supervisor_pages(client, org)
    assert STORED_NAME not in pages
    assert "person@example.org" in pages  # the access history names the address typed
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.INVITATION_DECLINED)
    assert (event.actor, event.subject_label) == (user, "person@example.org")


def test_another_persons_invitation_cannot_be_answered(client, org, supervisor):
    person("learner in no organization")
    client.force_login(supervisor)
    add_form(client, org)
    invitation = Invitation.objects.get(organization=org)
    client.force_login(UserFactory())
    for answer in ("invitation_accept", "invitation_decline"):
        response = client.post(
            reverse(f"organizations:{answer}", kwargs={"invitation_id": invitation.pk})
        )
        assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.PENDING


def test_after_leaving_the_organization_sees_nothing(client, org, supervisor):
    course = CourseFactory(lessons=2)
    member = staff_of(org, full_name=STORED_NAME)
    services.assignments_create(
        organization=org,
        course=course,
        learners=type(member).objects.filter(pk=member.pk),
        due_on=None,
        assigned_by=supervisor,
    )
    client.force_login(member)
    membership = Membership.objects.get(user=member, organization=org)
    page = client.get(
        reverse("organizations:membership_leave", kwargs={"membership_id": membership.pk})
    )
    assert page.status_code == 200
    assert "Refuge Le Phare" in page.content.decode()
    client.post(reverse("organizations:membership_leave", kwargs={"membership_id": membership.pk}))
    assert not Membership.objects.filter(user=member, organization=org).exists()
    assert member.enrollments.filter(course=course).exists()  # their training stays theirs
    client.force_login(supervisor)
    for name in ("dashboard", "member_list"):
        assert STORED_NAME not in client.get(url(name, org)).content.decode()
    export = b"".join(client.get(url("export", org)).streaming_content).decode()
    assert STORED_NAME not in export
    # The access history says who left, and when.
    assert AuditEvent.objects.filter(kind="member_left", subject=member).count() == 1
    assert STORED_NAME in client.get(url("audit_log", org)).content.decode()


def test_a_supervisor_removes_a_member_who_keeps_their_training(client, org, supervisor):
    member = staff_of(org, full_name=STORED_NAME)
    certificate = CertificateFactory(enrollment__learner=member)
    client.force_login(supervisor)
    membership = Membership.objects.get(user=member, organization=org)
    response = client.post(url("member_remove", org, membership_id=membership.pk), follow=True)
    assert response.status_code == 200
    assert not Membership.objects.filter(user=member, organization=org).exists()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    event = AuditEvent.objects.get(kind="member_removed")
    assert (event.actor, event.subject, event.before) == (supervisor, member, {"role": "staff"})


def test_the_last_supervisor_cannot_be_removed_demoted_or_leave(client, org, supervisor):
    admin_like = supervisor_of(OrganizationFactory())  # supervises elsewhere only
    membership = Membership.objects.get(user=supervisor, organization=org)
    for action in (
        lambda: services.membership_end(membership=membership, by=supervisor),
        lambda: services.membership_change_role(membership=membership, role="staff", by=admin_like),
        lambda: services.membership_end(membership=membership, by=admin_like),
    ):
        with pytest.raises(ValidationError) as error:
            action()
        assert error.value.messages == [str(services.ERROR_LAST_SUPERVISOR)]
    assert Membership.objects.get(pk=membership.pk).role == "supervisor"
    assert not AuditEvent.objects.exists()


def test_a_supervisor_may_demote_another_and_it_is_recorded(client, org, supervisor):
    other = supervisor_of(org, full_name="Autre Superviseure")
    membership = Membership.objects.get(user=other, organization=org)
    client.force_login(supervisor)
    client.post(url("member_role", org, membership_id=membership.pk), {"role": "staff"})
    assert Membership.objects.get(pk=membership.pk).role == "staff"
    event = AuditEvent.objects.get(kind="role_changed")
    assert (event.actor, event.subject, event.before, event.after) == (
        supervisor,
        other,
        {"role": "supervisor"},
        {"role": "staff"},
    )
    # The supervisor left alone cannot be demoted now.
    own = Membership.objects.get(user=supervisor, organization=org)
    client.force_login(other)
    response = client.post(url("member_role", org, membership_id=own.pk), {"role": "staff"})
    assert response.status_code == 404  # `other` is staff now: not their pages any more


def test_twenty_additions_send_at_most_three_invitations(
    supervisor_client, org, django_capture_on_commit_callbacks
):
    person("learner in no organization")
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(20):
            statuses.append(add_form(supervisor_client, org).status_code)
    assert len(mail.outbox) == services.invitations.INVITATIONS_PER_ADDRESS_PER_HOUR
    assert set(statuses) == {200}  # past the limit: a form error, never a 500


def test_a_name_with_a_line_break_is_refused_in_the_form(supervisor_client, org):
    data = {
        "full_name": "Nom\r\nhttps://evil.example/",
        "email": "person@example.org",
        "role": "staff",
        "language": "fr",
    }
    response = supervisor_client.post(url("member_add", org), data)
    assert response.status_code == 200
    assert escape(str(CONTROL_CHARACTERS_REFUSED)) in response.content.decode()
    assert not Membership.objects.filter(user__email="person@example.org").exists()


@pytest.mark.parametrize("value", ["²", "１２", "99999999999999999999999", "-1", "x"])
def test_odd_ids_on_the_assign_page_are_ignored(supervisor_client, org, value):
    response = supervisor_client.get(url("assign", org) + f"?learner={value}")
    assert response.status_code == 200


def test_a_learner_renaming_themself_is_recorded(org):
    member = staff_of(org, full_name="Ancien Nom")
    user_update_profile(
        user=member, full_name="Nouveau Nom", preferred_language="fr", workplace="shelter"
    )
    event = AuditEvent.objects.get(kind="account_renamed")
    assert (event.organization, event.before, event.after) == (
        org,
        {"name": "Ancien Nom"},
        {"name": "Nouveau Nom"},
    )


def test_a_holder_asks_for_a_corrected_certificate_name(
    client, org, supervisor, django_capture_on_commit_callbacks
):
    from certificates.models import CertificateNameRequest
    from tests.factories import AdminFactory

    AdminFactory(email="admin@example.org")
    holder = staff_of(org, full_name="Nom Original")
    certificate = CertificateFactory(enrollment__learner=holder, organization=org)
    user_update_profile(
        user=holder, full_name="Nom Corrigé", preferred_language="fr", workplace="shelter"
    )
    client.force_login(holder)
    page = client.get(reverse("certificates:mine")).content.decode()
    assert "Nom Corrigé" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:name_request", kwargs={"pk": certificate.pk}))
    request = CertificateNameRequest.objects.get(certificate=certificate)
    assert request.requested_name == "Nom Corrigé"
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        ["admin@example.org", supervisor.email]
    )
    certificate.refresh_from_db()
    assert certificate.holder_name == "Nom Original"  # until an administrator applies it
    from certificates.services import certificate_correct_name

    certificate_correct_name(certificate=certificate, by=supervisor, new_name="Nom Corrigé")
    request.refresh_from_db()
    assert request.closed_at is not None
    assert AuditEvent.objects.filter(kind="certificate_renamed", subject=holder).count() == 1


def test_membership_created_at_is_the_day_the_invitation_was_accepted(org, supervisor):
    user = person("learner in no organization")
    services.member_add(
        organization=org,
        email=user.email,
        full_name=TYPED_NAME,
        role=None,
        language="fr",
        added_by=supervisor,
    )
    invitation = Invitation.objects.get()
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=10)
    )
    membership = services.invitation_accept(invitation=invitation, user=user)
    assert timezone.now() - membership.created_at < datetime.timedelta(minutes=1)


def test_the_invitation_limit_is_reached_after_as_many_additions_whatever_the_address(
    supervisor_client, org
):
    """Otherwise a fourth addition accepted or refused would tell whether an account exists."""
    refused_at = []
    for index, kind in enumerate(("learner in no organization", "no account")):
        email = f"person{index}@example.org"
        person(kind, email=email)
        for attempt in range(1, 8):
            response = add_form(supervisor_client, org, email=email)
            if escape(str(services.ERROR_TOO_MANY_INVITATIONS)) in response.content.decode():
                refused_at.append(attempt)
                break
    assert len(refused_at) == 2
    assert refused_at[0] == refused_at[1]
