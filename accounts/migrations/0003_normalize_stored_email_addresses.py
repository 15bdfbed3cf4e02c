"""Store every address as accounts.emails.normalize_email writes it (NFKC, case-folded), so
that login can match it exactly. An address whose normalised form another account already
has is left as it is: merging two accounts is a person's decision, not a migration's."""

import unicodedata

from django.db import migrations


def normalize(address):
    # A copy of accounts.emails.normalize_email as it was when this migration was written.
    return unicodedata.normalize("NFKC", address).strip().casefold()


def normalize_addresses(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    taken = set(User.objects.values_list("email", flat=True))
    for user in User.objects.only("pk", "email").iterator():
        address = normalize(user.email)
        if address != user.email and address not in taken:
            User.objects.filter(pk=user.pk).update(email=address)
            taken.add(address)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_full_name_refuses_control_characters")]

    operations = [migrations.RunPython(normalize_addresses, migrations.RunPython.noop)]
