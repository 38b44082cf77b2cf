"""A trigram index for searching names without diacritics (`LIKE '%…%'`), on PostgreSQL only.

SQLite (the zero-setup local database) has no such index; there the search scans, which is fine
at the size of a local run. See bench/README.md for the figures.
"""

from django.db import migrations

# Names are searched through members (the head is a member too): one index serves the search.
INDEXES = (("households_member", "name_search", "hh_member_name_trgm"),)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column, name in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, _column, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("households", "0003_review_campaign")]

    operations = [migrations.RunPython(create, drop)]
