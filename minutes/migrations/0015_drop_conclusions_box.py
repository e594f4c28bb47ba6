from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("minutes", "0014_outcome_items_fill")]

    operations = [
        migrations.RemoveField(
            model_name="minutes",
            name="conclusions",
        ),
        migrations.DeleteModel(
            name="FollowUpAction",
        ),
    ]
