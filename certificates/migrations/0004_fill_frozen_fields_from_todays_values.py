"""Existing certificates get the copies of what they print from today's values: the course
titles, the organization's name and the languages as they stand, and a recipient salt and
hash of the holder's current e-mail address. From now on these copies are what is drawn."""

import hashlib
import secrets

from django.conf import settings
from django.db import migrations


def fill(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    known = [code for code, _name in settings.LANGUAGES]
    certificates = Certificate.objects.select_related("course", "holder", "organization")
    batch = []
    for certificate in certificates.iterator(chunk_size=500):
        course, holder = certificate.course, certificate.holder
        primary = holder.preferred_language if holder.preferred_language in known else None
        primary = primary or settings.LANGUAGE_CODE
        languages = (
            [primary, *[code for code in known if code != primary]]
            if course.bilingual_certificate
            else [primary]
        )
        salt = secrets.token_hex(16)
        certificate.course_title_fr = course.title_fr or course.title
        certificate.course_title_en = course.title_en or ""
        certificate.organization_name = (
            certificate.organization.name if certificate.organization is not None else ""
        )
        certificate.languages = ",".join(languages)
        certificate.recipient_salt = salt
        certificate.recipient_hash = "sha256$" + hashlib.sha256(
            (holder.email.strip().lower() + salt).encode()
        ).hexdigest()
        batch.append(certificate)
        if len(batch) >= 500:
            _save(Certificate, batch)
            batch = []
    _save(Certificate, batch)


def _save(Certificate, batch):
    Certificate.objects.bulk_update(
        batch,
        [
            "course_title_fr",
            "course_title_en",
            "organization_name",
            "languages",
            "recipient_salt",
            "recipient_hash",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0003_freeze_printed_fields_and_recipient"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
