from django.db import migrations


def load_template(apps, schema_editor):
    from negotiations import default_agenda

    default_agenda.load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("negotiations", "0001_initial"),
        ("regions", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(load_template, migrations.RunPython.noop)]
