"""Rules the course content keeps, beyond faithfulness to the source document: child protection
wherever a minor appears, wrong answers that say how wrong they are, a quiz per workplace with a
second situation to draw, OQLF spacing in French, and sources with an address and a date.

Each rule fails on version 1 of the content (run once against it when writing them)."""

import re
from functools import cache
from pathlib import Path

import polib
import pytest
import yaml
from django.conf import settings

from curriculum.reading import DEFAULT_PATH

CONTENT = Path(settings.BASE_DIR) / DEFAULT_PATH
FRENCH_CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
LANGUAGES = ("fr", "en")
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A minor: a stated age under 18, or a word that names a young person.
AGE = {
    "fr": re.compile(r"\b(\d{1,2})\s?ans\b"),
    "en": re.compile(r"\b(\d{1,2})(?:-year-old|\s?years? old)\b|\b[A-ZÉ][a-zéèï]+, (\d{1,2})\b"),
}
YOUNG = {
    "fr": re.compile(
        r"\b(mineure?s?|adolescente?s?|ados?|élèves?|fugue|moins de 18 ans)\b", re.IGNORECASE
    ),
    "en": re.compile(
        r"\b(minors?|teens?|teenagers?|adolescents?|youths?|students?|runs? away|under 18)\b",
        re.IGNORECASE,
    ),
}
CHILD_PROTECTION = {
    "fr": re.compile(r"protection de l[’']enfance|protection de la jeunesse|\bDPJ\b"),
    "en": re.compile(r"child[- ]protection|Youth Protection|\bDYP\b", re.IGNORECASE),
}
# Each kind of wrong answer opens with its own words.
OPENINGS = {
    "partly": {"fr": "En partie juste", "en": "Partly right"},
    "wrong": {"fr": "Inexact", "en": "Not right"},
    "harmful": {"fr": "À éviter", "en": "Avoid this"},
}
WORKPLACE_SETTINGS = ("shelter", "group_home", "school")
RECALL = re.compile(
    r"selon (la leçon|le cours|la définition)|according to the (lesson|course)", re.IGNORECASE
)
# OQLF: U+00A0 before `:` and inside « », U+202F before ; ! ?  — never an ordinary space.
ORDINARY_SPACE = re.compile(r" [:;!?»]|« ")
WRONG_SPACE = re.compile(r"\u00a0[;!?]|\u202f[:»]|\u202f«|«\u202f")
HOTLINE_WRAPPING = "1-833-900-1010"


@cache
def _content():
    return yaml.load(CONTENT.read_text(encoding="utf-8"), Loader=YAML_LOADER)


def _quizzes():
    return {module["id"]: module["quiz"] for module in _content()["modules"] if "quiz" in module}


def _scenarios():
    return [scenario for quiz in _quizzes().values() for scenario in quiz["scenarios"]]


def _choices(scenario):
    return [choice for question in scenario["questions"] for choice in question["choices"]]


def _mentions_a_minor(text: str, language: str) -> bool:
    ages = [int(age) for match in AGE[language].findall(text) for age in _flat(match) if age]
    return any(age < 18 for age in ages) or bool(YOUNG[language].search(text))


def _flat(match):
    return match if isinstance(match, tuple) else (match,)


