"""What a certificate says, in its language(s): every string that will be drawn."""

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext

from accounts.dates import date_format

if TYPE_CHECKING:
    from certificates.models import Certificate

# Change this when the drawing changes: it is part of the ETag, so browsers and proxies
# fetch the new drawing instead of their copy of the old one.
RENDERER_VERSION = "3"  # 3: "1er" for the first of the month in French

SEPARATOR = " / "


@dataclass(frozen=True)
class Document:
    languages: tuple[str, ...]
    brand: str
    titles: tuple[str, ...]
    intro: str
    holder_name: str
    completed: str
    course_titles: tuple[str, ...]
    details: tuple[tuple[str, str], ...]
    verify_label: str
    verify_url: str
    code: str
    revoked: str

    def fingerprint(self, kind: str) -> str:
        """A hash of everything drawn, the renderer version and the file format."""
        payload = json.dumps(
            [RENDERER_VERSION, kind, dataclasses.asdict(self)], ensure_ascii=False, sort_keys=True
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:32]


def _each(languages, function) -> list[str]:
    values = []
    for language in languages:
        with translation.override(language):
            value = str(function())
        if value and value not in values:
            values.append(value)
    return values


def _joined(languages, function) -> str:
    return SEPARATOR.join(_each(languages, function))


def _date(languages, day) -> str:
    """The long date of the site's pages, in each language of the certificate."""
    return SEPARATOR.join(_each(languages, lambda: date_format(day)))


def document_for(certificate: "Certificate") -> Document:
    """Everything comes from what the certificate froze when it was issued: no query."""
    languages = certificate.language_codes or (settings.LANGUAGE_CODE,)
    details = [
        (
            _joined(languages, lambda: gettext("Completed on")),
            _date(languages, timezone.localdate(certificate.completed_at)),
        ),
        (
            _joined(languages, lambda: gettext("Valid until")),
            _date(languages, certificate.expires_on),
        ),
        (
            _joined(languages, lambda: gettext("Content version")),
            str(certificate.content_version),
        ),
    ]
    if certificate.organization_name:
        details.append(
            (_joined(languages, lambda: gettext("Organization")), certificate.organization_name)
        )
    with translation.override(languages[0]):
        path = reverse("verify:detail", kwargs={"code": certificate.display_code})
    return Document(
        languages=languages,
        brand="Repère",
        titles=tuple(_each(languages, lambda: gettext("Certificate of completion"))),
        intro=_joined(languages, lambda: gettext("This certifies that")),
        holder_name=certificate.holder_name,
        completed=_joined(languages, lambda: gettext("has completed the course")),
        course_titles=tuple(
            _each(languages, lambda: certificate.course_title(translation.get_language()))
        ),
        details=tuple(details),
        verify_label=_joined(languages, lambda: gettext("Check this certificate")),
        verify_url=settings.SITE_URL + path,
        code=certificate.display_code,
        revoked=(
            _joined(languages, lambda: pgettext("certificate", "Revoked")).upper()
            if certificate.revoked_at is not None
            else ""
        ),
    )
