"""The course's content file: faithful to the source document, the same in French and English,
citing its sources, in words that never blame the person who is trafficked."""

import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from curriculum.reading import DEFAULT_PATH, curriculum_read

CONTENT = Path(settings.BASE_DIR) / DEFAULT_PATH
COVERAGE = Path(settings.BASE_DIR) / "docs" / "curriculum-coverage.md"
LANGUAGES = ("fr", "en")
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ROW = re.compile(r"^\| (\d+) \| (.+?) \| `([a-z0-9-]+)` \| (.+?) \| (.+?) \|$")


@cache
def _content():
    # Read once: the tests below only read it.
    return yaml.load(CONTENT.read_text(encoding="utf-8"), Loader=YAML_LOADER)


def _lessons():
    return {
        lesson["id"]: lesson for module in _content()["modules"] for lesson in module["lessons"]
    }


def _coverage_rows():
    rows = []
    for line in COVERAGE.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            number, fact, lesson, words_fr, words_en = match.groups()
            rows.append((int(number), fact, lesson, {"fr": words_fr, "en": words_en}))
    return rows


def _plain(text: str) -> str:
    """Lower case, one kind of apostrophe, no Markdown emphasis, single spaces."""
    text = text.replace("’", "'").replace("*", "").lower()
    return re.sub(r"\s+", " ", text)


def _shape(markdown: str) -> list[str]:
    """The outline of a text: its headings by level, bullets and paragraphs, in order."""
    shape = []
    for line in markdown.splitlines():
        if not line.strip():
            continue
        heading = re.match(r"^(#+) ", line)
        if heading:
            shape.append(f"h{len(heading.group(1))}")
        elif re.match(r"^\s*[-*] ", line):
            shape.append("bullet")
        elif re.match(r"^\s*\d+\. ", line):
            shape.append("number")
        else:
            shape.append("paragraph")
    return shape


# --- the coverage of the source document ---------------------------------------------------


def test_coverage_table_lists_the_facts_of_the_source_document_in_order():
    numbers = [number for number, *_ in _coverage_rows()]
    assert len(numbers) >= 45
    assert numbers == list(range(1, len(numbers) + 1))


@pytest.mark.parametrize("row", _coverage_rows(), ids=lambda row: f"fact-{row[0]}")
def test_each_fact_is_taught_by_its_lesson_in_french_and_english(row):
    number, fact, lesson_id, words = row
    lessons = _lessons()
    assert lesson_id in lessons, f"fact {number}: no lesson {lesson_id} in {DEFAULT_PATH}"
    lesson = lessons[lesson_id]
    for language in LANGUAGES:
        body = lesson["body"].get(language, "")
        assert body.strip(), f"fact {number}: {lesson_id} has no {language} body"
        text = _plain(f"{lesson['title'][language]} {body}")
        for word in words[language].split(" ; "):
            assert _plain(word) in text, f"fact {number} ({fact}): {word!r} not in {lesson_id}"


def test_every_module_of_the_issue_teaches_at_least_one_fact_of_the_source():
    taught = {lesson for _n, _f, lesson, _w in _coverage_rows()}
    modules_with_facts = {
        module["id"]
        for module in _content()["modules"]
        if any(lesson["id"] in taught for lesson in module["lessons"])
    }
    assert modules_with_facts == {m["id"] for m in _content()["modules"][:4]}


# --- French and English ----------------------------------------------------------------------


def test_french_and_english_have_the_same_modules_lessons_and_outline():
    for module in _content()["modules"]:
        for key in ("title", "summary", "objectives", "content_note"):
            if key in module:
                assert all(module[key][lang].strip() for lang in LANGUAGES), (module["id"], key)
                assert _shape(module[key]["fr"]) == _shape(module[key]["en"]), (module["id"], key)
        for lesson in module["lessons"]:
            assert all(lesson["title"][lang].strip() for lang in LANGUAGES), lesson["id"]
            assert all(lesson["body"][lang].strip() for lang in LANGUAGES), lesson["id"]
            fr, en = _shape(lesson["body"]["fr"]), _shape(lesson["body"]["en"])
            assert fr == en, f"{lesson['id']}: headings, bullets or paragraphs differ"


def test_the_file_passes_every_check_of_the_loader():
    spec = curriculum_read(path=CONTENT)
    assert len(spec.modules) == 5
    assert sum(len(module.lessons) for module in spec.modules) == 17


# --- safety and language ---------------------------------------------------------------------


