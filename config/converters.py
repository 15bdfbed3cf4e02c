"""Path converters shared by every app's urls.py (registered once, in config/urls.py)."""

# The largest value of a BigAutoField (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class IdConverter:
    """A database id: ASCII digits that fit the id column. Anything else does not match, so
    the page is a 404, not a 500 (SQLite raises OverflowError on larger integers)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("Too large for an id.")
        return number

    def to_url(self, value) -> str:
        return str(int(value))
