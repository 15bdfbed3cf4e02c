"""Names sort as a French reader expects, on SQLite (a stored folded key) as on PostgreSQL
(an ICU collation): "Éloïse Côté" before "Thomas Nguyen"."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F

from accounts.models import User
from accounts.names import name_order, name_sort_key
from accounts.services import user_update_profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# In the order a French reader expects; a comparison of code points puts the accented
# and lower-case names after "Thomas" and "Zoé".
FRENCH_ORDER = ["Aubé, Éric", "élodie Martin", "Éloïse Côté", "Emma Roy", "Thomas Nguyen", "zoé"]


def stored_key(user):
    return User.objects.values_list("name_key", flat=True).get(pk=user.pk)


def test_the_sort_key_folds_accents_case_ligatures_and_spaces():
    assert name_sort_key("Éloïse  CÔTÉ ") == "eloise cote"
    assert name_sort_key("Œuvre Bæk Straße") == "oeuvre baek strasse"
    assert name_sort_key("") == ""


def test_people_are_sorted_as_a_french_reader_expects():
    for name in reversed(FRENCH_ORDER):
        UserFactory(full_name=name)
    names = User.objects.order_by(name_order(), "pk").values_list("full_name", flat=True)
    assert list(names) == FRENCH_ORDER


def test_a_renamed_person_sorts_under_the_new_name():
    thomas = UserFactory(full_name="Thomas Nguyen")
    person = UserFactory(full_name="Zacharie Roy")
    user_update_profile(
        user=person, full_name="Éloïse Côté", preferred_language="fr", workplace="other"
    )
    assert stored_key(person) == "eloise cote"
    ordered = User.objects.order_by(name_order(), "pk")
    assert list(ordered) == [person, thomas]


def test_bulk_writes_keep_the_sort_key_in_step():
    (created,) = User.objects.bulk_create([User(email="a@example.org", full_name="Émile")])
    assert stored_key(created) == "emile"
    created.full_name = "Ève"
    User.objects.bulk_update([created], ["full_name"])
    assert stored_key(created) == "eve"
    User.objects.filter(pk=created.pk).update(full_name="Örjan")
    assert stored_key(created) == "orjan"


def test_renaming_by_an_sql_expression_is_refused():
    """The key is computed in Python: an expression would leave it behind the name."""
    user = UserFactory(full_name="Ana")
    with pytest.raises(TypeError):
        User.objects.filter(pk=user.pk).update(full_name=F("email"))
    assert stored_key(user) == "ana"


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_accounts_their_key():
    before = [("accounts", "0004_add_outgoing_email")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        OldUser = executor.loader.project_state(before).apps.get_model("accounts", "User")
        OldUser.objects.create(email="old@example.org", full_name="Éloïse Côté", password="x")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    user = User.objects.get(email="old@example.org")
    assert stored_key(user) == "eloise cote"
