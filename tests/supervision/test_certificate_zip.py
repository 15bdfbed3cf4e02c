"""The supervisors' bulk download: the PDFs of the dashboard's certificates in one ZIP."""

import csv
import datetime
import io
import tracemalloc
import zipfile
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import User
from certificates import codes, services
from certificates.models import Certificate
from courses import hooks
from courses.models import Enrollment
from organizations.models import Assignment, Membership
from organizations.selectors import supervisor_can_see_certificate
from supervision import certificate_zip
from tests.certificates.factories import CertificateFactory
from tests.factories import AdminFactory, CourseFactory, UserFactory
from tests.organizations.factories import (
    AssignmentFactory,
    OrganizationFactory,
    staff_of,
    supervisor_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganizationFactory(name="Refuge Le Phare")


@pytest.fixture
def supervisor(org):
    return supervisor_of(org, full_name="Sam Superviseur")


@pytest.fixture
def course():
    return CourseFactory(lessons=1, title_fr="Reconnaître la traite", title_en="Recognising")


@pytest.fixture
def supervisor_client(client, supervisor):
    client.force_login(supervisor)
    return client


def zip_url(org, **query):
    path = reverse("supervision:certificates_zip", kwargs={"organization_id": org.pk})
    return path + ("?" + urlencode(query) if query else "")


def _download(client, org, **query) -> zipfile.ZipFile:
    response = client.get(zip_url(org, **query))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response.streaming
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _index(archive) -> list[dict]:
    text = archive.read("index.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _certified(org, course, name, **fields):
    """A member of `org` assigned `course`, with a certificate issued after joining."""
    person = staff_of(org, full_name=name)
    AssignmentFactory(organization=org, learner=person, course=course)
    return CertificateFactory(
        enrollment__learner=person, enrollment__course=course, organization=org, **fields
    )


def test_the_zip_has_a_pdf_of_each_certificate_on_the_dashboard_and_a_csv_index(
    supervisor_client, org, course
):
    first = _certified(org, course, "Émilie Côté-Nguyễn")
    second = _certified(org, course, "Zoë Ørsted")
    staff_of(org, full_name="Pas Encore")  # a member without a certificate
    archive = _download(supervisor_client, org)
    names = archive.namelist()
    assert names[0] == "index.csv"
    assert sorted(names[1:]) == sorted(
        [f"emilie-cote-nguyen-{first.display_code}.pdf", f"zoe-rsted-{second.display_code}.pdf"]
    )
    pdf = archive.read(f"emilie-cote-nguyen-{first.display_code}.pdf")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Émilie Côté-Nguyễn" in text
    assert first.display_code in text
    rows = sorted(_index(archive), key=lambda row: row["Fichier"])
    assert [row["Code de vérification"] for row in rows] == [
        first.display_code,
        second.display_code,
    ]
    assert rows[0]["Titulaire"] == "Émilie Côté-Nguyễn"
    assert rows[0]["Cours"] == "Reconnaître la traite"
    assert rows[0]["Fichier"] == f"emilie-cote-nguyen-{first.display_code}.pdf"
    assert rows[0]["Adresse de vérification"].endswith(f"/verify/{first.display_code}/")


def test_the_zip_holds_only_certificates_the_supervisor_may_download_one_by_one(
    supervisor_client, supervisor, org, course
):
    shown = _certified(org, course, "Dans Le Zip")
    # Issued before the person joined the organization.
    joined_late = staff_of(org, full_name="Arrivée Tard")
    AssignmentFactory(organization=org, learner=joined_late, course=course)
    Membership.objects.filter(user=joined_late).update(
        created_at=timezone.now() + datetime.timedelta(minutes=1)
    )  # a joining date in the future, which no service writes: summarized by hand
    hooks.progress_changed_for(learner_ids=[joined_late.pk])
    before_joining = CertificateFactory(
        enrollment__learner=joined_late, enrollment__course=course, organization=org
    )
    # Another organization's member.
    other = OrganizationFactory(name="Autre Refuge")
    elsewhere = _certified(other, course, "Ailleurs Quelquepart")
    # A course the organization did not assign.
    unassigned = CertificateFactory(
        enrollment__learner=shown.holder, enrollment__course=CourseFactory(), organization=org
    )
    # Revoked.
    revoked = _certified(org, course, "Révoquée Personne")
    services.certificate_revoke(certificate=revoked, by=AdminFactory(), reason="Erreur.")

    archive = _download(supervisor_client, org)
    codes_in_zip = {row["Code de vérification"] for row in _index(archive)}
    assert codes_in_zip == {shown.display_code}
    assert len(archive.namelist()) == 2
    for certificate in (before_joining, elsewhere, unassigned):
        assert not supervisor_can_see_certificate(supervisor=supervisor, certificate=certificate)
        assert certificate.display_code not in codes_in_zip
    assert supervisor_can_see_certificate(supervisor=supervisor, certificate=shown)


def test_the_zip_follows_the_dashboards_filters(supervisor_client, org, course):
    kept = _certified(org, course, "Alice Gardée")
    _certified(org, course, "Bob Écarté")
    other_course = CourseFactory(lessons=1)
    _certified(org, other_course, "Carole Autrecours")
    archive = _download(supervisor_client, org, q="alice")
    assert [row["Code de vérification"] for row in _index(archive)] == [kept.display_code]
    archive = _download(supervisor_client, org, course=other_course.pk)
    assert [row["Titulaire"] for row in _index(archive)] == ["Carole Autrecours"]


def test_the_dashboard_links_to_the_zip_with_its_filters(supervisor_client, org, course):
    page = supervisor_client.get(
        reverse("supervision:dashboard", kwargs={"organization_id": org.pk}) + "?q=x"
    )
    assert zip_url(org, q="x") in page.content.decode()


# A certificate's PDF as large as the real ones; drawing 10,000 real ones would take minutes
# and measure reportlab, not the streaming (one drawing's memory is measured apart below).
STAND_IN_PDF = b"%PDF-1.4\n" + bytes(90_000)


def _bulk_certified(org, course, n, prefix):
    users = User.objects.bulk_create(
        UserFactory.build(email=f"{prefix}{i}@example.org", password="x", full_name=f"{prefix} {i}")
        for i in range(n)
    )
    Membership.objects.bulk_create(Membership(user=u, organization=org) for u in users)
    Assignment.objects.bulk_create(
        Assignment(organization=org, learner=u, course=course) for u in users
    )
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(learner=u, course=course, completed_at=timezone.now()) for u in users
    )
    issued = timezone.now() + datetime.timedelta(seconds=1)
    Certificate.objects.bulk_create(
        Certificate(
            holder=e.learner,
            course=course,
            enrollment=e,
            cycle=e.cycle,
            code=codes.generate(),
            holder_name=e.learner.full_name,
            course_title_fr=course.title_fr,
            organization=org,
            organization_name=org.name,
            content_version=1,
            completed_at=e.completed_at,
            issued_at=issued,
            expires_on=timezone.localdate() + datetime.timedelta(days=300),
        )
        for e in enrollments
    )
    # Written in bulk for speed: summarized in one statement, as the bulk assignment does.
    hooks.progress_changed_for(
        assignment_ids=Assignment.objects.filter(organization=org, course=course).values("pk")
    )


def test_the_zip_of_10000_certificates_streams_in_flat_memory(
    supervisor_client, org, course, monkeypatch
):
    """Past the first fetch of rows, the peak grows only by the ZIP's central directory
    (about 330 bytes a file, written at the end: the format needs each file's offset and
    checksum there), not with the files: 1,000 times the data, the same working memory."""
    monkeypatch.setattr(certificate_zip, "certificate_pdf", lambda certificate: STAND_IN_PDF)

    def peak():
        response = supervisor_client.get(zip_url(org))
        tracemalloc.start()
        size = sum(len(chunk) for chunk in response.streaming_content)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return size, peak

    _bulk_certified(org, course, 10, "a")
    small_size, small_peak = peak()
    _bulk_certified(org, course, 9990, "b")
    big_size, big_peak = peak()
    assert big_size > 900 * small_size
    central_directory = 400 * 9990
    assert big_peak < 1.2 * small_peak + central_directory, (small_peak, big_peak)
    assert big_peak < big_size / 200  # under half a percent of what was sent


def test_real_pdfs_in_the_zip_are_drawn_one_at_a_time(supervisor_client, org, course):
    """With real drawings: three times the certificates, the same peak (one drawing's)."""

    def peak():
        response = supervisor_client.get(zip_url(org))
        tracemalloc.start()
        size = sum(len(chunk) for chunk in response.streaming_content)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return size, peak

    for index in range(2):
        _certified(org, course, f"Personne {index}")
    peak()  # fonts loaded and registered once per process
    small_size, small_peak = peak()
    for index in range(2, 6):
        _certified(org, course, f"Personne {index}")
    big_size, big_peak = peak()
    assert big_size > 2.9 * small_size
    assert big_peak < 1.3 * small_peak, (small_peak, big_peak)


# --- behind PgBouncer in transaction mode: no server-side cursor -------------------------------


@pytest.fixture
def without_server_side_cursors(monkeypatch):
    """DATABASE_DISABLE_SERVER_SIDE_CURSORS=1: the ZIP reads by keyset pagination."""
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)


