"""Rendering benchmark, for `make bench`: `bench_render(n=20) -> dict`.

Needs Django set up (settings and URLs), not the database: the certificate is built in
memory. Times are medians in milliseconds. The ratios compare a certificate with the same
library writing a blank page of the same size in the same run — Pillow encoding a blank
PNG; reportlab writing a blank PDF page with the same four fonts embedded — so they say
how the drawing weighs whatever the machine's speed.
"""

import datetime
import io
import statistics
import time

from PIL import Image

from certificates import codes, rendering
from certificates.rendering.draw import PAPER, qr_matrix
from certificates.rendering.pdf import render_blank_pdf

BENCH_NAME = "Émilie Côté-Nguyễn"
BENCH_TITLES = {
    "fr": "Reconnaître la traite des personnes à des fins d’exploitation sexuelle et y répondre",
    "en": "Recognising and responding to sex trafficking",
}


def bench_document() -> rendering.Document:
    from accounts.models import User
    from certificates.models import Certificate
    from courses.models import Course

    holder = User(email="bench@example.org", full_name=BENCH_NAME, preferred_language="fr")
    course = Course(slug="bench", title_fr=BENCH_TITLES["fr"], title_en=BENCH_TITLES["en"])
    completed = datetime.datetime(2025, 1, 31, 15, 0, tzinfo=datetime.UTC)
    certificate = Certificate(
        holder=holder,
        course=course,
        cycle=1,
        code=codes.generate(),
        holder_name=BENCH_NAME,
        course_title_fr=BENCH_TITLES["fr"],
        course_title_en=BENCH_TITLES["en"],
        languages="fr,en",
        content_version=1,
        completed_at=completed,
        expires_on=datetime.date(2026, 1, 31),
    )
    return rendering.document_for(certificate)


def _median_ms(function, n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 1)


def _blank(kind: str):
    if kind == "pdf":
        return render_blank_pdf
    image = Image.new("RGB", (rendering.WIDTH, rendering.HEIGHT), PAPER)

    def encode():
        image.save(io.BytesIO(), format="PNG", dpi=(rendering.DPI, rendering.DPI))

    return encode


BASELINES = {"png": "Pillow: blank {size} page as PNG", "pdf": "reportlab: blank {size} PDF page"}


def bench_render(n: int = 20) -> dict:
    document = bench_document()
    rendering.render_png(document)  # Warm up: fonts loaded, code paths compiled.
    rendering.render_pdf(document)
    result = {"n": n, "size_px": [rendering.WIDTH, rendering.HEIGHT], "dpi": rendering.DPI}
    size = f"{rendering.WIDTH}×{rendering.HEIGHT}"
    for kind in ("png", "pdf"):
        drawn = _median_ms(lambda kind=kind: rendering.render(document, kind), n)
        blank = _median_ms(_blank(kind), n)
        result[f"{kind}_ms"] = drawn
        result[f"blank_{kind}_ms"] = blank
        result[f"{kind}_ratio"] = round(drawn / blank, 2) if blank else None
        result[f"{kind}_bytes"] = len(rendering.render(document, kind))
        result[f"blank_{kind}_label"] = BASELINES[kind].format(size=size)
    # A certificate drawn for the first time: its QR code not yet encoded.
    result["pdf_first_ms"] = _median_ms(
        lambda: (qr_matrix.cache_clear(), rendering.render_pdf(document)), n
    )
    return result


if __name__ == "__main__":  # pragma: no cover
    import json
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    print(json.dumps(bench_render(), indent=2))
