"""Certificates drawn with Pillow on request: a PNG and a one-page PDF.

Nothing is stored: any app server draws the same file from the database. The ETag is
a hash of everything drawn (see `Document.fingerprint`), so a browser that has the file
gets a 304 without anything being drawn.
"""

import io

from certificates.rendering.document import RENDERER_VERSION, Document, document_for
from certificates.rendering.draw import DPI, HEIGHT, WIDTH, draw

__all__ = [
    "DPI",
    "HEIGHT",
    "RENDERER_VERSION",
    "WIDTH",
    "Document",
    "document_for",
    "render",
    "render_pdf",
    "render_png",
]

# JPEG inside the PDF (Pillow's only choice for colour): quality 90 without chroma
# subsampling keeps small text and the QR code sharp at 300 dpi.
PDF_QUALITY = 90


def render_png(document: Document) -> bytes:
    buffer = io.BytesIO()
    draw(document).save(buffer, format="PNG", dpi=(DPI, DPI))
    return buffer.getvalue()


def render_pdf(document: Document) -> bytes:
    buffer = io.BytesIO()
    draw(document).save(
        buffer,
        format="PDF",
        resolution=DPI,
        quality=PDF_QUALITY,
        subsampling=0,
        title=" — ".join((document.titles[0], document.holder_name, document.code)),
        author=document.brand,
    )
    return buffer.getvalue()


RENDERERS = {"png": render_png, "pdf": render_pdf}
CONTENT_TYPES = {"png": "image/png", "pdf": "application/pdf"}


def render(document: Document, kind: str) -> bytes:
    return RENDERERS[kind](document)