def _texts(node, language):
    """Every `language` text under a node of the content file."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == language and isinstance(value, str):
                yield value
            elif key != "sources":
                yield from _texts(value, language)
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item, language)


# --- minors: child protection first ----------------------------------------------------------


def test_the_rule_finds_minors_and_child_protection():
    assert _mentions_a_minor("Maya, 17 ans, se confie à vous.", "fr")
    assert _mentions_a_minor("Maya, 17, confides in you.", "en")
    assert _mentions_a_minor("A teenager at your school.", "en")
    assert not _mentions_a_minor("Jordan, 19, is a young man.", "en")
    assert not _mentions_a_minor("Jordan, 19 ans, est un jeune homme.", "fr")
    assert CHILD_PROTECTION["fr"].search("un signalement au DPJ")
    assert CHILD_PROTECTION["en"].search("call child-protection services")


@pytest.mark.parametrize(
    "lesson",
    [lesson for module in _content()["modules"] for lesson in module["lessons"]],
    ids=lambda lesson: lesson["id"],
)
def test_a_lesson_that_mentions_a_minor_cross_references_child_protection(lesson):
    for language in LANGUAGES:
        body = lesson["body"][language]
        if _mentions_a_minor(body, language):
            assert CHILD_PROTECTION[language].search(body), (lesson["id"], language)


@pytest.mark.parametrize("scenario", _scenarios(), ids=lambda scenario: scenario["id"])
def test_a_scenario_with_a_minor_cross_references_child_protection_in_a_right_answer(scenario):
    has_minor = any(
        _mentions_a_minor(scenario["situation"][language], language) for language in LANGUAGES
    )
    if not has_minor:
        return
    for language in LANGUAGES:
        right = [c["feedback"][language] for c in _choices(scenario) if c["correct"]]
        assert any(CHILD_PROTECTION[language].search(text) for text in right), (
            f"{scenario['id']} ({language}): a minor, and no right answer's feedback names "
            "child protection"
        )


def test_modules_1_to_4_say_what_changes_under_18_in_both_languages():
    for module in _content()["modules"][:4]:
        for language in LANGUAGES:
            bodies = " ".join(lesson["body"][language] for lesson in module["lessons"])
            heading = "moins de 18 ans" if language == "fr" else "under 18"
            assert heading in bodies, (module["id"], language)
            assert CHILD_PROTECTION[language].search(bodies), (module["id"], language)


# --- three kinds of wrong answer ------------------------------------------------------------


@pytest.mark.parametrize("scenario", _scenarios(), ids=lambda scenario: scenario["id"])
def test_every_wrong_choice_says_how_wrong_and_its_feedback_opens_so(scenario):
    for choice in _choices(scenario):
        if choice["correct"]:
            assert "level" not in choice, choice["id"]
            continue
        assert choice.get("level") in OPENINGS, f"{choice['id']}: no level"
        for language in LANGUAGES:
            feedback = choice["feedback"][language]
            assert feedback.startswith(OPENINGS[choice["level"]][language]), (
                choice["id"],
                language,
            )


def test_no_harmful_choice_is_called_partly_right_or_not_quite():
    harmful = [c for s in _scenarios() for c in _choices(s) if c.get("level") == "harmful"]
    assert len(harmful) >= 20
    for choice in harmful:
        soft = {"fr": ("En partie", "Pas tout à fait"), "en": ("Partly", "Not quite")}
        for language in LANGUAGES:
            assert not choice["feedback"][language].startswith(soft[language]), choice["id"]


def test_each_quiz_uses_all_three_kinds_of_wrong_answer():
    for module, quiz in _quizzes().items():
        levels = {c.get("level") for s in quiz["scenarios"] for c in _choices(s)}
        assert {"partly", "wrong", "harmful"} <= levels, module


# --- quizzes: a second situation to draw, judgement rather than recall ----------------------


@pytest.mark.parametrize("module", list(_quizzes()), ids=str)
def test_every_quiz_has_two_scenarios_for_each_workplace_and_some_for_any(module):
    settings_ = [scenario["setting"] for scenario in _quizzes()[module]["scenarios"]]
    for setting in WORKPLACE_SETTINGS:
        assert settings_.count(setting) >= 2, f"{module}: {settings_.count(setting)} {setting}"
    assert settings_.count("any") >= 1, module


def test_questions_ask_for_judgement_not_what_the_lesson_said():
    recall = [
        question["id"]
        for scenario in _scenarios()
        for question in scenario["questions"]
        if any(RECALL.search(question["text"][language]) for language in LANGUAGES)
    ]
    assert recall == []


def test_no_strategy_by_answer_length_passes_a_quiz():
    """Picking the longest answer, or the shortest, finds the right one in at most a quarter
    of the single-answer questions (version 1: the longest, in 15 of 36 in French); picking
    one in between, in at most three quarters: all below the pass mark."""
    single = [q for s in _scenarios() for q in s["questions"] if q["kind"] == "single"]
    for language in LANGUAGES:
        longest = shortest = between = 0
        for question in single:
            lengths = sorted((len(c["text"][language]), c["correct"]) for c in question["choices"])
            if lengths[-1][1] and lengths[-1][0] > lengths[-2][0]:
                longest += 1
            elif lengths[0][1] and lengths[0][0] < lengths[1][0]:
                shortest += 1
            else:
                between += 1
        assert longest <= len(single) / 4, f"{language}: longest right in {longest}/{len(single)}"
        assert shortest <= len(single) / 4, f"{language}: shortest in {shortest}/{len(single)}"
        assert between <= len(single) * 3 / 4, f"{language}: between in {between}/{len(single)}"


def test_two_characters_never_share_a_first_name():
    named = re.compile(r"\b([A-ZÉ][a-zéèëï]+), \d{1,2}\b")
    seen = {}
    for scenario in _scenarios():
        for name in set(named.findall(scenario["situation"]["en"])):
            assert name not in seen, f"{name} in {seen.get(name)} and {scenario['id']}"
            seen[name] = scenario["id"]


# --- sources, the hotline number -------------------------------------------------------------


def test_every_source_beyond_the_document_has_an_address_and_a_date_checked():
    for source in _content()["sources"]:
        if source["id"] in ("seed", "emergency"):
            continue
        assert source.get("url", "").startswith("https://"), source["id"]
        assert source.get("checked"), source["id"]


def test_the_hotline_number_never_wraps_at_its_hyphens():
    for language in LANGUAGES:
        for text in _texts({k: v for k, v in _content().items() if k != "sources"}, language):
            assert HOTLINE_WRAPPING not in text, text[:80]


# --- French typography (OQLF) ------------------------------------------------------------------


def test_french_content_has_no_ordinary_space_before_high_punctuation_or_inside_guillemets():
    bad = [
        text[max(0, m.start() - 30) : m.end() + 10]
        for text in _texts(_content(), "fr")
        for pattern in (ORDINARY_SPACE, WRONG_SPACE)
        for m in pattern.finditer(text)
    ]
    assert bad == []


def test_french_catalogue_has_no_ordinary_space_before_high_punctuation_or_inside_guillemets():
    bad = []
    for entry in polib.pofile(str(FRENCH_CATALOGUE)):
        for text in (entry.msgstr, *entry.msgstr_plural.values()):
            if ORDINARY_SPACE.search(text) or WRONG_SPACE.search(text):
                bad.append(entry.msgid)
    assert bad == []
