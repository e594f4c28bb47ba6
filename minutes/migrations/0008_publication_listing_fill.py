"""Fills the listing fields of 0007 for the publications already published."""

from django.db import migrations

from minutes.search import fill_search_vectors


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
    fill_search_vectors(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("minutes", "0007_publication_listing")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
