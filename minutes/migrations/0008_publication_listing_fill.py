"""Fills the listing fields of 0007 for the publications already published."""

from django.db import migrations

CONFIGS = {"fi": "finnish", "sv": "swedish"}


def fill(apps, schema_editor):
    Publication = apps.get_model("minutes", "Publication")
    rows = Publication.objects.select_related("version", "negotiation__round").order_by(
        "negotiation_id", "-published_at", "-pk"
    )
    seen = set()
    for publication in rows:
        negotiation = publication.negotiation
        publication.year = negotiation.round.year
        publication.round_kind = negotiation.round.kind
        publication.language = publication.version.snapshot["language"]
        publication.region_id = negotiation.region_id
        publication.cooperation_area_id = negotiation.cooperation_area_id
        publication.is_current = negotiation.pk not in seen
        seen.add(negotiation.pk)
        publication.save(
            update_fields=[
                "year", "round_kind", "language", "region", "cooperation_area", "is_current",
            ]
        )  # fmt: skip
    if schema_editor.connection.vendor == "postgresql":
        for language, config in CONFIGS.items():
            schema_editor.execute(
                "UPDATE minutes_publication SET search_vector = "
                "to_tsvector(%s::regconfig, COALESCE(search_text, '')) WHERE language = %s",
                [config, language],
            )


class Migration(migrations.Migration):
    dependencies = [("minutes", "0007_publication_listing")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
