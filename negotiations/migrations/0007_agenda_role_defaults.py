"""Mark the default template's follow-up and conclusions items, and the agenda items
already made from it, so the cycle finds them by role rather than by title."""

from django.db import migrations

from negotiations.default_agenda import ITEMS, ROLES


def mark_roles(apps, schema_editor):
    AgendaTemplateItem = apps.get_model("negotiations", "AgendaTemplateItem")
    AgendaItem = apps.get_model("negotiations", "AgendaItem")
    for _code, title_fi, title_sv in ITEMS:
        role = ROLES.get(title_fi)
        if role:
            AgendaTemplateItem.objects.filter(title_fi=title_fi).update(role=role)
            AgendaItem.objects.filter(title__in=[title_fi, title_sv]).update(role=role)


class Migration(migrations.Migration):
    dependencies = [("negotiations", "0006_agenda_role")]
    operations = [migrations.RunPython(mark_roles, migrations.RunPython.noop)]
