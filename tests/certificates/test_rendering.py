import datetime
import io

import pytest
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader

from certificates import rendering
from certificates.rendering import document_for, layout
from certificates.rendering.draw import CONTENT, HEIGHT, WIDTH
from certificates.rendering.draw import layout as page_layout
from tests.certificates.factories import CertificateFactory
from tests.factories import CourseFactory, UserFactory
from tests.organizations.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

NAMES = ["Émilie Côté-Nguyễn", "Łucja Wójcik", "Zoë Ørsted", "Çağrı Öztürk", "Nguyễn Thị Ánh"]
LONG_NAME = ("Marie-Ève Bérénice Łucja Wójcik-Nguyễn Thị Ánh Çağrı Öztürk " * 5)[:150]
LONG_TITLE = (
    "Reconnaître la traite des personnes à des fins d’exploitation sexuelle et y répondre : " * 5
)[:200]


def _cmap(path):
    return TTFont(str(path)).getBestCmap()


def _certificate(**kwargs):
    holder = UserFactory(
        full_name=kwargs.pop("holder_name", "Zoë Ørsted"),
        preferred_language=kwargs.pop("language", "fr"),
    )
    course = CourseFactory(
        title_fr=kwargs.pop("title_fr", "Reconnaître la traite et y répondre"),
        title_en=kwargs.pop("title_en", "Recognising and responding to trafficking"),
        bilingual_certificate=kwargs.pop("bilingual", True),
    )
    return CertificateFactory(
        enrollment__learner=holder,
        enrollment__course=course,
        holder_name=holder.full_name,
        **kwargs,
    )


@pytest.mark.parametrize("name", NAMES)
def test_every_character_of_the_names_has_a_glyph_in_every_font(name):
    for path in layout.FONTS:
        missing = {char for char in name if ord(char) not in _cmap(path)}
        assert not missing, f"{path.name} lacks {missing}"


@pytest.mark.parametrize("name", NAMES)
def test_every_character_drawn_on_a_certificate_has_a_glyph_in_its_font(name):
    certificate = _certificate(holder_name=name)
    cmaps = {}
    for line in page_layout(document_for(certificate)):
        cmap = cmaps.setdefault(line.font_path, _cmap(line.font_path))
        missing = {char for char in line.text if ord(char) not in cmap}
        assert not missing, f"{line.text!r} in {line.font_path.name} lacks {missing}"
    assert any(name in line.text for line in page_layout(document_for(certificate)))


def test_the_fonts_ship_with_the_project_with_their_licence():
    for path in layout.FONTS:
        assert path.is_file()
        assert path.parent.name == "fonts"
    licence = (layout.FONT_DIR / "LICENSE").read_text()
    assert "Bitstream Vera" in licence
    assert "Permission is hereby granted" in licence


def test_a_bilingual_certificate_speaks_both_languages_the_holders_first():
    certificate = _certificate(bilingual=True, language="en")
    document = document_for(certificate)
    assert document.languages == ("en", "fr")
    assert document.titles == ("Certificate of completion", "Attestation de formation")
    assert document.course_titles == (
        "Recognising and responding to trafficking",
        "Reconnaître la traite et y répondre",
    )
    assert "/en/verify/" in document.verify_url


def test_a_one_language_certificate_uses_the_holders_language():
    certificate = _certificate(bilingual=False)
    document = document_for(certificate)
    assert document.languages == ("fr",)
    assert document.titles == ("Attestation de formation",)
    assert document.course_titles == ("Reconnaître la traite et y répondre",)
    assert "/fr/verify/" in document.verify_url


def test_the_certificate_shows_the_dates_version_organization_and_code():
    certificate = _certificate(
        bilingual=True,
        completed_at=datetime.datetime(2025, 1, 31, 15, tzinfo=datetime.UTC),
        expires_on=datetime.date(2026, 1, 31),
        content_version=7,
        organization=OrganizationFactory(name="Refuge du Quartier"),
    )
    document = document_for(certificate)
    values = dict(document.details)
    assert values["Terminé le / Completed on"] == "31 janvier 2025 / January 31, 2025"
    assert values["Valide jusqu’au / Valid until"] == "31 janvier 2026 / January 31, 2026"
    assert values["Version du contenu / Content version"] == "7"
    assert values["Organisation / Organization"] == "Refuge du Quartier"
    assert document.code == certificate.display_code
    assert document.verify_url == f"http://127.0.0.1:8000/fr/verify/{certificate.display_code}/"


