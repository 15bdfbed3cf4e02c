import math

from hypothesis import given
from hypothesis import strategies as st

from certificates import codes

CODE = "7KQ4M2XD9WPATR3H"


def test_a_code_carries_at_least_80_bits_of_randomness():
    assert len(set(codes.ALPHABET)) == len(codes.ALPHABET) == 32
    assert codes.LENGTH * math.log2(len(codes.ALPHABET)) >= 80


def test_the_alphabet_has_no_easily_confused_letters():
    assert not set("ILOU") & set(codes.ALPHABET)


def test_generated_codes_are_16_symbols_of_the_alphabet_and_differ():
    drawn = {codes.generate() for _ in range(200)}
    assert len(drawn) == 200
    assert all(len(code) == 16 and set(code) <= set(codes.ALPHABET) for code in drawn)


def test_generated_codes_use_every_symbol_of_the_alphabet():
    """2,000 codes are 32,000 draws: the chance that a fair draw misses one of the 32
    symbols is at most 32 × (31/32)^32000 ≈ 10^-440, so this test never fails by chance,
    while codes drawn from half the alphabet (64 bits, not 80) fail it every time."""
    drawn = "".join(codes.generate() for _ in range(2000))
    assert set(drawn) == set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def test_a_code_is_shown_in_four_groups_to_read_aloud():
    assert codes.display(CODE) == "7KQ4-M2XD-9WPA-TR3H"


def test_typed_codes_match_ignoring_case_spaces_and_dashes():
    for typed in (
        "7KQ4-M2XD-9WPA-TR3H",
        "7kq4-m2xd-9wpa-tr3h",
        " 7kq4 m2xd 9wpa tr3h ",
        "7KQ4M2XD9WPATR3H",
        "7KQ4\u2013M2XD\u2014 9WPA\u00a0TR3H",  # dashes and a no-break space from a PDF
    ):
        assert codes.normalise(typed) == CODE, typed


def test_letters_that_look_like_digits_are_read_as_the_digits():
    assert codes.normalise("O1IL-0000-0000-0000") == "0111000000000000"
    assert codes.normalise("oiol-0000-0000-0000") == "0101000000000000"


def test_strings_that_cannot_be_codes_are_refused():
    for typed in (
        "",
        "7KQ4-M2XD-9WPA",
        "7KQ4-M2XD-9WPA-TR3H-7",
        "7KQ4-M2XD-9WPA-TR3U",  # U is not in the alphabet
        "7KQ4-M2XD-9WPA-TR3\u0131",  # dotless i: upper() would make it an ASCII I
        "7KQ4-M2XD-9WPA-TR3H\x00",
        "7" * 10_000,
        None,
        16,
    ):
        assert codes.normalise(typed) is None, typed


@given(st.text())
def test_normalise_never_fails_and_returns_a_code_or_none(text):
    result = codes.normalise(text)
    assert result is None or (len(result) == 16 and set(result) <= set(codes.ALPHABET))


@given(
    st.text(alphabet=codes.ALPHABET, min_size=16, max_size=16),
    st.lists(st.sampled_from([" ", "-", "  ", "\t"]), min_size=16, max_size=16),
    st.lists(st.booleans(), min_size=16, max_size=16),
)
def test_any_spacing_and_case_of_a_code_finds_it(code, separators, lower):
    typed = "".join(
        (char.lower() if low else char) + separator
        for char, separator, low in zip(code, separators, lower, strict=True)
    )
    assert codes.normalise(typed) == code
