"""Fitting text into boxes: shrink first, then wrap, and never draw outside the box."""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
SERIF = FONT_DIR / "DejaVuSerif.ttf"
SERIF_BOLD = FONT_DIR / "DejaVuSerif-Bold.ttf"
SANS = FONT_DIR / "DejaVuSans.ttf"
SANS_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
FONTS = (SERIF, SERIF_BOLD, SANS, SANS_BOLD)

# Below this size (in pixels at 300 dpi, about 7 points) text is no longer readable on
# paper; data that would need less is still drawn inside its box, never outside it.
READABLE_FLOOR = 28
LINE_SPACING = 1.22


@lru_cache(maxsize=512)
def font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    # The basic layout engine draws the same on every server (no libraqm needed).
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    def contains(self, bbox: tuple[int, int, int, int]) -> bool:
        left, top, right, bottom = bbox
        return (
            self.left <= left and self.top <= top and right <= self.right and bottom <= self.bottom
        )


@dataclass(frozen=True)
class Line:
    """One line of text placed on the page: drawn at `xy` (left, ascender), inking `bbox`."""

    text: str
    font_path: Path
    size: int
    xy: tuple[int, int]
    bbox: tuple[int, int, int, int]
    fill: str


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy word wrap; a word wider than the line is broken between characters."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if face.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while face.getlength(word) > width:
            head = _longest_prefix(word, face, width)
            # Break after a slash or hyphen if the piece has one (URLs, compound names).
            cut = max(head.rfind("/"), head.rfind("-")) + 1
            head = head[:cut] if cut > 0 else head
            lines.append(head)
            word = word[len(head) :]
        current = word
    if current:
        lines.append(current)
    return lines


def _longest_prefix(word: str, face: ImageFont.FreeTypeFont, width: int) -> str:
    """The longest start of `word` that fits `width` (at least one character)."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if face.getlength(word[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return word[:low]


def _place(lines, face, path, size, box, align, valign, fill) -> list[Line]:
    pitch = round(size * LINE_SPACING)
    ascent, descent = face.getmetrics()
    block = pitch * (len(lines) - 1) + ascent + descent
    top = box.top
    if valign == "middle":
        top += max(0, (box.height - block) // 2)
    placed = []
    for index, text in enumerate(lines):
        left, upper, right, lower = face.getbbox(text, anchor="la")
        if align == "center":
            x = box.left + round((box.width - face.getlength(text)) / 2)
        else:
            x = box.left - min(0, left)  # a letter like T may ink left of its origin
        y = top + index * pitch
        bbox = (x + left, y + upper, x + right, y + lower)
        placed.append(Line(text, path, size, (x, y), bbox, fill))
    return placed


def fit(
    text: str,
    box: Box,
    *,
    font_path: Path,
    max_size: int,
    min_size: int,
    fill: str,
    align: str = "center",
    valign: str = "middle",
    max_lines: int = 3,
) -> list[Line]:
    """Lay `text` out in `box`: one line at the largest size from `max_size` down to
    `min_size`; failing that, wrapped into at most `max_lines` lines from `min_size`
    down to the readable floor; failing that, as small as it takes. Every line's ink
    stays inside the box."""
    text = " ".join(text.split())
    if not text:
        return []
    size = max_size
    while size >= 1:
        face = font(font_path, size)
        lines = [text] if size > min_size else wrap(text, face, box.width)
        acceptable = size < READABLE_FLOOR or len(lines) <= max_lines
        if acceptable:
            placed = _place(lines, face, font_path, size, box, align, valign, fill)
            if all(box.contains(line.bbox) for line in placed):
                return placed
        size -= max(1, size // 25)
    raise ValueError("Text does not fit even at one pixel.")  # pragma: no cover
