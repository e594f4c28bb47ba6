"""Each protocol's metadata file: plain data first (`protocol_metadata`, `chain_metadata`),
then XML in the package's namespace, valid against `protocol-metadata.xsd`."""

import xml.etree.ElementTree as ET
from pathlib import Path

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from regions.models import Organisation, Publicity

from ..models import Publication

NAMESPACE = "urn:fi:ohjausneuvottelut:archive:1"
SCHEMA_PATH = Path(__file__).with_name("protocol-metadata.xsd")
SCHEMA_NAME = SCHEMA_PATH.name
NAME_LANGUAGES = ("fi", "sv", "en")


def iso(moment) -> str:
    """ISO 8601 in Helsinki time with its offset, to the second: what the archive reads."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def _names(thing) -> dict:
    return {language: getattr(thing, f"name_{language}") for language in NAME_LANGUAGES}


def _named(code, thing) -> dict:
    return {"code": code, "names": _names(thing)}


def _diary_number(publication: Publication) -> str:
    """The diary number of the published version, or of the minutes, once the models carry
    one; nothing until then (the element is optional in the schema)."""
    version = publication.version
    for source in (version, version.minutes):
        value = getattr(source, "diary_number", "") or ""
        if value.strip():
            return value.strip()
    return ""


def protocol_metadata(publication: Publication) -> dict:
    """What the archive records of the protocol as a whole, from its newest publication.

    The one place where a new field of the record (diary number, chair, attendance) is
    added: the XML writer below puts whatever this returns into its element."""
    negotiation = publication.negotiation
    language = publication.language
    party = publication.party
    with translation.override(language):
        title = _("Steering negotiation %(year)s: %(party)s") % {
            "year": publication.year,
            "party": getattr(party, f"name_{language}", "") or party.name_fi,
        }
    ministries = Organisation.objects.filter(kind=Organisation.Kind.MINISTRY).order_by("pk")
    if publication.region_id:
        region = publication.region
        parties = {
            "region": {
                **_named(region.slug, region),
                "cooperation_area": _named(region.cooperation_area.slug, region.cooperation_area),
            }
        }
    else:
        area = publication.cooperation_area
        parties = {"cooperation_area": _named(area.slug, area)}
    return {
        "identifier": f"ON-{publication.year}-{party.slug}",
        "title": title,
        "year": publication.year,
        "round_kind": negotiation.round.kind,
        "language": language,
        "diary_number": _diary_number(publication),
        "ministries": [_named(ministry.code, ministry) for ministry in ministries],
        **parties,
        "meeting_start": publication.starts_at,
        "meeting_end": publication.ends_at,
    }


def chain_metadata(chain: list[Publication]) -> dict:
    """The version chain, oldest first, with when each was published, replaced and
    withdrawn; and the protocol's own dates from it."""
    versions = []
    for index, publication in enumerate(chain):
        successor = chain[index + 1] if index + 1 < len(chain) else None
        versions.append(
            {
                "number": publication.version.number,
                "approved": publication.version.created_at,
                "published": publication.published_at,
                "superseded_at": successor.published_at if successor else None,
                "superseded_by": successor.version.number if successor else None,
                "withdrawn": publication.withdrawn_at,
                "correction_note": publication.correction_note,
                "withdrawal_reason": publication.withdrawal_reason,
                "meeting_start": publication.starts_at,
                "meeting_end": publication.ends_at,
                "content_sha256": publication.version.content_sha256,
            }
        )
    newest = chain[-1]
    return {
        "versions": versions,
        "status": "withdrawn" if newest.is_withdrawn else "current",
        "published": chain[0].published_at,
        "corrected": newest.published_at if len(chain) > 1 else None,
        "withdrawn": newest.withdrawn_at,
    }


def _el(parent, tag, text=None, **attributes):
    element = ET.SubElement(parent, f"{{{NAMESPACE}}}{tag}", attributes)
    if text is not None:
        element.text = str(text)
    return element


def _named_el(parent, tag, named: dict):
    element = _el(parent, tag, code=named["code"])
    for language, name in named["names"].items():
        if name:
            _el(element, "name", name, lang=language)
    return element


