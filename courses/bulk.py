"""Writing many rows in one statement: INSERT … SELECT from a queryset of people.

The ORM's bulk_create builds one Python object per row; for the 10,000 people of a school
board that is most of a second before the database sees anything. These helpers give the
SQL of a queryset's primary keys, so that the INSERT reads the people from the database
itself. The SQL they are used in is portable: PostgreSQL and SQLite (3.24+) both accept
INSERT … SELECT … ON CONFLICT.
"""

from django.db.models import F, QuerySet


def pk_subquery(queryset: QuerySet) -> tuple[str, tuple]:
    """The SQL and parameters of the distinct primary keys of `queryset`, as a column
    named `pk`, to be used as `(… ) AS chosen` in a FROM clause."""
    keys = queryset.order_by().annotate(chosen_pk=F("pk")).values("chosen_pk").distinct()
    sql, params = keys.query.sql_with_params()
    return f"SELECT chosen_pk AS pk FROM ({sql}) AS keys", params
