"""The listing fields of 0007, filled by 0008, become required and indexed; on PostgreSQL one GIN index on the
stored search vector replaces the two expression indexes of 0006."""

from django.db import migrations, models

CONFIGS = {"fi": "finnish", "sv": "swedish"}


def search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for config in CONFIGS.values():
        schema_editor.execute(f"DROP INDEX IF EXISTS publication_search_{config}")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS publication_search_idx ON minutes_publication "
        "USING gin (search_vector)"
    )


def search_index_back(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS publication_search_idx")
    for config in CONFIGS.values():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS publication_search_{config} ON minutes_publication "
            f"USING gin (to_tsvector('{config}'::regconfig, COALESCE(search_text, '')))"
        )


class Migration(migrations.Migration):
    dependencies = [("minutes", "0008_publication_listing_fill")]

    operations = [
        migrations.AlterField(
            model_name="publication",
            name="year",
            field=models.PositiveSmallIntegerField(editable=False),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(
                condition=models.Q(("is_current", True), ("withdrawn_at__isnull", True)),
                fields=["-published_at", "-id"],
                name="publication_listed_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(fields=["region", "-published_at"], name="publication_region_idx"),
        ),
        migrations.AddConstraint(
            model_name="publication",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_current", True)),
                fields=("negotiation",),
                name="publication_one_current_per_negotiation",
            ),
        ),
        migrations.RunPython(search_index, search_index_back),
    ]
