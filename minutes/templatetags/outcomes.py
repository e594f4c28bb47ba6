"""Reading a frozen snapshot's outcome items in templates: per section, and names in the
language the page (or the PDF) is rendered in."""

from datetime import date

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def section_items(content: dict, section_id: int) -> list[dict]:
    return [item for item in content.get("items", []) if item["section_id"] == section_id]


@register.simple_tag
def section_assessments(content: dict, section_id: int) -> list[dict]:
    return [row for row in content.get("assessments", []) if row["section_id"] == section_id]


@register.filter
def in_language(names: dict | None) -> str:
    if not names:
        return ""
    return names.get((get_language() or "fi")[:2]) or names.get("fi", "")


@register.filter
def as_date(value: str | None):
    return date.fromisoformat(value) if value else None


@register.filter
def outcome_label(value: str | None, field: str) -> str:
    """The label of a frozen item's kind, responsible party or status, in the language
    the page is rendered in; "–" for none."""
    from minutes.models import ItemStatus, OutcomeKind, Responsible

    choices = {"kind": OutcomeKind, "responsible": Responsible, "status": ItemStatus}[field]
    return str(choices(value).label) if value in choices.values else "–"
