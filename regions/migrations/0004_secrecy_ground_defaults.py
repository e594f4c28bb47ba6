"""The default grounds for secrecy, from section 24(1) of the Act on the Openness of
Government Activities (621/1999), as they apply to steering material. Administrators keep
the list afterwards; this runs once."""

from django.db import migrations

GROUNDS = [
    (
        "JulkL 24 § 1 mom. 7 k.",
        "turvallisuusjärjestelyt (henkilöt, rakennukset, tietojärjestelmät)",
        "säkerhetsarrangemang (personer, byggnader, informationssystem)",
        "security arrangements (persons, buildings, information systems)",
    ),
    (
        "JulkL 24 § 1 mom. 8 k.",
        "poikkeusoloihin varautuminen ja väestönsuojelu",
        "beredskap för undantagsförhållanden och befolkningsskydd",
        "preparedness for emergencies and civil defence",
    ),
    (
        "JulkL 24 § 1 mom. 15 k.",
        "viranomaisen valvonta- tai tarkastustehtävä",
        "myndighetens tillsyns- eller inspektionsuppdrag",
        "an authority's supervision or inspection",
    ),
    (
        "JulkL 24 § 1 mom. 17 k.",
        "julkisyhteisön liike- tai ammattisalaisuus",
        "ett offentligt samfunds affärs- eller yrkeshemlighet",
        "business or trade secret of a public body",
    ),
    (
        "JulkL 24 § 1 mom. 20 k.",
        "yksityisen liike- tai ammattisalaisuus",
        "en privat aktörs affärs- eller yrkeshemlighet",
        "business or trade secret of a private party",
    ),
    (
        "JulkL 24 § 1 mom. 25 k.",
        "sosiaalihuollon asiakasta koskevat tiedot",
        "uppgifter om klienter inom socialvården",
        "information on social welfare clients",
    ),
    (
        "JulkL 24 § 1 mom. 32 k.",
        "yksityiselämää koskevat tiedot",
        "uppgifter om privatlivet",
        "information on private life",
    ),
]


def add_defaults(apps, schema_editor):
    SecrecyGround = apps.get_model("regions", "SecrecyGround")
    for citation, label_fi, label_sv, label_en in GROUNDS:
        SecrecyGround.objects.get_or_create(
            citation=citation,
            defaults={"label_fi": label_fi, "label_sv": label_sv, "label_en": label_en},
        )


class Migration(migrations.Migration):
    dependencies = [("regions", "0003_secrecy_ground")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
