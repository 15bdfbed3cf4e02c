import django.db.models.deletion
from django.db import migrations, models
from django.db.models.functions import Cast, Concat


def fill_paths(apps, schema_editor):
    """Every organization that exists is the top of its own tree: its path is its id."""
    Organization = apps.get_model("organizations", "Organization")
    Organization.objects.filter(parent__isnull=True).update(
        path=Concat(models.Value("/"), Cast("pk", models.CharField()), models.Value("/"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0007_add_sign_in_providers"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                help_text="The organization this one belongs to (a school's board, a site's network). Its supervisors see this organization and its people too.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="children",
                to="organizations.organization",
                verbose_name="part of",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="path",
            field=models.CharField(
                db_default="", editable=False, max_length=1000, verbose_name="path"
            ),
        ),
        migrations.RunPython(fill_paths, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(
                fields=["path"],
                name="organizations_org_path_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.CheckConstraint(
                condition=models.Q(("parent", models.F("pk")), _negated=True),
                name="organizations_organization_not_own_parent",
            ),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='kind',
            field=models.CharField(choices=[('member_created', 'New account added as a member'), ('invitation_sent', 'Invitation sent'), ('invitation_accepted', 'Invitation accepted'), ('invitation_declined', 'Invitation declined'), ('invitation_cancelled', 'Invitation cancelled'), ('member_left', 'Left the organization'), ('member_removed', 'Removed from the organization'), ('role_changed', 'Role changed'), ('certificate_revoked', 'Certificate revoked'), ('certificate_renamed', 'Certificate reissued under another name'), ('certificate_name_requested', 'Corrected certificate name requested'), ('account_renamed', 'Name on the account changed'), ('course_unassigned', 'Course unassigned'), ('account_closed', 'Account closed'), ('sso_member_created', "New account through the organization's sign-in"), ('sso_account_linked', "Existing account linked to the organization's sign-in"), ('unit_moved', 'Unit placed under another organization')], max_length=40, verbose_name='what'),
        ),
    ]
