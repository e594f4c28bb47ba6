"""The meeting's time and place frozen into each publication (filled from the negotiation
as it is now: the best record there is of the published ones), and withdrawals completed:
a withdrawn protocol's earlier publications are stamped withdrawn with the same notice,
as `publishing.protocol_withdraw` now does."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Publication = apps.get_model("minutes", "Publication")
    Negotiation = apps.get_model("negotiations", "Negotiation")
    meeting = Negotiation.objects.filter(pk=OuterRef("negotiation"))
    Publication.objects.update(
        starts_at=Subquery(meeting.values("starts_at")[:1]),
        ends_at=Subquery(meeting.values("ends_at")[:1]),
        place=Subquery(meeting.values("place")[:1]),
    )


def complete_withdrawals(apps, schema_editor):
    # After the ALTERs: updating a foreign key leaves deferred-constraint trigger events
    # pending, and PostgreSQL refuses to alter a table that has them.
    Publication = apps.get_model("minutes", "Publication")
    newest_withdrawn = Publication.objects.filter(is_current=True, withdrawn_at__isnull=False)
    for newest in newest_withdrawn.iterator():
        Publication.objects.filter(
            negotiation=newest.negotiation_id, withdrawn_at__isnull=True
        ).update(
            withdrawn_at=newest.withdrawn_at,
            withdrawn_by=newest.withdrawn_by_id,
            withdrawal_reason=newest.withdrawal_reason,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("minutes", "0011_protocolpdf_checks"),
        ("negotiations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="starts_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="starts"),
        ),
        migrations.AddField(
            model_name="publication",
            name="ends_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="ends"),
        ),
        migrations.AddField(
            model_name="publication",
            name="place",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=200, verbose_name="place"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="publication",
            name="starts_at",
            field=models.DateTimeField(editable=False, verbose_name="starts"),
        ),
        migrations.AlterField(
            model_name="publication",
            name="ends_at",
            field=models.DateTimeField(editable=False, verbose_name="ends"),
        ),
        migrations.RunPython(complete_withdrawals, migrations.RunPython.noop),
    ]
