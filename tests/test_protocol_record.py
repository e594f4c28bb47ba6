"""What a protocol records (issue 17): chair, secretary, participants with their
organisation and attendance, the memorandum date and the diary number; the approval line
once; dates, file types and sizes as a reader reads them; PDF/A; public retention."""

import io
import re
from datetime import date, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from pypdf import PdfReader

from minutes import services
from minutes.models import Minutes, ProtocolPDF
from minutes.services import protocols, publishing
from regions.models import Organisation, Region
from tests.factories import NegotiationFactory, region

pytestmark = pytest.mark.django_db


def started(official, *, slug="vantaa-kerava", language="fi", **negotiation):
    negotiation = NegotiationFactory(
        region=region(slug), language=language, chair=official, **negotiation
    )
    for position, title in enumerate(["Avaus", "Talous"], start=1):
        negotiation.agenda_items.create(position=position, title=title)
    return services.minutes_start(negotiation=negotiation, by=official)


def editor_data(client, minutes, *, record=None, people=None):
    """The editor's form as a browser sends it, with the record and the participant rows
    (dicts of the row fields) filled in."""
    page = client.get(f"/fi/workspace/minutes/{minutes.pk}/edit/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"record-diary_number": "", "record-memorandum_date": ""})
    for key, value in (record or {}).items():
        data[f"record-{key}"] = value
    existing = page.context["editor"].participants.initial or []
    rows = list(people) if people is not None else [dict(row) for row in existing]
    data.update(
        {
            "participant-TOTAL_FORMS": str(max(len(rows), len(existing))),
            "participant-INITIAL_FORMS": str(len(existing)),
            "participant-MIN_NUM_FORMS": "0",
            "participant-MAX_NUM_FORMS": "1000",
        }
    )
    for index, row in enumerate(rows):
        for key, value in {"role": "member", **row}.items():
            data[f"participant-{index}-{key}"] = "" if value is None else value
    # Rows the page had beyond the ones given: ticked for removal, as a person would.
    for index in range(len(rows), len(existing)):
        for key, value in existing[index].items():
            data[f"participant-{index}-{key}"] = "" if value is None else value
        data[f"participant-{index}-DELETE"] = "on"
    return data


def org(code):
    return f"o:{Organisation.objects.get(code=code).pk}"


def reg(slug):
    return f"r:{Region.objects.get(slug=slug).pk}"


PEOPLE = [
    {"name": "Sanna Ministeri", "title": "kansliapäällikkö", "organisation": org, "role": "chair"},
    {"name": "Matti Sihteeri", "title": "neuvotteleva virkamies", "organisation": org,
     "role": "secretary"},
    {"name": "Aino Alue", "title": "hyvinvointialuejohtaja", "organisation": reg,
     "present_from": "09:00", "present_to": "10:30", "items": "1–2"},
    {"name": "Ulla Ulkopuolinen", "other_organisation": "Kuntaliitto"},
]  # fmt: skip


def people(slug="vantaa-kerava"):
    resolved = []
    for person, code in zip(PEOPLE, ["STM", "VM", slug, None], strict=True):
        row = dict(person)
        if "organisation" in row:
            row["organisation"] = row["organisation"](code)
        resolved.append(row)
    return resolved


def pdf_text(version) -> str:
    pdf = ProtocolPDF.objects.get(version=version)
    if pdf.status == "queued":
        protocols.protocol_render(version.pk, version.snapshot["language"])
        pdf.refresh_from_db()
    with pdf.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_editor_records_chair_secretary_attendance_and_diary_number(client, official):
    minutes = started(official)
    client.force_login(official)
    data = editor_data(
        client, minutes, people=people(),
        record={"diary_number": "  VN/12345/2027 ", "memorandum_date": "2027-06-30"},
    )  # fmt: skip
    response = client.post(f"/fi/workspace/minutes/{minutes.pk}/edit/", data)
    assert response.status_code == 302, response.context["editor"].participants.errors
    minutes.refresh_from_db()
    assert minutes.diary_number == "VN/12345/2027"
    assert minutes.memorandum_date == date(2027, 6, 30)
    rows = list(minutes.participant_rows.order_by("position"))
    assert [row.role for row in rows] == ["chair", "secretary", "member", "member"]
    assert rows[2].region.slug == "vantaa-kerava" and rows[2].items == "1–2"
    assert rows[3].other_organisation == "Kuntaliitto"

    # Frozen with the version and printed in the PDF, dates in Finnish.
    services.minutes_send_for_review(minutes=minutes, by=official)
    version = services.minutes_approve(minutes=minutes, by=official)
    record = version.snapshot["record"]
    assert record["diary_number"] == "VN/12345/2027"
    assert (
        record["participants"][0]["organisation_names"]["sv"] == "Social- och hälsovårdsministeriet"
    )
    text = pdf_text(version)
    assert "Diaarinumero VN/12345/2027" in text
    assert "Muistion päivämäärä 30.6.2027" in text
    assert "Puheenjohtaja Sanna Ministeri" in text and "Sihteeri Matti Sihteeri" in text
    assert "Sosiaali- ja terveysministeriö puheenjohtaja koko kokouksen ajan" in text
    assert "09.00–10.30, kohdat 1–2" in text.replace("– ", "–")  # a line may break at –
    assert "Kuntaliitto" in text

    # The staff's version page shows the record whole.
    page = client.get(f"/fi/workspace/minutes/{minutes.pk}/versions/{version.number}/")
    assert "Aino Alue" in page.content.decode() and "VN/12345/2027" in page.content.decode()


def test_a_swedish_protocol_names_organisations_in_swedish(client, official):
    minutes = started(official, slug="pohjanmaa", language="sv")
    client.force_login(official)
    data = editor_data(client, minutes, people=people("pohjanmaa"))
    assert client.post(f"/fi/workspace/minutes/{minutes.pk}/edit/", data).status_code == 302
    services.minutes_send_for_review(minutes=minutes, by=official)
    version = services.minutes_approve(minutes=minutes, by=official)
    text = pdf_text(version)
    assert "Social- och hälsovårdsministeriet" in text
    assert "Österbottens välfärdsområde" in text
    assert "Sosiaali- ja terveysministeriö" not in text.split("Deltagare", 1)[1]
    assert "Pohjanmaan hyvinvointialue" not in text


def test_a_duplicate_diary_number_is_refused_in_the_users_language(client, official):
    first = started(official)
    first.diary_number = "VN/12345/2027"
    first.save(update_fields=["diary_number"])
    second = started(official, slug="lappi")
    client.force_login(official)
    data = editor_data(client, second, record={"diary_number": "vn/12345/2027"})
    section = second.sections.order_by("position").first()
    data[f"section_{section.pk}"] = "Kirjoitettu teksti"
    response = client.post(f"/sv/workspace/minutes/{second.pk}/edit/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Detta diarienummer används redan av protokollet för" in page
    assert "Vantaan ja Keravan" in page or "Vanda och Kervo" in page
    second.refresh_from_db()
    # Nothing half-made: neither the number nor the text was saved.
    assert second.diary_number == ""
    assert second.sections.get(pk=section.pk).body == ""


@pytest.mark.parametrize(
    "number, message",
    [
        ("VN/" + "1" * 40, "A diary number has at most 40 characters."),
        ("VN<script>", "Write the diary number as the case management system gives it"),
    ],
)
def test_a_malformed_diary_number_is_refused(client, official, number, message):
    minutes = started(official)
    client.force_login(official)
    data = editor_data(client, minutes, record={"diary_number": number})
    response = client.post(f"/en/workspace/minutes/{minutes.pk}/edit/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'href="#id_record-diary_number"' in page  # the summary links to the field
    assert Minutes.objects.get(pk=minutes.pk).diary_number == ""


def test_the_database_holds_one_protocol_per_diary_number(official):
    from django.db import IntegrityError, transaction

    first, second = started(official), started(official, slug="lappi")
    Minutes.objects.filter(pk=first.pk).update(diary_number="VN/1/2027")
    Minutes.objects.filter(pk=second.pk).update(diary_number="")  # empty ones may repeat
    with pytest.raises(IntegrityError), transaction.atomic():
        Minutes.objects.filter(pk=second.pk).update(diary_number="VN/1/2027")


def test_two_chairs_are_refused(client, official):
    minutes = started(official)
    client.force_login(official)
    rows = people()
    rows[1]["role"] = "chair"
    response = client.post(
        f"/en/workspace/minutes/{minutes.pk}/edit/", editor_data(client, minutes, people=rows)
    )
    page = response.content.decode()
    assert "Only one participant can be the chair." in page
    # Named in the error summary at the top of the page, as every form's errors are.
    assert page.index("Only one participant can be the chair.") < page.index(
        'id="edit-participants"'
    )
    assert not minutes.participant_rows.exists()


def test_new_minutes_start_with_the_negotiations_participants_as_rows(official):
    negotiation = NegotiationFactory(region=region("vantaa-kerava"), chair=official)
    negotiation.participants.create(side="ministry", name="Sanna Ministeri", organisation="STM")
    negotiation.participants.create(side="region", name="Aino Alue", title="johtaja")
    negotiation.participants.create(side="expert", name="Eero", organisation="THL")
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    rows = {row.name: row for row in minutes.participant_rows.all()}
    assert rows["Sanna Ministeri"].organisation.code == "STM"
    assert rows["Aino Alue"].region.slug == "vantaa-kerava"
    assert rows["Eero"].other_organisation == "THL" or rows["Eero"].organisation is not None
    assert minutes.participants == ""


def test_the_approval_line_is_printed_once(official):
    """Issue 17 says the PDF printed the approval twice; this pins it to one line, also
    for a correction (a second approved version of the same minutes)."""
    minutes = started(official)
    services.minutes_send_for_review(minutes=minutes, by=official)
    version = services.minutes_approve(minutes=minutes, by=official)
    assert pdf_text(version).count("hyväksynyt") == 1
    publishing.protocol_publish(minutes=minutes, by=official)
    publishing.minutes_start_correction(minutes=minutes, by=official)
    corrected = services.minutes_approve(minutes=minutes, by=official)
    assert pdf_text(corrected).count("hyväksynyt") == 1


def test_old_follow_up_actions_show_their_due_date_in_the_protocols_language(official):
    """Versions frozen before outcome items printed their ISO date raw (2027-06-30)."""
    from minutes.pdf import protocol_html

    minutes = started(official)
    services.minutes_send_for_review(minutes=minutes, by=official)
    version = services.minutes_approve(minutes=minutes, by=official)
    snapshot = {**version.snapshot, "actions": [
        {"text": "Investoinnit", "responsible": "alue", "due_date": "2027-06-30"},
    ]}  # fmt: skip
    version.snapshot = snapshot  # in memory only: versions never change in the database
    html = protocol_html(version, language="fi", draft=False)
    assert "30.6.2027" in html and "2027-06-30" not in html


def test_item_due_dates_follow_the_protocols_language_on_any_page(official):
    template = Template(
        '{% include "minutes/_items.html" with content=content section=section text_lang="fi" %}'
    )
    content = {"items": [{
        "id": 1, "section_id": 5, "number": "1.1", "kind": "follow_up", "text": "Tehdään",
        "responsible": "region", "ministry_names": None, "due_date": "2027-06-30",
        "topic_names": None,
    }]}  # fmt: skip
    with translation.override("en"):
        html = template.render(Context({"content": content, "section": {"id": 5, "position": 1}}))
    assert "30.6.2027" in html and "2027-06-30" not in html


@pytest.mark.parametrize(
    "language, expected", [("fi", "PDF, 584 kt"), ("sv", "PDF, 584 kB"), ("en", "PDF, 584 kB")]
)
def test_file_type_and_size_as_a_person_reads_them(language, expected):
    class File:
        content_type, size = "application/pdf", 583_412

    template = Template("{% load portal %}{{ file|file_summary }}")
    with translation.override(language):
        assert template.render(Context({"file": File()})) == expected


def test_file_sizes_in_megabytes_use_the_languages_decimal_sign():
    template = Template("{% load portal %}{{ size|file_size }}")
    with translation.override("fi"):
        assert template.render(Context({"size": 2_460_000})) == "2,5 Mt"
    with translation.override("en"):
        assert template.render(Context({"size": 2_460_000})) == "2.5 MB"


# --- PDF/A -----------------------------------------------------------------------------


def test_the_protocol_pdf_is_pdf_a_tagged_with_its_record_in_xmp(client, official):
    minutes = started(official, slug="pohjanmaa", language="sv")
    client.force_login(official)
    data = editor_data(client, minutes, people=people("pohjanmaa"),
                       record={"diary_number": "VN/777/2027"})  # fmt: skip
    assert client.post(f"/fi/workspace/minutes/{minutes.pk}/edit/", data).status_code == 302
    services.minutes_send_for_review(minutes=minutes, by=official)
    version = services.minutes_approve(minutes=minutes, by=official)
    protocols.protocol_render(version.pk, "sv")
    pdf = ProtocolPDF.objects.get(version=version)
    with pdf.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    root = reader.trailer["/Root"]

    xmp = reader.xmp_metadata
    assert xmp is not None
    xml = xmp.stream.get_data().decode()
    assert re.search(r'pdfaid:part="3"', xml) and re.search(r'pdfaid:conformance="A"', xml)
    assert 'pdfuaid:part="1"' in xml
    assert "<record:diaryNumber>VN/777/2027</record:diaryNumber>" in xml
    assert xmp.dc_title["x-default"].startswith("Promemoria")
    assert xmp.dc_language == ["sv"]
    assert "Social- och hälsovårdsministeriet" in xmp.dc_creator[0]
    assert xmp.dc_subject and "Österbottens välfärdsområde" in xmp.dc_subject[0]
    # The extension schema PDF/A asks for properties outside its own schemas.
    assert "<pdfaSchema:prefix>record</pdfaSchema:prefix>" in xml

    assert root["/Lang"] == "sv"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    (intent,) = root["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    assert intent["/DestOutputProfile"].get_object().get_data()[36:40] == b"acsp"  # ICC

    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            font = descendants[0].get_object() if descendants else font
            fonts.append(font["/FontDescriptor"].get_object())
    assert fonts
    assert all("/FontFile2" in f or "/FontFile3" in f for f in fonts)


# --- Retention on public pages --------------------------------------------------------------


def published_with_people(client, official, settings):
    minutes = started(official)
    client.force_login(official)
    data = editor_data(client, minutes, people=people())
    assert client.post(f"/fi/workspace/minutes/{minutes.pk}/edit/", data).status_code == 302
    services.minutes_send_for_review(minutes=minutes, by=official)
    services.minutes_approve(minutes=minutes, by=official)
    publication = publishing.protocol_publish(minutes=minutes, by=official)
    client.logout()
    return publication


@pytest.mark.parametrize("age_days, hidden", [(29, False), (31, True)])
def test_names_leave_the_public_pages_and_api_after_the_period(
    client, official, settings, age_days, hidden
):
    settings.PUBLIC_PERSONAL_DATA_DAYS = 30
    settings.PUBLIC_PAGE_CACHE = False
    publication = published_with_people(client, official, settings)
    type(publication).objects.filter(pk=publication.pk).update(
        published_at=timezone.now() - timedelta(days=age_days)
    )
    page = client.get(f"/fi/protocols/{publication.pk}/").content.decode()
    api = client.get(f"/api/v1/protocols/{publication.pk}/").json()
    names = [person["name"] for person in api["participants"]]
    if hidden:
        assert "Sanna Ministeri" not in page and "kansliapäällikkö" not in page
        assert "Sosiaali- ja terveysministeriö" in page  # organisation and role stay
        assert "poistettiin julkisesta muistiosta 30 päivän kuluttua" in page
        assert names == [None] * 4 and api["personal_data_removed"] is True
    else:
        assert "Sanna Ministeri" in page and "Sanna Ministeri" in names
        assert api["personal_data_removed"] is False
    # Officials keep the whole record.
    client.force_login(official)
    minutes = publication.version.minutes
    staff = client.get(f"/fi/workspace/minutes/{minutes.pk}/versions/{publication.version.number}/")
    assert "Sanna Ministeri" in staff.content.decode()


def test_without_a_period_names_stay(client, official, settings):
    settings.PUBLIC_PERSONAL_DATA_DAYS = None
    settings.PUBLIC_PAGE_CACHE = False
    publication = published_with_people(client, official, settings)
    type(publication).objects.filter(pk=publication.pk).update(
        published_at=timezone.now() - timedelta(days=3650)
    )
    assert "Sanna Ministeri" in client.get(f"/fi/protocols/{publication.pk}/").content.decode()


@pytest.mark.parametrize("days", [None, 30])
def test_the_statement_says_how_long_names_stay_public(client, settings, days):
    settings.PUBLIC_PERSONAL_DATA_DAYS = days
    page = client.get("/fi/accessibility/").content.decode()
    assert "Henkilötiedot julkaistuissa muistioissa" in page
    if days:
        assert "30 päivän ajan julkaisemisesta" in page
    else:
        assert "niin kauan kuin muistio on julkaistuna" in page


def test_the_demo_protocols_record_chair_secretary_attendance_and_diary_number():
    from django.core.management import call_command

    from minutes.models import Publication

    call_command("seed_demo")
    numbers = sorted(
        Minutes.objects.exclude(diary_number="").values_list("diary_number", flat=True)
    )
    call_command("seed_demo")  # again: nothing doubles, no number collides
    assert (
        sorted(Minutes.objects.exclude(diary_number="").values_list("diary_number", flat=True))
        == numbers
    )
    published = Publication.objects.select_related("version")
    assert published.exists()
    for publication in published:
        record = publication.version.snapshot["record"]
        assert re.fullmatch(r"VN/\d+/\d{4}", record["diary_number"])
        roles = [person["role"] for person in record["participants"]]
        assert roles.count("chair") == 1 and roles.count("secretary") == 1
        assert any(person["present_from"] for person in record["participants"])


def test_the_version_diff_shows_a_changed_record(client, official):
    minutes = started(official)
    client.force_login(official)
    data = editor_data(client, minutes, people=people(), record={"diary_number": "VN/1/2027"})
    assert client.post(f"/fi/workspace/minutes/{minutes.pk}/edit/", data).status_code == 302
    services.minutes_send_for_review(minutes=minutes, by=official)
    services.minutes_start_revision(minutes=minutes, by=official)
    minutes.refresh_from_db()
    rows = people()[:2]
    data = editor_data(client, minutes, people=rows, record={"diary_number": "VN/2/2027"})
    assert client.post(f"/fi/workspace/minutes/{minutes.pk}/edit/", data).status_code == 302
    services.minutes_send_for_review(minutes=minutes, by=official)
    page = client.get(f"/fi/workspace/minutes/{minutes.pk}/diff/?from=1&to=2").content.decode()
    assert "Asiakirjan tiedot ja osallistujat" in page
    assert "<del>VN/1/2027</del>" in page and "<ins>VN/2/2027</ins>" in page
    removed = " ".join(re.findall(r"<del>(.*?)</del>", page, flags=re.S))
    assert "Aino Alue" in removed and "Ulla Ulkopuolinen" in removed
    assert "Sanna Ministeri" not in removed  # unchanged rows stay


def test_saving_the_editor_untouched_keeps_the_participants(client, official):
    minutes = started(official)
    client.force_login(official)
    data = editor_data(client, minutes, people=people())
    assert client.post(f"/fi/workspace/minutes/{minutes.pk}/edit/", data).status_code == 302
    # The same page sent again as it comes, then with one row ticked for removal.
    data = editor_data(client, minutes)
    assert client.post(f"/fi/workspace/minutes/{minutes.pk}/edit/", data).status_code == 302
    assert minutes.participant_rows.count() == 4
    data = editor_data(client, minutes)
    data["participant-3-DELETE"] = "on"
    assert client.post(f"/fi/workspace/minutes/{minutes.pk}/edit/", data).status_code == 302
    names = list(minutes.participant_rows.order_by("position").values_list("name", flat=True))
    assert names == ["Sanna Ministeri", "Matti Sihteeri", "Aino Alue"]
