"""Each publication records the attachments it made public. Until now the public pages
showed every document of the negotiation marked public, so one uploaded while a correction
was being prepared was public at once; existing publications get those uploaded by the
time they were published."""

from django.db import migrations, models


def attach_published(apps, schema_editor):
    Publication = apps.get_model("minutes", "Publication")
    Document = apps.get_model("negotiations", "Document")
    Through = Publication.attachments.through
    links = []
    for publication in Publication.objects.only("pk", "negotiation_id", "published_at"):
        documents = Document.objects.filter(
            negotiation=publication.negotiation_id,
            public_with_protocol=True,
            uploaded_at__lte=publication.published_at,
        ).values_list("pk", flat=True)
        links += [Through(publication_id=publication.pk, document_id=pk) for pk in documents]
    Through.objects.bulk_create(links, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("minutes", "0010_publication_search_text_plain"),
        ("negotiations", "0002_default_agenda_template"),
    ]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="attachments",
            field=models.ManyToManyField(
                blank=True,
                editable=False,
                related_name="publications",
                to="negotiations.document",
            ),  # fmt: skip
        ),
        migrations.RunPython(attach_published, migrations.RunPython.noop),
    ]
