"""Full-text indexes for the public search, on PostgreSQL only (SQLite searches by LIKE)."""

from django.db import migrations

LANGUAGES = ("finnish", "swedish")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for config in LANGUAGES:
        # The expression is the one SearchVector("search_text", config=...) generates, so
        # the planner can use the index for the search queries.
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS publication_search_{config} ON minutes_publication "
            f"USING gin (to_tsvector('{config}'::regconfig, COALESCE(search_text, '')))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for config in LANGUAGES:
        schema_editor.execute(f"DROP INDEX IF EXISTS publication_search_{config}")


class Migration(migrations.Migration):
    dependencies = [("minutes", "0005_publication_latest_index")]

    operations = [migrations.RunPython(create, drop)]
