"""Load the 23 regions, 5 cooperation areas and 4 organisations shipped with the portal."""

from django.db import migrations


def load_reference(apps, schema_editor):
    from regions import reference

    reference.load(apps)


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]

    # Reversing leaves the rows: users and later negotiations point at them.
    operations = [migrations.RunPython(load_reference, migrations.RunPython.noop)]
