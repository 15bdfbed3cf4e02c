import pytest
from django.utils import translation

from accounts.validators import CONTROL_CHARACTERS_REFUSED
from organizations import csv_import
from organizations.csv_import import CsvImportError, parse_staff_csv


def errors_of(data: bytes) -> list[tuple[int | None, str]]:
    with pytest.raises(CsvImportError) as error:
        parse_staff_csv(data)
    return [(e.line, e.message) for e in error.value.errors]


def test_a_french_excel_file_with_bom_and_semicolons():
    data = "\ufeffNom;Courriel;Rôle\r\nÉloïse Gagné;Eloise@Example.org;Superviseure\r\n".encode()
    (row,) = parse_staff_csv(data)
    assert (row.line, row.full_name, row.email, row.role) == (
        2,
        "Éloïse Gagné",
        "eloise@example.org",
        "supervisor",
    )


def test_an_english_file_with_commas_quotes_and_any_column_order():
    data = b'E-mail,Full name,Language\nsam@example.org,"Roy, Sam",en\n'
    (row,) = parse_staff_csv(data)
    assert (row.full_name, row.email, row.role, row.language) == (
        "Roy, Sam",
        "sam@example.org",
        None,
        "en",
    )


def test_a_semicolon_file_may_hold_commas_in_names():
    (row,) = parse_staff_csv(b"nom;courriel\nRoy, Sam;sam@example.org\n")
    assert row.full_name == "Roy, Sam"


def test_blank_lines_and_trailing_separators_are_ignored():
    data = b"nom;courriel;;\n\nA;a@example.org;;\n;;;\nB;b@example.org;;\n"
    rows = parse_staff_csv(data)
    assert [(r.line, r.email) for r in rows] == [(3, "a@example.org"), (5, "b@example.org")]


def test_every_bad_row_is_reported_with_its_line_number():
    data = (
        b"nom,courriel,role\n"
        b"Good,good@example.org,staff\n"
        b",nameless@example.org,\n"
        b"No Email,,\n"
        b"Bad Email,not-an-email,\n"
        b"Bad Role,role@example.org,boss\n"
        b"Twice,GOOD@example.org,\n"
    )
    assert errors_of(data) == [
        (3, str(csv_import.ERROR_NAME_MISSING)),
        (4, str(csv_import.ERROR_EMAIL_MISSING)),
        (5, str(csv_import.ERROR_EMAIL_INVALID % {"value": "not-an-email"})),
        (6, str(csv_import.ERROR_ROLE_INVALID % {"value": "boss"})),
        (7, str(csv_import.ERROR_EMAIL_DUPLICATE % {"email": "good@example.org", "line": 2})),
    ]


def test_line_numbers_count_lines_of_the_file_even_inside_quotes():
    data = b'nom,courriel\n"Deux\nlignes",a@example.org\nBad,bad\n'
    # The name with a line break is refused (it would write lines into e-mails); the
    # next record starts on line 4 of the file.
    assert [line for line, _message in errors_of(data)] == [3, 4]


@pytest.mark.parametrize("character", ["\x00", "\r", "\n", "\t", "\x1b"])
def test_a_name_with_a_control_character_is_refused_with_its_line(character):
    data = f'nom;courriel\nBonne Personne;b@example.org\n"Nom{character}Piégé";p@example.org\n'
    errors = errors_of(data.encode())
    assert [message for _line, message in errors] == [str(CONTROL_CHARACTERS_REFUSED)]
    assert errors[0][0] >= 3


def test_errors_are_in_the_language_of_the_page():
    with translation.override("fr"):
        ((_line, message),) = errors_of(b"nom;courriel\nA;pas-une-adresse\n")
    assert "n’est pas une adresse courriel valide" in message
    with translation.override("en"):
        ((_line, message),) = errors_of(b"name;email\nA;not-an-address\n")
    assert "is not a valid e-mail address" in message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", csv_import.ERROR_EMPTY),
        (b"\n\n", csv_import.ERROR_EMPTY),
        (b"nom;courriel\n", csv_import.ERROR_NO_ROWS),
        ("nom;courriel\nÉ;e@example.org\n".encode("cp1252"), csv_import.ERROR_NOT_UTF8),
    ],
)
def test_files_that_cannot_be_read(data, expected):
    assert errors_of(data) == [(None, str(expected))]


