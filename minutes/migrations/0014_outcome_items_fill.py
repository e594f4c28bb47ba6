"""Move what the minutes had before outcome items into them: each follow-up action becomes
an agreed follow-up action under the conclusions section (or the last section), and the
conclusions box is appended to that section's text, so the conclusions have one place.
Frozen versions keep their snapshots and are shown as they were published."""

from django.db import migrations

from negotiations.default_agenda import ROLES


def fill(apps, schema_editor):
    Minutes = apps.get_model("minutes", "Minutes")
    Section = apps.get_model("minutes", "Section")
    FollowUpAction = apps.get_model("minutes", "FollowUpAction")
    OutcomeItem = apps.get_model("minutes", "OutcomeItem")
    AgendaItem = apps.get_model("negotiations", "AgendaItem")
    for item in AgendaItem.objects.exclude(role=""):
        Section.objects.filter(agenda_item=item).update(role=item.role)
    by_title = {title: role for title, role in ROLES.items()}
    for section in Section.objects.filter(role="", agenda_item__isnull=True):
        if section.heading in by_title:
            section.role = by_title[section.heading]
            section.save(update_fields=["role"])
    for minutes in Minutes.objects.all():
        sections = Section.objects.filter(minutes=minutes).order_by("position")
        target = sections.filter(role="conclusions").first() or sections.last()
        if target is None:
            continue
        if minutes.conclusions.strip():
            target.body = "\n\n".join(part for part in (target.body, minutes.conclusions) if part)
            target.save(update_fields=["body"])
        for position, action in enumerate(
            FollowUpAction.objects.filter(minutes=minutes).order_by("due_date", "pk"), start=1
        ):
            text = action.text
            if action.responsible:
                text = f"{text} ({action.responsible})"
            OutcomeItem.objects.create(
                minutes=minutes,
                section=target,
                position=position,
                kind="follow_up",
                text=text,
                responsible="region",
                due_date=action.due_date,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("minutes", "0013_outcome_items_and_ledger"),
        ("negotiations", "0007_agenda_role_defaults"),
    ]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
