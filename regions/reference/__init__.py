"""The reference data shipped with the portal (copied from the project's shared brief).

`load(apps)` reads the CSV files beside this module and creates or updates cooperation
areas, regions and organisations by their natural keys; it is used by the data migration
and by `manage.py load_reference`, and running it again changes nothing.
"""

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _rows(name: str) -> list[dict[str, str]]:
    with (HERE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _names(row: dict[str, str]) -> dict[str, str]:
    return {f"name_{code}": row[f"name_{code}"].strip() for code in ("fi", "sv", "en")}


def load(apps) -> dict[str, int]:
    CooperationArea = apps.get_model("regions", "CooperationArea")
    Region = apps.get_model("regions", "Region")
    Organisation = apps.get_model("regions", "Organisation")

    area_rows = _rows("cooperation_areas.csv")
    areas = {}
    for row in area_rows:
        areas[row["slug"]], _ = CooperationArea.objects.update_or_create(
            slug=row["slug"], defaults=_names(row)
        )

    regions = {}
    for row in _rows("regions.csv"):
        main, _, second = row["languages"].partition("+")
        regions[row["slug"]], _ = Region.objects.update_or_create(
            slug=row["slug"],
            defaults={
                **_names(row),
                "kind": row["kind"],
                "main_language": main,
                "second_language": second,
                "cooperation_area": areas[row["cooperation_area"]],
            },
        )

    # The host region can only be linked once both sides exist.
    for row in area_rows:
        area = areas[row["slug"]]
        area.university_hospital_region = regions[row["university_hospital_region"]]
        area.save(update_fields=["university_hospital_region"])

    for row in _rows("organisations.csv"):
        Organisation.objects.update_or_create(
            code=row["code"],
            defaults={**_names(row), "kind": row["kind"], "remit": row["role"].strip()},
        )
    return {
        "cooperation_areas": len(areas),
        "regions": len(regions),
        "organisations": Organisation.objects.count(),
    }
