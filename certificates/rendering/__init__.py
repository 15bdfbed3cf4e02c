"""Certificates drawn on request: a PNG with Pillow, a vector PDF with reportlab.

Nothing is stored: any app server draws the same file from the database. The ETag is
a hash of everything drawn (see `Document.fingerprint`), so a browser that has the file
gets a 304 without anything being drawn.
"""

import io

from certificates.rendering.document import RENDERER_VERSION, Document, document_for
from certificates.rendering.draw import DPI, HEIGHT, WIDTH, draw
from certificates.rendering.pdf import render_pdf

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


def render_png(document: Document) -> bytes:
    buffer = io.BytesIO()
    draw(document).save(buffer, format="PNG", dpi=(DPI, DPI))
    return buffer.getvalue()


RENDERERS = {"png": render_png, "pdf": render_pdf}
CONTENT_TYPES = {"png": "image/png", "pdf": "application/pdf"}


def render(document: Document, kind: str) -> bytes:
    return RENDERERS[kind](document)
