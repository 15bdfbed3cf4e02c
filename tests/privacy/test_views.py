import pytest
from django.core import mail
from django.urls import reverse

from organizations.models import Invitation
from organizations.services import member_add
from privacy.models import DataExport, DataExportEvent
from tests.factories import UserFactory
from tests.organizations.factories import OrganizationFactory, staff_of, supervisor_of

pytestmark = pytest.mark.django_db


def _link(client) -> str:
    mail.outbox.clear()
    client.post(reverse("privacy:my_data"))
    (message,) = [m for m in mail.outbox if "/my-data/" in m.body]
    line = next(line for line in message.body.splitlines() if "/my-data/" in line)
    return line[line.index("/", len("http://")) :]


def test_profile_links_to_my_data(client):
    client.force_login(UserFactory())
    page = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("privacy:my_data") in page
    assert reverse("privacy:page") in page


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "Your copy is being prepared"),
        ("fr", "Votre copie est en préparation"),
    ],
)
def test_asking_for_a_copy_is_recorded_and_says_what_comes_next(client, language, words):
    user = UserFactory(preferred_language=language)
    client.force_login(user)
    response = client.post(f"/{language}/privacy/my-data/", follow=True)
    assert words in response.content.decode()
    export = DataExport.objects.get(user=user)
    assert export.events.filter(kind=DataExportEvent.Kind.REQUESTED, actor=user).exists()


def test_the_owner_downloads_the_zip_once_then_is_told_plainly(client):
    client.force_login(UserFactory(preferred_language="en"))
    link = _link(client)

    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"PK")
    again = client.get(link)
    assert again.status_code == 410
    assert "This link has already been used: it works only once." in again.content.decode()


def test_another_person_gets_a_404_and_does_not_use_the_link_up(client):
    owner = UserFactory()
    client.force_login(owner)
    link = _link(client)
    client.force_login(UserFactory())

    assert client.get(link).status_code == 404
    client.force_login(owner)
    assert client.get(link).status_code == 200


def test_someone_signed_out_is_sent_to_sign_in(client):
    client.force_login(UserFactory())
    link = _link(client)
    client.logout()

    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_link_is_a_404(client):
    client.force_login(UserFactory())
    assert client.get(reverse("privacy:export_download", args=["nothing-here"])).status_code == 404


def test_my_data_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("privacy:my_data"))
    client.get(reverse("privacy:my_data"))  # the session and the messages settle
    with django_assert_num_queries(4):
        assert client.get(reverse("privacy:my_data")).status_code == 200


@pytest.mark.parametrize(
    ("language", "title", "retention"),
    [
        ("en", "Your information and your privacy", "E-mails sent to you: 365 days."),
        ("fr", "Vos renseignements et votre vie privée", "Courriels qui vous ont été envoyés"),
    ],
)
def test_privacy_page_in_both_languages_linked_from_every_page(client, language, title, retention):
    page = client.get(f"/{language}/privacy/").content.decode()
    assert title in page
    assert retention in page
    assert f'href="/{language}/privacy/"' in client.get(f"/{language}/").content.decode()


def test_privacy_page_shows_the_privacy_officer_to_members_only(client):
    organization = OrganizationFactory(privacy_contact="Line Gagnon, vie.privee@refuge.example")
    member = staff_of(organization)
    assert "Line Gagnon" not in client.get("/fr/privacy/").content.decode()
    client.force_login(UserFactory())
    assert "Line Gagnon" not in client.get("/fr/privacy/").content.decode()
    client.force_login(member)
    assert "Line Gagnon, vie.privee@refuge.example" in client.get("/fr/privacy/").content.decode()


def test_privacy_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    organization = OrganizationFactory(privacy_contact="Line Gagnon")
    member = staff_of(organization)
    staff_of(OrganizationFactory(privacy_contact="Autre"), email=member.email + ".x")
    client.force_login(member)
    client.get("/fr/privacy/")
    with django_assert_num_queries(4):
        client.get("/fr/privacy/")


def test_invitation_email_links_the_privacy_page_and_names_the_officer():
    organization = OrganizationFactory(privacy_contact="Line Gagnon, 514 555-0100")
    supervisor = supervisor_of(organization)
    person = UserFactory(preferred_language="en")
    mail.outbox.clear()
    member_add(
        organization=organization,
        email=person.email,
        full_name=person.full_name,
        role=None,
        language="en",
        added_by=supervisor,
    )
    assert Invitation.objects.filter(email=person.email).exists()
    (message,) = mail.outbox
    assert "http://127.0.0.1:8000/en/privacy/" in message.body
    assert "Line Gagnon, 514 555-0100" in message.body


def test_administrators_see_who_asked_for_a_copy_but_never_the_copy(admin_client):
    user = UserFactory(full_name="Noor Haddad")
    client_for_user = admin_client.__class__()
    client_for_user.force_login(user)
    client_for_user.post(reverse("privacy:my_data"))
    export = DataExport.objects.get(user=user)

    listing = admin_client.get(reverse("admin:privacy_dataexport_changelist"))
    assert "Noor Haddad" in listing.content.decode()
    page = admin_client.get(reverse("admin:privacy_dataexport_change", args=[export.pk]))
    assert page.status_code == 200
    assert "ZIP" not in page.content.decode()
    assert admin_client.get(reverse("admin:privacy_dataexport_add")).status_code == 403
