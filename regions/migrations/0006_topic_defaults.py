"""The default topics: the national goals for social, health and rescue services for
2025–2029, as the ministries' steering reads them. Administrators keep the list
afterwards; this runs once."""

from django.db import migrations

TOPICS = [
    ("Palvelujen saatavuus", "Tillgång till tjänster", "Availability of services"),
    ("Yhdenvertaisuus", "Jämlikhet", "Equality"),
    ("Kustannusvaikuttavuus", "Kostnadseffektivitet", "Cost efficiency"),
    ("Pelastustoimi", "Räddningsväsendet", "Rescue services"),
    ("Talous ja investoinnit", "Ekonomi och investeringar", "Economy and investments"),
    ("Henkilöstön saatavuus ja osaaminen", "Personal och kompetens", "Staff and skills"),
    (
        "Hyvinvoinnin ja terveyden edistäminen",
        "Främjande av välfärd och hälsa",
        "Promotion of wellbeing and health",
    ),
    (
        "Digitalisaatio ja tiedolla johtaminen",
        "Digitalisering och kunskapsbaserad ledning",
        "Digitalisation and knowledge-based management",
    ),
    ("Yhteistyö ja yhteensovitus", "Samarbete och samordning", "Cooperation and coordination"),
]


def add_defaults(apps, schema_editor):
    Topic = apps.get_model("regions", "Topic")
    if Topic.objects.exists():
        return
    Topic.objects.bulk_create(
        Topic(position=index, name_fi=fi, name_sv=sv, name_en=en)
        for index, (fi, sv, en) in enumerate(TOPICS, start=1)
    )


class Migration(migrations.Migration):
    dependencies = [("regions", "0005_topic")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
