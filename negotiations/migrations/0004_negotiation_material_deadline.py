from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def from_round(apps, schema_editor):
    Negotiation = apps.get_model("negotiations", "Negotiation")
    Round = apps.get_model("negotiations", "Round")
    Negotiation.objects.update(
        material_deadline=Subquery(
            Round.objects.filter(pk=OuterRef("round_id")).values("material_deadline")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [("negotiations", "0003_document_publicity")]

    operations = [
        migrations.AddField(
            model_name="negotiation",
            name="material_deadline",
            field=models.DateField(null=True, verbose_name="material deadline"),
        ),
        migrations.RunPython(from_round, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="negotiation",
            name="material_deadline",
            field=models.DateField(verbose_name="material deadline"),
        ),
    ]
