"""Minutes in both national languages: the main text and its parallel translation.

A bilingual region's minutes (or any, when the official asks) carry a `MinutesTranslation`:
the same sections and outcome items, their words in the other national language. Each
version freezes both (`snapshot_translation`, under the snapshot's "translation" key), the
approval refuses a translation with gaps, and a published version has one rendition per
language (`rendition`): its own public address under each language prefix and its own PDF.
Everything that is not words (positions, kinds, due dates, ministries, topics) is the main
text's, so the two can never disagree on what was agreed.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from regions.models import OfficialLanguage

from .markup import render_markup
from .models import Minutes, MinutesEvent, MinutesTranslation

# What the link to the other language version says: in that language, whatever the page's
# own, as language switchers do (the reader it is for may not read the page's language).
IN_LANGUAGE = {"fi": "Suomeksi", "sv": "På svenska"}


def other_language(language: str) -> str:
    return OfficialLanguage.SWEDISH if language == OfficialLanguage.FINNISH else "fi"


@transaction.atomic
def translation_start(*, minutes: Minutes, by) -> MinutesTranslation:
    """Add the translation into the other national language (the official's "also in
    Swedish/Finnish"); started once, it stays."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if not minutes.is_editable:
        raise ValidationError(
            _("The minutes cannot be edited in their current state."), code="invalid_state"
        )
    language = other_language(minutes.language)
    translation, created = MinutesTranslation.objects.get_or_create(
        minutes=minutes,
        defaults={
            "language": language,
            # The participants are names and organisation codes: the same in both.
            "participants": minutes.participants,
            "sections": _known_headings(minutes, language),
        },
    )
    if created:
        from .services import record_event

        record_event(
            minutes, MinutesEvent.Action.EDITED, by, data={"translation": translation.language}
        )
    return translation


def _known_headings(minutes: Minutes, language: str) -> dict:
    """The standard agenda's titles in the other language, for the sections that have one."""
    from negotiations.default_agenda import ITEMS

    index = 1 if language == "fi" else 2
    known = {}
    for _code, *titles in ITEMS:
        for title in titles:
            known[title] = titles[index - 1]
    return {
        str(section.pk): {"heading": known[section.heading], "body": ""}
        for section in minutes.sections.all()
        if section.heading in known
    }


def translation_of(minutes: Minutes) -> MinutesTranslation | None:
    try:
        return minutes.translation
    except MinutesTranslation.DoesNotExist:
        return None


def translation_save(
    *, minutes: Minutes, participants: str, sections: dict[int, dict], items: dict[int, str]
) -> bool:
    """Store the editor's translated texts; called inside the editor's save, after the
    main text's revision check and under its lock. True if anything changed."""
    translation = translation_of(minutes)
    if translation is None:
        return False
    own_sections = set(minutes.sections.values_list("pk", flat=True))
    own_items = set(minutes.items.values_list("pk", flat=True))
    new_sections = {
        str(pk): {"heading": text["heading"].strip(), "body": text["body"]}
        for pk, text in sections.items()
        if pk in own_sections
    }
    new_items = {str(pk): text.strip() for pk, text in items.items() if pk in own_items}
    # Texts of rows the main text has since dropped are dropped too.
    merged_sections = {
        key: value
        for key, value in {**translation.sections, **new_sections}.items()
        if int(key) in own_sections
    }
    merged_items = {
        key: value
        for key, value in {**translation.items, **new_items}.items()
        if int(key) in own_items
    }
    if (translation.participants, translation.sections, translation.items) == (
        participants,
        merged_sections,
        merged_items,
    ):
        return False
    translation.participants = participants
    translation.sections, translation.items = merged_sections, merged_items
    translation.save(update_fields=["participants", "sections", "items"])
    return True


def snapshot_translation(minutes: Minutes) -> dict | None:
    """The translation as plain data for the version, in the order of the main text."""
    translation = translation_of(minutes)
    if translation is None:
        return None
    sections = []
    for section in minutes.sections.order_by("position"):
        text = translation.sections.get(str(section.pk), {})
        body = text.get("body", "")
        sections.append(
            {
                "id": section.pk,
                "heading": text.get("heading", ""),
                "body": body,
                "html": render_markup(body),
            }
        )
    return {
        "language": translation.language,
        "participants": translation.participants,
        "participants_html": render_markup(translation.participants),
        "sections": sections,
        "items": [
            {"id": pk, "text": translation.items.get(str(pk), "")}
            for pk in minutes.items.order_by("section__position", "position", "pk").values_list(
                "pk", flat=True
            )
        ],
    }


def languages(content: dict) -> list[str]:
    """The languages a frozen version is in: the main one first."""
    translated = content.get("translation")
    return [content["language"]] + ([translated["language"]] if translated else [])


def reading_language(content: dict, wanted_language: str | None) -> str:
    """The version's language a reader of `wanted_language` gets: theirs if the protocol
    is in it, else the main one."""
    return wanted_language if wanted_language in languages(content) else content["language"]


def rendition(content: dict, language: str) -> dict:
    """The frozen content wholly in `language`: the translation's words over the main
    text's structure. The main language (or one the version lacks) gives the content as
    frozen."""
    translated = content.get("translation")
    if not translated or language != translated["language"]:
        return content
    sections = {row["id"]: row for row in translated["sections"]}
    items = {row["id"]: row["text"] for row in translated["items"]}
    return {
        **content,
        "language": language,
        "participants": translated["participants"],
        "participants_html": translated["participants_html"],
        "sections": [
            {**section, **_words(sections.get(section["id"]))} for section in content["sections"]
        ],
        "items": [{**item, "text": items.get(item["id"], "")} for item in content.get("items", [])],
    }


def _words(row: dict | None) -> dict:
    if row is None:
        return {"heading": "", "body": "", "html": ""}
    return {"heading": row["heading"], "body": row["body"], "html": row["html"]}


def side_by_side(content: dict) -> dict:
    """The content with each section's and item's translation beside it (`tr`), for the
    pages where officials and the region read both languages: preview and review."""
    translated = content.get("translation")
    if not translated:
        return content
    sections = {row["id"]: row for row in translated["sections"]}
    items = {row["id"]: row["text"] for row in translated["items"]}
    return {
        **content,
        "sections": [
            {**section, "tr": sections.get(section["id"]) or _words(None)}
            for section in content["sections"]
        ],
        "items": [
            {**item, "tr_text": items.get(item["id"], "")} for item in content.get("items", [])
        ],
    }


def translation_gaps(content: dict) -> list[str]:
    """What the translation lacks that the main text has, as a reader names it: a
    section's heading or text, an outcome item's text, the participants."""
    translated = content.get("translation")
    if not translated:
        return []
    gaps = []
    if content["participants"].strip() and not translated["participants"].strip():
        gaps.append(_("participants"))
    sections = {row["id"]: row for row in translated["sections"]}
    for section in content["sections"]:
        row = sections.get(section["id"]) or _words(None)
        name = f"{section['position']}. {section['heading']}"
        if section["heading"].strip() and not row["heading"].strip():
            gaps.append(_("%(section)s: heading") % {"section": name})
        if section["body"].strip() and not row["body"].strip():
            gaps.append(_("%(section)s: text") % {"section": name})
    items = {row["id"]: row["text"] for row in translated["items"]}
    for item in content.get("items", []):
        if item["text"].strip() and not items.get(item["id"], "").strip():
            gaps.append(_("item %(number)s") % {"number": item["number"]})
    return gaps


def require_complete(content: dict) -> None:
    """Approval's rule: both languages say everything, or neither is approved."""
    gaps = translation_gaps(content)
    if gaps:
        language = OfficialLanguage(content["translation"]["language"]).label
        raise ValidationError(
            _(
                "The translation (%(language)s) is not complete, so nothing was approved. "
                "Translate first: %(missing)s."
            )
            % {"language": language, "missing": "; ".join(gaps)},
            code="translation_incomplete",
        )


def other_renditions(content: dict, shown: str, url_name: str, *args) -> list[dict]:
    """The protocol's other language versions than `shown`, each with its address (the
    same page under that language's prefix) and its link text in that language."""
    from django.urls import reverse
    from django.utils import translation as i18n

    rows = []
    for language in languages(content):
        if language == shown:
            continue
        with i18n.override(language):
            url = reverse(url_name, args=args)
        rows.append({"language": language, "label": IN_LANGUAGE[language], "url": url})
    return rows