def _publicity_el(parent, level: str, ground=None):
    element = _el(parent, "publicity", level=level)
    if level != Publicity.PUBLIC and ground is not None:
        legal = _el(element, "legalGround")
        _el(legal, "citation", ground.citation)
        for language in NAME_LANGUAGES:
            label = getattr(ground, f"label_{language}", "")
            if label:
                _el(legal, "label", label, lang=language)
    return element


def protocol_xml(
    protocol: dict, chain: dict, files: list[dict], refs: dict, withheld: list
) -> bytes:
    """The metadata file. `files`: what the package holds of this protocol (path, role,
    media type, language, size, sha256, title, original name); `refs`: version number →
    the paths of its files; `withheld`: the negotiation's documents kept from the public."""
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}protocol", {"schemaVersion": "1"})
    language = protocol["language"]
    _el(root, "identifier", protocol["identifier"])
    _el(root, "title", protocol["title"], lang=language)
    _el(root, "year", protocol["year"])
    _el(root, "roundKind", protocol["round_kind"])
    _el(root, "language", language)
    if protocol.get("diary_number"):
        _el(root, "diaryNumber", protocol["diary_number"])
    _el(root, "status", chain["status"])
    # Published protocols are public records; a withdrawal takes them out of view but is
    # not a ground for secrecy, so the level stays and the withdrawal is dated below.
    _publicity_el(root, Publicity.PUBLIC)

    parties = _el(root, "parties")
    for ministry in protocol["ministries"]:
        _named_el(parties, "ministry", ministry)
    if "region" in protocol:
        region = _named_el(parties, "region", protocol["region"])
        _named_el(region, "cooperationArea", protocol["region"]["cooperation_area"])
    else:
        _named_el(parties, "cooperationArea", protocol["cooperation_area"])

    dates = _el(root, "dates")
    _el(dates, "meetingStart", iso(protocol["meeting_start"]))
    _el(dates, "meetingEnd", iso(protocol["meeting_end"]))
    _el(dates, "published", iso(chain["published"]))
    if chain["corrected"]:
        _el(dates, "corrected", iso(chain["corrected"]))
    if chain["withdrawn"]:
        _el(dates, "withdrawn", iso(chain["withdrawn"]))

    versions = _el(root, "versions")
    for entry in chain["versions"]:
        version = _el(versions, "version", number=str(entry["number"]))
        _el(version, "approved", iso(entry["approved"]))
        _el(version, "published", iso(entry["published"]))
        if entry["superseded_at"]:
            _el(version, "supersededAt", iso(entry["superseded_at"]))
            _el(version, "supersededBy", entry["superseded_by"])
        if entry["withdrawn"]:
            _el(version, "withdrawn", iso(entry["withdrawn"]))
        if entry["correction_note"]:
            _el(version, "correctionNote", entry["correction_note"], lang=language)
        if entry["withdrawal_reason"]:
            _el(version, "withdrawalReason", entry["withdrawal_reason"], lang=language)
        _el(version, "meetingStart", iso(entry["meeting_start"]))
        _el(version, "meetingEnd", iso(entry["meeting_end"]))
        _el(version, "contentSha256", entry["content_sha256"])
        for path in refs[entry["number"]]:
            _el(version, "fileRef", path)

    files_el = _el(root, "files")
    for item in files:
        file_el = _el(files_el, "file", role=item["role"])
        _el(file_el, "path", item["path"])
        if item.get("title"):
            _el(file_el, "title", item["title"], lang=item["language"])
        if item.get("original_name"):
            _el(file_el, "originalName", item["original_name"])
        _el(file_el, "mediaType", item["media_type"])
        _el(file_el, "language", item["language"])
        _el(file_el, "size", item["size"])
        _el(file_el, "sha256", item["sha256"])
        _publicity_el(file_el, Publicity.PUBLIC)

    if withheld:
        # Named so the archive knows the record has more parts, and on what ground they
        # are kept elsewhere; without their titles, which may themselves say too much.
        withheld_el = _el(root, "withheld")
        for document in withheld:
            document_el = _el(withheld_el, "document", id=str(document.pk))
            _el(document_el, "kind", document.kind)
            _el(document_el, "language", document.language)
            _publicity_el(document_el, document.publicity, document.secrecy_ground)

    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
