"""Publications carry what the public pages list and filter by, so those pages read one table.

Adds the copied fields (year, round kind, language, region, cooperation area), the
`is_current` flag that a correction clears on the publication it replaces, and a stored
full-text vector. 0008 fills them for the publications already there and 0009 makes them
required and indexes them, each in a transaction of its own: PostgreSQL does not alter or
index a table in the transaction that has just updated its rows.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("minutes", "0006_search_indexes"),
        ("negotiations", "0001_initial"),
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="publication",
            name="is_current",
            field=models.BooleanField(
                default=True,
                editable=False,
                help_text="False once a correction has replaced it.",
            ),
        ),  # fmt: skip
        migrations.AddField(
            model_name="publication",
            name="year",
            field=models.PositiveSmallIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="publication",
            name="round_kind",
            field=models.CharField(editable=False, max_length=16, default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="publication",
            name="language",
            field=models.CharField(
                choices=[("fi", "Finnish"), ("sv", "Swedish")],
                editable=False,
                max_length=2,
                default="",
            ),
            preserve_default=False,
        ),  # fmt: skip
        migrations.AddField(
            model_name="publication",
            name="region",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.region",
            ),
        ),  # fmt: skip
        migrations.AddField(
            model_name="publication",
            name="cooperation_area",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.cooperationarea",
            ),
        ),  # fmt: skip
    ]
