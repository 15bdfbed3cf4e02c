"""Background tasks of the privacy app."""

from django_tasks import task

from privacy import export


@task()
def data_export_build(*, export_id: int) -> bool:
    """Build a person's copy of their data and mail them its link (privacy.export)."""
    return export.data_export_build(export_id=export_id)
