"""People's names in the order a French reader expects: "Éloïse Côté" before "Thomas
Nguyen", "élise" beside "Élise" and "Elise", not after "Zoé" as a comparison of code
points puts them.

The two databases get there differently:

- **PostgreSQL** compares `full_name` under the ICU collation `repere_fr` (French as
  written in Canada: accents weigh less than letters, case less than accents), created by
  the migration accounts 0005 with an index on `(full_name COLLATE repere_fr, id)` that
  serves the order on its own.
- **SQLite** has no ICU. A collation function written in Python could be registered on
  each connection, but SQLite would call it for every comparison of a sort (some 130,000
  for 10,000 rows) and no index could serve it without every other program that opens
  the file registering it too. So each account stores `name_key`, its name folded (no
  accents, no case: `name_sort_key`), indexed; `User.save()` and the user queryset's
  `bulk_create`, `bulk_update` and `update` keep it in step with `full_name`.

`name_order()` is the one expression that sorts (and, for keyset pagination, compares)
by name on either database: order and filter by it, then by id for ties.
"""

import unicodedata

from django.db.models import CharField, F, Func
from django.db.models.functions import Collate

COLLATION = "repere_fr"
KEY_LENGTH = 150  # as `full_name`; a key cut there still sorts the same in practice

# Letters NFKD does not split into a base letter and an accent.
_LETTERS = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ħ": "h"})


def name_sort_key(name: str) -> str:
    """The name without accents or case, spaces collapsed: what SQLite sorts by.

    If this rule changes, a migration must compute every stored key again.
    """
    decomposed = unicodedata.normalize("NFKD", name or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().translate(_LETTERS).split())[:KEY_LENGTH]


class NameOrder(Func):
    """A person's name as the database sorts it: `full_name COLLATE repere_fr` on
    PostgreSQL, the stored `name_key` elsewhere. Both fields are resolved (one join) and
    the database's compiler picks one."""

    output_field = CharField()

    def __init__(self, user_path: str = ""):
        prefix = f"{user_path}__" if user_path else ""
        super().__init__(F(f"{prefix}full_name"), F(f"{prefix}name_key"))

    def as_sql(self, compiler, connection, **extra_context):
        _full_name, key = self.get_source_expressions()
        return compiler.compile(key)

    def as_postgresql(self, compiler, connection, **extra_context):
        full_name, _key = self.get_source_expressions()
        return compiler.compile(Collate(full_name, COLLATION))


def name_order(user_path: str = "") -> NameOrder:
    """The name order of the user at `user_path` ("" for a User queryset, "learner" for
    rows that point to one)."""
    return NameOrder(user_path)
