"""The certificate as a vector PDF, drawn with reportlab from the same layout as the PNG.

The text is real text in the DejaVu fonts that ship with the project (embedded as
subsets, with a ToUnicode map), so it can be searched, copied and read aloud; the QR code
is drawn as rectangles, one per run of dark modules. The document carries its language
(the catalogue's /Lang, the first language of the certificate) and its title, author and
subject. reportlab's open-source edition writes no structure tree, so the PDF is not
tagged (PDF/UA): a screen reader reads its text in drawing order, which is the reading
order of the page (top to bottom, the details left to right, then the code).
"""

import io
from functools import cache

from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from certificates.rendering.document import Document
from certificates.rendering.draw import (
    ACCENT,
    DANGER,
    DPI,
    HEIGHT,
    QR_COLUMN,
    QR_SIZE,
    WIDTH,
    layout,
    qr_matrix,
)
from certificates.rendering.layout import FONTS, SANS_BOLD, font

POINT = 72 / DPI  # the layout is in pixels at 300 dpi; PDF units are points
PAGE_SIZE = (WIDTH * POINT, HEIGHT * POINT)


@cache
def font_name(path) -> str:
    """The font registered with reportlab under its file's name (once per process)."""
    name = path.stem
    pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


def new_canvas(buffer, *, language: str) -> Canvas:
    # invariant: the same document gives the same bytes (no creation date or random id).
    return Canvas(buffer, pagesize=PAGE_SIZE, pageCompression=1, invariant=1, lang=language)


def _x(px: float) -> float:
    return px * POINT


def _y(px: float) -> float:
    """A distance from the top in pixels as reportlab's distance from the bottom."""
    return (HEIGHT - px) * POINT


def _frame(canvas: Canvas) -> None:
    canvas.setStrokeColor(HexColor(ACCENT))
    # Pillow draws an outline inside its box: the stroke's centre is half its width in.
    for inset, width in ((90, 14), (130, 3)):
        middle = inset + width / 2
        canvas.setLineWidth(width * POINT)
        canvas.rect(
            _x(middle), _y(HEIGHT - middle), _x(WIDTH - 2 * middle), _x(HEIGHT - 2 * middle)
        )
    canvas.setLineWidth(3 * POINT)
    canvas.line(_x(WIDTH // 2 - 700), _y(1031.5), _x(WIDTH // 2 + 700), _y(1031.5))


def _text(canvas: Canvas, document: Document) -> None:
    for line in layout(document):
        ascent, _descent = font(line.font_path, line.size).getmetrics()
        canvas.setFillColor(HexColor(line.fill))
        canvas.setFont(font_name(line.font_path), line.size * POINT)
        canvas.drawString(_x(line.xy[0]), _y(line.xy[1] + ascent), line.text)


def _qr(canvas: Canvas, url: str) -> None:
    matrix = qr_matrix(url)
    modules = len(matrix)
    scale = QR_SIZE // modules
    left = QR_COLUMN.left + (QR_COLUMN.width - modules * scale) // 2
    top = QR_COLUMN.top
    canvas.setFillColor(HexColor("#000000"))
    path = canvas.beginPath()
    for row, cells in enumerate(matrix):
        column = 0
        while column < modules:
            if not cells[column]:
                column += 1
                continue
            start = column
            while column < modules and cells[column]:
                column += 1
            path.rect(
                _x(left + start * scale),
                _y(top + (row + 1) * scale),
                _x((column - start) * scale),
                _x(scale),
            )
    canvas.drawPath(path, stroke=0, fill=1)


def _revoked(canvas: Canvas, text: str) -> None:
    size = 190
    face = font(SANS_BOLD, size)
    left, top, right, bottom = face.getbbox(text, anchor="ls")
    width, height = right - left + 80, bottom - top + 80
    canvas.saveState()
    canvas.translate(_x(WIDTH / 2), _y(HEIGHT / 2 - 200))
    canvas.rotate(14)
    canvas.setFillAlpha(0.7)
    canvas.setStrokeAlpha(0.7)
    canvas.setFillColor(HexColor(DANGER))
    canvas.setStrokeColor(HexColor(DANGER))
    canvas.setLineWidth(14 * POINT)
    canvas.rect(_x(-width / 2 + 7), _x(-height / 2 + 7), _x(width - 14), _x(height - 14))
    canvas.setFont(font_name(SANS_BOLD), size * POINT)
    canvas.drawCentredString(0, _x((top + bottom) / 2), text)
    canvas.restoreState()


def render_pdf(document: Document) -> bytes:
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, language=document.languages[0])
    canvas.setTitle(" — ".join((document.titles[0], document.holder_name, document.code)))
    canvas.setAuthor(document.brand)
    canvas.setSubject(" / ".join(document.course_titles))
    canvas.setCreator(document.brand)
    _frame(canvas)
    _text(canvas, document)
    _qr(canvas, document.verify_url)
    if document.revoked:
        _revoked(canvas, document.revoked)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render_blank_pdf(language: str = "fr") -> bytes:
    """A page of the same size with the same fonts embedded (one space each) and nothing
    else: the baseline `make bench` compares the certificate with."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, language=language)
    for path in FONTS:
        canvas.setFont(font_name(path), 12)
        canvas.drawString(0, 0, " ")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
