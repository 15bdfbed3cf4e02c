"""The migration that freezes what existing certificates print, from today's values."""

import datetime
import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("certificates", "0003_freeze_printed_fields_and_recipient")]
AFTER = [("certificates", "0004_fill_frozen_fields_from_todays_values")]


@pytest.mark.django_db(transaction=True)
def test_existing_certificates_get_todays_titles_organization_languages_and_recipient():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    User = apps.get_model("accounts", "User")
    Course = apps.get_model("courses", "Course")
    Enrollment = apps.get_model("courses", "Enrollment")
    Organization = apps.get_model("organizations", "Organization")
    Certificate = apps.get_model("certificates", "Certificate")
    holder = User.objects.create(
        email="ana@example.org", full_name="Ana", preferred_language="en", password="x"
    )
    course = Course.objects.create(
        slug="c", title="Titre", title_fr="Titre", title_en="Title", bilingual_certificate=True
    )
    enrollment = Enrollment.objects.create(learner=holder, course=course)
    organization = Organization.objects.create(name="Refuge", province="QC")
    Certificate.objects.create(
        holder=holder,
        course=course,
        enrollment=enrollment,
        cycle=1,
        code="A" * 16,
        holder_name="Ana",
        content_version=1,
        completed_at=timezone.now(),
        expires_on=timezone.localdate() + datetime.timedelta(days=10),
        organization=organization,
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    certificate = apps.get_model("certificates", "Certificate").objects.get()
    assert (certificate.course_title_fr, certificate.course_title_en) == ("Titre", "Title")
    assert certificate.organization_name == "Refuge"
    assert certificate.languages == "en,fr"
    expected = hashlib.sha256(("ana@example.org" + certificate.recipient_salt).encode())
    assert certificate.recipient_hash == f"sha256${expected.hexdigest()}"
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