def test_keyset_chunks_give_the_same_zip_as_the_cursor(
    supervisor_client, org, course, monkeypatch, without_server_side_cursors
):
    """Namesakes and two courses (ties on the holder, then on the course) read two at a
    time: every certificate once, in the same order, in the index and in the files."""
    other = CourseFactory(lessons=1, title_fr="Accueillir")
    for name in ["Zoé Roy", "Alex Roy", "Alex Roy", "Alex Roy", "Béa Roy"]:
        for each in (course, other):
            _certified(org, each, name)
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", False)
    through_cursor = _download(supervisor_client, org)
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    monkeypatch.setattr(certificate_zip, "CHUNK_SIZE", 2)
    with CaptureQueriesContext(connection) as queries:
        by_keyset = _download(supervisor_client, org)
    assert by_keyset.namelist() == through_cursor.namelist()
    assert _index(by_keyset) == _index(through_cursor)
    assert len(by_keyset.namelist()) == 1 + 10
    assert len(set(by_keyset.namelist())) == 11
    chunks = [query for query in queries if query["sql"].endswith("LIMIT 2")]
    assert len(chunks) == 2 * (10 // 2 + 1)  # the index's pass and the files'


@pytest.mark.postgres
@pytest.mark.parametrize("server_side_cursors", [True, False])
def test_the_zip_streams_in_flat_memory_with_or_without_server_side_cursors(
    supervisor_client, org, course, monkeypatch, server_side_cursors
):
    """On PostgreSQL, through a cursor or by keyset chunks: 200 times the certificates,
    the same working memory, past the ZIP's central directory (see above)."""
    monkeypatch.setattr(certificate_zip, "certificate_pdf", lambda certificate: STAND_IN_PDF)
    monkeypatch.setitem(
        connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", not server_side_cursors
    )

    def peak():
        response = supervisor_client.get(zip_url(org))
        tracemalloc.start()
        size = sum(len(chunk) for chunk in response.streaming_content)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return size, peak

    _bulk_certified(org, course, 10, "a")
    small_size, small_peak = peak()
    _bulk_certified(org, course, 1990, "b")
    with CaptureQueriesContext(connection) as queries:
        big_size, big_peak = peak()
    assert big_size > 190 * small_size
    central_directory = 400 * 1990
    assert big_peak < 1.2 * small_peak + central_directory, (small_peak, big_peak)
    keyset_chunks = [q for q in queries if q["sql"].endswith(f"LIMIT {certificate_zip.CHUNK_SIZE}")]
    assert len(keyset_chunks) == (0 if server_side_cursors else 2 * (2000 // 200 + 1))