def test_a_file_without_a_header_row_is_refused_and_says_why():
    errors = errors_of(b"Alice;alice@example.org\n")
    assert errors[0][0] == 1
    assert "Alice" in errors[0][1]  # an unknown column
    assert str(csv_import.ERROR_MISSING_COLUMN % {"column": "nom"}) in [e[1] for e in errors]


def test_unknown_and_duplicate_columns_are_refused():
    assert errors_of(b"nom;courriel;notes\nA;a@example.org;x\n") == [
        (1, str(csv_import.ERROR_UNKNOWN_COLUMN % {"column": "notes"}))
    ]
    assert errors_of(b"nom;courriel;email\nA;a@example.org;b@example.org\n") == [
        (1, str(csv_import.ERROR_DUPLICATE_COLUMN % {"column": "email"}))
    ]


def test_a_row_longer_than_the_header_is_refused():
    assert errors_of(b"nom;courriel\nA;a@example.org;extra\n") == [
        (2, str(csv_import.ERROR_TOO_MANY_FIELDS))
    ]


def test_a_row_shorter_than_the_header_misses_its_values():
    assert errors_of(b"nom;courriel\nA\n") == [(2, str(csv_import.ERROR_EMAIL_MISSING))]


def test_names_are_trimmed_and_too_long_names_refused():
    (row,) = parse_staff_csv(b"nom;courriel\n  Anne   Marie  ;a@example.org\n")
    assert row.full_name == "Anne Marie"
    long_name = b"x" * 151
    assert errors_of(b"nom;courriel\n" + long_name + b";a@example.org\n") == [
        (2, str(csv_import.ERROR_NAME_TOO_LONG % {"max": 150}))
    ]


def test_too_big_and_too_long_files_are_refused(monkeypatch):
    assert errors_of(b"nom;courriel\n" + b"x" * csv_import.MAX_BYTES) == [
        (None, str(csv_import.ERROR_TOO_BIG))
    ]
    monkeypatch.setattr(csv_import, "MAX_ROWS", 2)
    data = b"nom;courriel\nA;a@example.org\nB;b@example.org\nC;c@example.org\n"
    assert errors_of(data) == [(None, str(csv_import.ERROR_TOO_MANY_ROWS % {"max": 2}))]


@pytest.mark.parametrize(
    ("value", "role"),
    [("personnel", "staff"), ("Employé", "staff"), ("SUPERVISOR", "supervisor"), ("", None)],
)
def test_role_values_in_french_or_english(value, role):
    (row,) = parse_staff_csv(f"nom;courriel;rôle\nA;a@example.org;{value}\n".encode())
    assert row.role == role


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_example_of_each_language_is_a_file_the_import_reads(language):
    rows = parse_staff_csv(csv_import.example_csv(language).encode())
    assert [(row.full_name, row.role) for row in rows] == [
        ("Camille Tremblay", "staff"),
        ("Sam Roy", "supervisor"),
    ]


def test_a_person_repeated_identically_counts_once_and_a_conflicting_repeat_is_refused():
    rows = parse_staff_csv(b"nom;courriel\nA;a@example.org\nB;b@example.org\nA;A@example.org\n")
    assert [(row.line, row.email) for row in rows] == [(2, "a@example.org"), (3, "b@example.org")]
    assert errors_of(b"nom;courriel\nA;a@example.org\nAutre;a@example.org\n") == [
        (3, str(csv_import.ERROR_EMAIL_DUPLICATE % {"email": "a@example.org", "line": 2}))
    ]


def test_a_repeat_with_another_problem_reports_both():
    assert errors_of(b"nom;courriel\nA;a@example.org\nA;a@example.org;x\n") == [
        (3, str(csv_import.ERROR_TOO_MANY_FIELDS)),
        (3, str(csv_import.ERROR_EMAIL_DUPLICATE % {"email": "a@example.org", "line": 2})),
    ]


@pytest.mark.parametrize(
    "header",
    [
        "Nom;Courriel;Cours;Statut;Progression (%);Dernière activité",
        "Name,E-mail,Course,Status,Progress (%),Last activity,Best quiz score (%)",
    ],
)
def test_the_dashboard_exports_columns_are_ignored(header):
    separator = ";" if ";" in header else ","
    line = separator.join(["Sam Roy", "sam@example.org", "X", "Y", "50", ""])
    (row,) = parse_staff_csv(f"\ufeff{header}\n{line}\n".encode())
    assert (row.full_name, row.email) == ("Sam Roy", "sam@example.org")
