"""The page: a landscape sheet that prints at actual size on both Letter and A4.

11 × 8.27 inches is the intersection of Letter (11 × 8.5) and A4 (11.69 × 8.27) in
landscape, so neither paper scales or crops it; drawn at 300 dpi. Everything is kept
0.8 inch inside the edges, well within any printer's unprintable margin.
"""

from functools import lru_cache

import segno
from PIL import Image, ImageDraw

from certificates.rendering.document import Document
from certificates.rendering.layout import (
    SANS,
    SANS_BOLD,
    SERIF,
    SERIF_BOLD,
    Box,
    Line,
    fit,
    font,
)

DPI = 300
WIDTH, HEIGHT = round(11 * DPI), round(8.27 * DPI)  # 3300 × 2481
MARGIN = 240  # 0.8 inch
CONTENT = Box(MARGIN, MARGIN, WIDTH - MARGIN, HEIGHT - MARGIN)

PAPER = "#ffffff"
INK = "#1d1d1f"
MUTED = "#4a4a55"
ACCENT = "#1f4e79"
DANGER = "#a4161a"

# The column under the QR code, at the bottom right.
QR_COLUMN = Box(CONTENT.right - 900, 1560, CONTENT.right, CONTENT.bottom)
QR_SIZE = 440
DETAILS = Box(CONTENT.left, 1640, QR_COLUMN.left - 80, CONTENT.bottom)


def _band(top: int, bottom: int) -> Box:
    return Box(CONTENT.left, top, CONTENT.right, bottom)


# How each kind of text is set: its font, its largest size, the size down to which it
# stays on one line before wrapping, its colour and how many lines it may take.
STYLES = {
    "brand": dict(font_path=SANS_BOLD, max_size=52, min_size=52, fill=ACCENT, max_lines=1),
    "title": dict(font_path=SERIF_BOLD, max_size=118, min_size=80, fill=INK, max_lines=1),
    "subtitle": dict(font_path=SERIF, max_size=66, min_size=48, fill=MUTED, max_lines=1),
    "phrase": dict(font_path=SANS, max_size=50, min_size=36, fill=MUTED, max_lines=1),
    "name": dict(font_path=SERIF_BOLD, max_size=136, min_size=84, fill=ACCENT, max_lines=2),
    "course": dict(font_path=SERIF_BOLD, max_size=96, min_size=60, fill=INK, max_lines=4),
    "course_primary": dict(font_path=SERIF_BOLD, max_size=88, min_size=60, fill=INK, max_lines=3),
    "course_other": dict(font_path=SERIF, max_size=60, min_size=40, fill=MUTED, max_lines=2),
    "label": dict(font_path=SANS, max_size=36, min_size=28, fill=MUTED, max_lines=1,
                  align="left", valign="top"),
    "value": dict(font_path=SANS_BOLD, max_size=46, min_size=32, fill=INK, max_lines=2,
                  align="left", valign="top"),
    "verify_label": dict(font_path=SANS, max_size=32, min_size=24, fill=MUTED, max_lines=1),
    "url": dict(font_path=SANS, max_size=30, min_size=24, fill=INK, max_lines=2),
    "code": dict(font_path=SANS_BOLD, max_size=54, min_size=40, fill=INK, max_lines=1),
}  # fmt: skip


def layout(document: Document) -> list[Line]:
    """Every line of text with its font, size, position and ink box."""
    lines: list[Line] = []

    def text(value: str, box: Box, style: str) -> None:
        lines.extend(fit(value, box, **STYLES[style]))

    text(document.brand.upper(), _band(CONTENT.top, 330), "brand")
    title, *other_titles = document.titles
    text(title, _band(350, 500), "title")
    if other_titles:
        text(" / ".join(other_titles), _band(505, 590), "subtitle")
    text(document.intro, _band(630, 700), "phrase")
    text(document.holder_name, _band(720, 1010), "name")
    text(document.completed, _band(1050, 1120), "phrase")
    course, *other_courses = document.course_titles
    if other_courses:
        text(course, _band(1140, 1390), "course_primary")
        text(" / ".join(other_courses), _band(1395, 1540), "course_other")
    else:
        text(course, _band(1140, 1540), "course")

    # Bottom left: label above value, in two columns of up to two rows.
    column_width = (DETAILS.width - 60) // 2
    row_height = DETAILS.height // 2
    for index, (label, value) in enumerate(document.details):
        row, column = divmod(index, 2)
        left = DETAILS.left + column * (column_width + 60)
        top = DETAILS.top + row * row_height
        text(label, Box(left, top, left + column_width, top + 56), "label")
        text(value, Box(left, top + 58, left + column_width, top + row_height - 20), "value")

    # Bottom right, under the QR code: what it is for, its address and the code.
    below = QR_COLUMN.top + QR_SIZE
    column = QR_COLUMN
    text(document.verify_label, Box(column.left, below + 10, column.right, below + 60),
         "verify_label")  # fmt: skip
    text(document.verify_url, Box(column.left, below + 62, column.right, below + 150), "url")
    text(document.code, Box(column.left, below + 152, column.right, CONTENT.bottom), "code")
    return lines


@lru_cache(maxsize=1024)
def qr_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code's modules, dark or light. Kept per address: choosing the best mask is
    most of the cost, and the PNG and the PDF of a certificate share the same code."""
    return tuple(
        tuple(bool(dark) for dark in row) for row in segno.make(url, error="m", micro=False).matrix
    )


def _qr(url: str) -> Image.Image:
    matrix = qr_matrix(url)
    modules = len(matrix)
    image = Image.new("1", (modules, modules), 1)
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    scale = QR_SIZE // modules
    return image.resize((modules * scale, modules * scale), Image.Resampling.NEAREST)


def _revoked_stamp(text: str) -> Image.Image:
    face = font(SANS_BOLD, 190)
    left, top, right, bottom = face.getbbox(text, anchor="la")
    stamp = Image.new("L", (right - left + 80, bottom - top + 80), 0)
    draw = ImageDraw.Draw(stamp)
    draw.rectangle((0, 0, stamp.width - 1, stamp.height - 1), outline=255, width=14)
    draw.text((40 - left, 40 - top), text, font=face, fill=255)
    return stamp.rotate(14, expand=True, resample=Image.Resampling.BICUBIC)


def draw(document: Document) -> Image.Image:
    page = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    canvas = ImageDraw.Draw(page)
    canvas.rectangle((90, 90, WIDTH - 91, HEIGHT - 91), outline=ACCENT, width=14)
    canvas.rectangle((130, 130, WIDTH - 131, HEIGHT - 131), outline=ACCENT, width=3)
    for line in layout(document):
        canvas.text(
            line.xy, line.text, font=font(line.font_path, line.size), fill=line.fill, anchor="la"
        )
    rule = 1030
    canvas.line((WIDTH // 2 - 700, rule, WIDTH // 2 + 700, rule), fill=ACCENT, width=3)
    qr = _qr(document.verify_url)
    page.paste(
        qr.convert("RGB"), (QR_COLUMN.left + (QR_COLUMN.width - qr.width) // 2, QR_COLUMN.top)
    )
    if document.revoked:
        stamp = _revoked_stamp(document.revoked)
        stamp = stamp.point(lambda value: value * 70 // 100)
        position = ((WIDTH - stamp.width) // 2, (HEIGHT - stamp.height) // 2 - 200)
        page.paste(Image.new("RGB", stamp.size, DANGER), position, stamp)
    return page
