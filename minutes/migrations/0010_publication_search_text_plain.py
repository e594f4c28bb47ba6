"""The published protocols' search text made again from their HTML, as plain words: it was
made from the Markdown source, whose asterisks and dashes showed in search snippets."""

from django.db import migrations

from minutes.search import fill_search_vectors, protocol_words


def refill(apps, schema_editor):
    Publication = apps.get_model("minutes", "Publication")
    rows = Publication.objects.select_related("version", "region", "cooperation_area")
    for publication in rows.iterator(chunk_size=200):
        party = publication.region or publication.cooperation_area
        publication.search_text = protocol_words(
            (party.name_fi, party.name_sv), publication.year, publication.version.snapshot
        )
        publication.save(update_fields=["search_text"])
    fill_search_vectors(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("minutes", "0009_publication_listing_indexes")]

    # Going back keeps the plain text: it serves search as well as the old did.
    operations = [migrations.RunPython(refill, migrations.RunPython.noop)]
