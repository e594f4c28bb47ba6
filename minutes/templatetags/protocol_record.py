from datetime import time

from django import template
from django.utils.formats import time_format

from minutes.record import record_of

register = template.Library()


@register.simple_tag
def protocol_record(content: dict, public=None) -> dict:
    """The record to show: `public` (from record.public_participants) on public pages,
    else the version's whole record. Adds the chair and the secretary."""
    record = dict(record_of(content))
    if public:
        record["participants"] = public["participants"]
        record["hidden"], record["days"] = public["hidden"], public["days"]
        record["legacy_html"] = public["legacy_html"]
    else:
        record["hidden"], record["legacy_html"] = False, content.get("participants_html", "")
    people = record["participants"]
    record["chair"] = next((p for p in people if p["role"] == "chair"), None)
    record["secretary"] = next((p for p in people if p["role"] == "secretary"), None)
    return record


@register.filter
def name_in(names: dict | None, language: str) -> str:
    """An organisation's or region's name in the protocol's own language."""
    if not names:
        return ""
    return names.get(language) or names.get("fi", "")


@register.filter
def clock(value: str | None) -> str:
    """A frozen "HH:MM" in the active language's time format (9.00 in Finnish)."""
    if not value:
        return ""
    hours, minutes = value.split(":")[:2]
    return time_format(time(int(hours), int(minutes)), "TIME_FORMAT")