def test_the_course_and_modules_2_to_5_carry_a_content_note():
    content = _content()
    noted = [module["id"] for module in content["modules"] if "content_note" in module]
    assert noted == ["m2-recruitment", "m3-control", "m4-barriers", "m5-responding"]
    for language in LANGUAGES:
        assert content["course"]["content_note"][language].strip()


STIGMATISING = re.compile(
    r"prostitu|\bpimp|proxén|souteneur|\bjohns?\b|\bhooker"
    r"|\bputain|chose to be|a choisi d[e’']",
    re.IGNORECASE,
)
SEX_WORK = re.compile(r"sex work|travail(leuse|leur)? du sexe", re.IGNORECASE)


def _all_texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _all_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _all_texts(item)


def test_no_word_stigmatises_or_blames_the_person_who_is_trafficked():
    content = _content()
    found = [
        match.group(0)
        for text in _all_texts({"course": content["course"], "modules": content["modules"]})
        for match in STIGMATISING.finditer(text)
    ]
    assert found == []


def test_sex_work_is_named_only_to_tell_it_apart_from_trafficking_between_adults():
    """Adult sex work and survival sex are not trafficking; a person who is trafficked is
    never called a sex worker. Only the lessons that draw the line name it."""
    content = _content()
    naming = {
        lesson["id"]
        for module in content["modules"]
        for lesson in module["lessons"]
        if any(SEX_WORK.search(text) for text in _all_texts(lesson["body"]))
    }
    assert naming == {"m1-l2-no-consent"}
    for module in content["modules"]:
        quiz_texts = _all_texts(module.get("quiz", {}))
        assert not any(SEX_WORK.search(text) for text in quiz_texts), module["id"]


def test_boys_men_and_2slgbtqi_people_are_named_among_those_targeted():
    body = _lessons()["m1-l2-no-consent"]["body"]
    assert "garçons et des hommes" in body["fr"]
    assert "2ELGBTQI+" in body["fr"]
    assert "boys and men" in body["en"]
    assert "2SLGBTQI+" in body["en"]


# --- sources ---------------------------------------------------------------------------------

OUTSIDE_FACTS = {
    "hotline": re.compile(
        r"1[-\u2011]833[-\u2011]900[-\u2011]1010"  # ASCII or non-breaking hyphens
        r"|Ligne d’urgence canadienne|Human Trafficking Hotline"
    ),
    "emergency": re.compile(r"\b911\b"),
    "child-protection": re.compile(
        r"protection de l’enfance|protection de la jeunesse|child[- ]protection"
        r"|enfant ayant besoin de protection|child in need of protection",
        re.IGNORECASE,
    ),
}


def _entries():
    content = _content()
    yield "course", content["course"], content["course"].get("sources", [])
    for module in content["modules"]:
        own = {key: value for key, value in module.items() if key not in ("lessons", "quiz")}
        yield module["id"], own, module.get("sources", [])
        for lesson in module["lessons"]:
            yield lesson["id"], lesson, lesson["sources"]


@pytest.mark.parametrize("source", sorted(OUTSIDE_FACTS))
def test_hotline_911_and_child_protection_facts_cite_their_source(source):
    citing = []
    for name, entry, sources in _entries():
        if any(OUTSIDE_FACTS[source].search(text) for text in _all_texts(entry)):
            assert source in sources, f"{name} mentions {source} without citing it"
            citing.append(name)
    assert citing, f"nothing in the course mentions {source}"


def test_every_declared_source_is_cited_somewhere():
    content = _content()
    cited = {source for _name, _entry, sources in _entries() for source in sources}
    assert {source["id"] for source in content["sources"]} == cited


OUTSIDE_ROW = re.compile(r"^\| (.+?) \| (`[a-z0-9-]+`(?:, `[a-z0-9-]+`)*) \| (.+) \|$")


def test_each_fact_from_beyond_the_document_is_cited_by_the_lessons_its_row_names():
    text = COVERAGE.read_text(encoding="utf-8")
    section = text.split("## Facts from beyond the source document", 1)[1]
    rows = [OUTSIDE_ROW.match(line) for line in section.splitlines()]
    rows = [row for row in rows if row]
    assert len(rows) >= 12
    declared = {source["id"] for source in _content()["sources"]}
    lessons = _lessons()
    for row in rows:
        fact, ids, where = row.groups()
        sources = set(re.findall(r"`([a-z0-9-]+)`", ids))
        assert sources <= declared, fact
        for lesson_id in re.findall(r"`(m\d-l[a-z0-9-]+)`", where):
            cited = set(lessons[lesson_id]["sources"])
            assert sources & cited, f"{lesson_id} cites none of {sources}"
