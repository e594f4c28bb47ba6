import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def levels_from_flag(apps, schema_editor):
    """Published material stays public; the rest is kept from the public on the first
    default ground. Region uploads were always the region's own, so they stay shared."""
    Document = apps.get_model("negotiations", "Document")
    SecrecyGround = apps.get_model("regions", "SecrecyGround")
    User = apps.get_model("regions", "User")
    ground = SecrecyGround.objects.filter(active=True).order_by("pk").first()
    region_users = User.objects.filter(region__isnull=False).values("pk")
    Document.objects.filter(public_with_protocol=True).update(publicity="public")
    private = Document.objects.filter(public_with_protocol=False)
    private.filter(uploaded_by__in=region_users).update(publicity="region", secrecy_ground=ground)
    private.exclude(uploaded_by__in=region_users).update(
        publicity="internal", secrecy_ground=ground
    )


def flag_from_levels(apps, schema_editor):
    Document = apps.get_model("negotiations", "Document")
    Document.objects.filter(publicity="public").update(public_with_protocol=True)


class Migration(migrations.Migration):
    dependencies = [
        ("negotiations", "0002_default_agenda_template"),
        ("regions", "0004_secrecy_ground_defaults"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="publicity",
            field=models.CharField(
                choices=[
                    ("internal", "ministry-internal"),
                    ("region", "shared with the region"),
                    ("public", "public with the protocol"),
                ],
                default="internal",
                max_length=10,
                verbose_name="publicity",
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="secrecy_ground",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.secrecyground",
                verbose_name="ground for secrecy",
            ),
        ),
        migrations.RunPython(levels_from_flag, flag_from_levels),
        migrations.RemoveField(model_name="document", name="public_with_protocol"),
        migrations.CreateModel(
            name="DocumentEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("document_pk", models.PositiveBigIntegerField()),
                ("title", models.CharField(max_length=300)),
                (
                    "action",
                    models.CharField(
                        choices=[("publicity", "publicity changed"), ("deleted", "removed")],
                        max_length=20,
                    ),
                ),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                ("note", models.TextField(blank=True)),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "document",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="events",
                        to="negotiations.document",
                    ),
                ),
            ],
            options={"ordering": ["at", "pk"]},
        ),
    ]
