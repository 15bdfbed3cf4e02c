"""The scheduled work of the privacy app, as tasks for a worker (the commands
`erase_accounts` and `apply_retention` do the same from cron)."""

from django_tasks import task

from privacy import export
from privacy.erasure import accounts_erase_due
from privacy.retention import retention_apply


@task()
def accounts_erase() -> int:
    return accounts_erase_due()


@task()
def retention() -> dict[str, int]:
    return retention_apply()


@task()
def data_export_build(*, export_id: int) -> bool:
    """Build a person's copy of their data and mail them its link (privacy.export)."""
    return export.data_export_build(export_id=export_id)
