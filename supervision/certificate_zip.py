"""The PDFs of the certificates on the dashboard, as one ZIP streamed while it is made.

stream-zip writes each member as it comes and keeps nothing of the ones before (the local
headers go out with the data; the central directory at the end holds a few dozen bytes per
file), so memory stays flat however many certificates there are. The PDFs are stored, not
deflated: their content is already compressed. The CSV index comes first, from its own
pass over the certificates, so that nothing has to be kept for the end.

Each pass reads the certificates CHUNK_SIZE at a time: through a server-side cursor, or,
when the database's DISABLE_SERVER_SIDE_CURSORS is set (PgBouncer in transaction mode),
by keyset pagination in the certificates' order (holder, course, id: unique), each chunk
its own query starting after the last certificate read, as the CSV export does.
"""

import csv
import datetime
from collections.abc import Iterable, Iterator
from stat import S_IFREG

from django.conf import settings
from django.db import connections
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from stream_zip import NO_COMPRESSION_64, ZIP_64, stream_zip

from certificates import rendering
from certificates.models import Certificate
from supervision.csv_export import BOM, _Echo, _safe

CHUNK_SIZE = 200
MODE = S_IFREG | 0o644
# The order of supervision.selectors.dashboard_certificates, made explicit: the keyset.
ORDER = ("holder_name", "course_title_fr", "pk")


def _in_chunks(certificates: QuerySet[Certificate]) -> Iterator[Certificate]:
    """The certificates in ORDER, at most CHUNK_SIZE of them in memory at a time."""
    certificates = certificates.order_by(*ORDER)
    if not connections[certificates.db].settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
        yield from certificates.iterator(chunk_size=CHUNK_SIZE)
        return
    last = None
    while True:
        after = certificates if last is None else certificates.filter(_after(last))
        chunk = list(after[:CHUNK_SIZE])
        yield from chunk
        if len(chunk) < CHUNK_SIZE:
            return
        last = chunk[-1]


def _after(certificate: Certificate) -> Q:
    name, title = certificate.holder_name, certificate.course_title_fr
    return (
        Q(holder_name__gt=name)
        | Q(holder_name=name, course_title_fr__gt=title)
        | Q(holder_name=name, course_title_fr=title, pk__gt=certificate.pk)
    )


def certificate_pdf(certificate: Certificate) -> bytes:
    return rendering.render_pdf(rendering.document_for(certificate))


def file_name(certificate: Certificate) -> str:
    name = slugify(certificate.holder_name)[:60] or "certificate"
    return f"{name}-{certificate.display_code}.pdf"


def _index_lines(certificates, language: str) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    with translation.override(language):
        header = [
            _("File"),
            _("Verification code"),
            _("Holder"),
            _("Course"),
            _("Organization"),
            _("Completed on"),
            _("Valid until"),
            _("Status"),
            _("Verification address"),
        ]
        yield (BOM + writer.writerow(header)).encode()
        for certificate in _in_chunks(certificates):
            row = [
                file_name(certificate),
                certificate.display_code,
                certificate.holder_name,
                certificate.course_title(language),
                certificate.organization_name,
                timezone.localdate(certificate.completed_at).isoformat(),
                certificate.expires_on.isoformat(),
                str(certificate.current_status.label),
                settings.SITE_URL + certificate.get_absolute_url(),
            ]
            yield writer.writerow([_safe(cell) for cell in row]).encode()


def _members(certificates, language: str, now: datetime.datetime) -> Iterable:
    yield "index.csv", now, MODE, ZIP_64, _index_lines(certificates, language)
    for certificate in _in_chunks(certificates):
        yield file_name(certificate), now, MODE, NO_COMPRESSION_64, (certificate_pdf(certificate),)


def certificates_zip(certificates, *, language: str) -> Iterator[bytes]:
    """The ZIP's bytes, chunk by chunk. Runs while the response is sent, after the view has
    returned: the language is passed in."""
    now = timezone.localtime().replace(tzinfo=None, microsecond=0)
    return stream_zip(_members(certificates, language, now))
