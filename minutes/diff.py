"""Word-level differences between two texts, as HTML with <del> and <ins>."""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

_TOKENS = re.compile(r"\s+|[^\s]+")


def diff_html(old: str, new: str) -> str:
    old_tokens = _TOKENS.findall(old or "")
    new_tokens = _TOKENS.findall(new or "")
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    parts = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old_tokens[a1:a2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(old_tokens[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(new_tokens[b1:b2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above


def version_diff(old: dict, new: dict) -> list[dict]:
    """Section by section: what changed between two snapshots (by section identity)."""
    old_sections = {section["id"]: section for section in old["sections"]}
    rows = []
    for label, key in (("participants", "participants"), ("conclusions", "conclusions")):
        if old.get(key, "") != new.get(key, ""):
            rows.append(
                {
                    "key": label,
                    "heading": None,
                    "html": diff_html(old.get(key, ""), new.get(key, "")),
                }
            )
    from .record import record_text

    before_record, after_record = record_text(old), record_text(new)
    if before_record != after_record:
        html = diff_html(before_record, after_record)
        rows.append({"key": "record", "heading": None, "html": html})
    seen = set()
    for section in new["sections"]:
        before = old_sections.get(section["id"])
        seen.add(section["id"])
        old_body = before["body"] if before else ""
        if before is None or old_body != section["body"] or before["heading"] != section["heading"]:
            rows.append(
                {
                    "key": "section",
                    "heading": section["heading"],
                    "html": diff_html(old_body, section["body"]),
                    "added": before is None,
                }
            )
    for section_id, section in old_sections.items():
        if section_id not in seen:
            rows.append(
                {
                    "key": "section",
                    "heading": section["heading"],
                    "html": diff_html(section["body"], ""),
                    "removed": True,
                }
            )
    return rows


# What an item row of the diff compares besides its text; names and dates are shown in
# the reader's language by the template.
ITEM_FIELDS = ("kind", "responsible", "ministry", "due_date", "topic_id", "section_id")


def outcome_diff(old: dict, new: dict) -> list[dict]:
    """The outcome items and assessments added, removed or changed between two
    snapshots, by their ids. Versions frozen before items existed have none."""
    rows = []
    for key, fields in (
        ("items", ITEM_FIELDS),
        ("assessments", ("status",)),
    ):
        before = {row["id"]: row for row in old.get(key, [])}
        after = {row["id"]: row for row in new.get(key, [])}
        for row_id, row in after.items():
            was = before.get(row_id)
            changed = [
                name for name in fields if was is not None and was.get(name) != row.get(name)
            ]
            if was is None or changed or was["text"] != row["text"]:
                rows.append(
                    {
                        "key": key,
                        "new": row,
                        "old": was,
                        "changed": changed,
                        "html": diff_html(was["text"] if was else "", row["text"]),
                        "added": was is None,
                    }
                )
        for row_id, row in before.items():
            if row_id not in after:
                rows.append(
                    {
                        "key": key,
                        "new": row,
                        "old": row,
                        "changed": [],
                        "html": diff_html(row["text"], ""),
                        "removed": True,
                    }
                )
    return rows