@pytest.mark.parametrize("bilingual", [True, False])
def test_a_long_name_and_title_stay_inside_the_margins(bilingual):
    certificate = _certificate(
        holder_name=LONG_NAME, title_fr=LONG_TITLE, title_en=LONG_TITLE[::-1], bilingual=bilingual
    )
    assert len(certificate.holder_name) == 150
    assert len(certificate.course.title_fr) == 200
    lines = page_layout(document_for(certificate))
    outside = [line for line in lines if not CONTENT.contains(line.bbox)]
    assert not outside
    drawn = " ".join(line.text for line in lines)
    for word in LONG_NAME.split()[:-1]:
        assert word in drawn  # nothing was cut off
    assert min(line.size for line in lines) >= layout.READABLE_FLOOR


def test_lines_of_text_never_overlap():
    certificate = _certificate(holder_name=LONG_NAME, title_fr=LONG_TITLE, title_en=LONG_TITLE)
    boxes = [line.bbox for line in page_layout(document_for(certificate))]
    for index, (left, top, right, bottom) in enumerate(boxes):
        for other in boxes[index + 1 :]:
            assert right <= other[0] or other[2] <= left or bottom <= other[1] or other[3] <= top


def test_a_word_longer_than_the_line_is_broken_not_clipped():
    box = layout.Box(0, 0, 400, 400)
    lines = layout.fit("x" * 300, box, font_path=layout.SANS, max_size=60, min_size=30, fill="#000")
    assert "".join(line.text for line in lines) == "x" * 300
    assert all(box.contains(line.bbox) for line in lines)


def test_the_png_is_a_landscape_page_at_300_dpi():
    image = Image.open(io.BytesIO(rendering.render_png(document_for(_certificate()))))
    assert image.format == "PNG"
    assert image.size == (WIDTH, HEIGHT) == (3300, 2481)
    assert round(image.info["dpi"][0]) == 300


def test_the_pdf_is_one_landscape_page_that_fits_letter_and_a4():
    data = rendering.render_pdf(document_for(_certificate()))
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    width_in, height_in = float(box.width) / 72, float(box.height) / 72
    assert width_in > height_in
    assert width_in <= 11 + 0.01
    assert height_in <= 8.27 + 0.01


def test_the_fingerprint_changes_with_what_is_drawn_and_only_with_it():
    certificate = _certificate()
    before = document_for(certificate)
    assert document_for(certificate).fingerprint("pdf") == before.fingerprint("pdf")
    assert before.fingerprint("pdf") != before.fingerprint("png")
    certificate.holder_name = "Nguyễn Thị Ánh"
    assert document_for(certificate).fingerprint("pdf") != before.fingerprint("pdf")


def test_a_revoked_certificate_says_so_on_the_page():
    from django.utils import timezone

    certificate = _certificate()
    assert document_for(certificate).revoked == ""
    certificate.revoked_at = timezone.now()
    document = document_for(certificate)
    assert document.revoked == "RÉVOQUÉE / REVOKED"
    assert document.fingerprint("png") != document_for(_certificate()).fingerprint("png")


def _pdf_text(data: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())


def test_the_pdf_is_text_in_the_embedded_fonts_and_no_image():
    certificate = _certificate(holder_name="Émilie Côté-Nguyễn")
    data = rendering.render_pdf(document_for(certificate))
    text = _pdf_text(data)
    assert "Émilie Côté-Nguyễn" in text
    assert "Reconnaître la traite et y répondre" in text
    assert certificate.display_code in text
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert not page.images  # the QR code too is drawn as vector rectangles
    fonts = [font.get_object() for font in page["/Resources"]["/Font"].values()]
    embedded = {
        str(font["/BaseFont"]).split("+")[-1]
        for font in fonts
        if "/FontDescriptor" in font and "/FontFile2" in font["/FontDescriptor"]
    }
    assert embedded == {"DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSans", "DejaVuSans-Bold"}


def test_the_pdf_carries_its_language_title_author_and_subject():
    certificate = _certificate(bilingual=True, language="en")
    reader = PdfReader(io.BytesIO(rendering.render_pdf(document_for(certificate))))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.metadata.title.startswith("Certificate of completion — Zoë Ørsted — ")
    assert reader.metadata.author == "Repère"
    assert "Recognising and responding to trafficking" in reader.metadata.subject


@pytest.mark.parametrize("bilingual", [True, False])
def test_the_pdf_of_the_longest_names_is_under_100_kb_and_keeps_every_word(bilingual):
    from django.utils import timezone

    certificate = _certificate(
        holder_name=LONG_NAME,
        title_fr=LONG_TITLE,
        title_en=LONG_TITLE[::-1],
        bilingual=bilingual,
        revoked_at=timezone.now(),
        revoked_reason="Test.",
    )
    data = rendering.render_pdf(document_for(certificate))
    assert len(data) < 100 * 1024, len(data)
    text = _pdf_text(data).replace(" ", "")
    for word in LONG_NAME.split()[:-1]:
        assert word in text
    assert certificate.display_code in text


def test_the_pdf_is_the_same_bytes_for_the_same_certificate():
    document = document_for(_certificate())
    assert rendering.render_pdf(document) == rendering.render_pdf(document)
