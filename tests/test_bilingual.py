"""Minutes in both national languages: edited side by side, reviewed, approved and
published together as two linked protocols, each PDF wholly in its language."""

import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from minutes import services, translation
from minutes.models import Minutes, MinutesVersion, OutcomeKind, ProtocolPDF, Responsible
from minutes.services import outcomes, protocols, publishing
from regions.models import Organisation
from tests.factories import NegotiationFactory, RegionStaffFactory, region

pytestmark = pytest.mark.django_db

DUE = date(2027, 6, 30)
HELSINKI = ZoneInfo("Europe/Helsinki")


def bilingual_minutes(official, client=None):
    """Ostrobothnia (Swedish first, Finnish second), the official's "also in Finnish"."""
    negotiation = NegotiationFactory(
        region=region("pohjanmaa"), language="sv", chair=official,
        starts_at=datetime(2027, 3, 10, 9, tzinfo=HELSINKI),
        ends_at=datetime(2027, 3, 10, 12, tzinfo=HELSINKI),
    )  # fmt: skip
    for position, title in enumerate(["Öppnande", "Ekonomi"], start=1):
        negotiation.agenda_items.create(position=position, title=title)
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    translation.translation_start(minutes=minutes, by=official)
    assert minutes.translation.language == "fi"
    return minutes


def fill_main(official, minutes):
    opening, economy = minutes.sections.order_by("position")
    services.minutes_save_text(
        minutes=minutes, by=official, expected_revision=minutes.revision,
        participants="- Sanna Minister, SHM",
        sections={opening.pk: "Mötet öppnades.", economy.pk: "Ekonomin är i balans."},
    )  # fmt: skip
    item = outcomes.outcome_add(
        minutes=minutes, by=official, section=economy, kind=OutcomeKind.RECOMMENDATION,
        text="Servicenätet ses över.", responsible=Responsible.MINISTRY,
        ministry=Organisation.objects.get(code="STM"), due_date=DUE,
    )  # fmt: skip
    minutes.refresh_from_db()
    return opening, economy, item


def translate_in_editor(client, minutes, opening, economy, item, *, leave_out_body=False):
    """The editor's one save: the main text on the left, the Finnish on the right."""
    minutes.refresh_from_db()
    data = {
        "revision": minutes.revision,
        "participants": minutes.participants,
        f"section_{opening.pk}": "Mötet öppnades.",
        f"section_{economy.pk}": "Ekonomin är i balans.",
        "tr-participants": "- Sanna Ministeri, STM",
        f"tr-heading-{opening.pk}": "Avaus",
        f"tr-body-{opening.pk}": "Kokous avattiin.",
        f"tr-heading-{economy.pk}": "Talous",
        f"tr-body-{economy.pk}": "" if leave_out_body else "Talous on tasapainossa.",
        f"tr-item-{item.pk}": "Palveluverkko tarkistetaan.",
    }
    response = client.post(f"/fi/workspace/minutes/{minutes.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]


def pdf_text(version, language) -> str:
    pdf = ProtocolPDF.objects.get(version=version, language=language)
    if pdf.status != ProtocolPDF.Status.DONE:
        assert protocols.protocol_render(version.pk, language) == "done"
        pdf.refresh_from_db()
    with pdf.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_editor_shows_both_languages_side_by_side(client, official):
    minutes = bilingual_minutes(official)
    fill_main(official, minutes)
    client.force_login(official)
    page = client.get(f"/fi/workspace/minutes/{minutes.pk}/edit/").content.decode()
    economy = minutes.sections.get(position=2)
    main = re.search(rf'<textarea[^>]*name="section_{economy.pk}"[^>]*>', page).group(0)
    translated = re.search(rf'<textarea[^>]*name="tr-body-{economy.pk}"[^>]*>', page).group(0)
    assert 'lang="sv"' in main and 'lang="fi"' in translated
    assert f'for="id_tr-body-{economy.pk}"' in page  # labelled
    assert "Teksti (suomi)" in page or "(suomi)" in page


def test_a_bilingual_negotiation_end_to_end(client, official, django_capture_on_commit_callbacks):
    minutes = bilingual_minutes(official)
    opening, economy, item = fill_main(official, minutes)
    client.force_login(official)
    translate_in_editor(client, minutes, opening, economy, item)

    # The review: one version holds both languages; the region reads and comments on both.
    review = services.minutes_send_for_review(minutes=minutes, by=official)
    assert review.snapshot["translation"]["sections"][1]["heading"] == "Talous"
    staff = RegionStaffFactory(region=region("pohjanmaa"))
    comment = services.comment_add(
        version=review, section=economy, by=staff, body="Den finska texten: ”tasapainossa”."
    )
    client.force_login(staff)
    page = client.get(f"/sv/workspace/minutes/{minutes.pk}/versions/{review.number}/")
    html = page.content.decode()
    assert 'lang="fi"' in html and "Talous on tasapainossa." in html
    assert "Palveluverkko tarkistetaan." in html and "Den finska texten" in html
    services.answer_add(comment=comment, by=official, decision="accepted")

    # Approved together: one version, two PDFs.
    version = services.minutes_approve(minutes=minutes, by=official)
    assert set(version.pdfs.values_list("language", flat=True)) == {"sv", "fi"}
    publication = publishing.protocol_publish(minutes=minutes, by=official)

    sv_pdf, fi_pdf = pdf_text(version, "sv"), pdf_text(version, "fi")
    for words in ("Social- och hälsovårdsministeriet", "Österbottens välfärdsområde",
                  "1. Öppnande", "2. Ekonomi", "Servicenätet ses över.", "30.6.2027",
                  "Deltagare", "10.3.2027"):  # fmt: skip
        assert words in sv_pdf, words
    for words in ("Sosiaali- ja terveysministeriö", "Pohjanmaan hyvinvointialue",
                  "1. Avaus", "2. Talous", "Palveluverkko tarkistetaan.", "30.6.2027",
                  "Osallistujat", "10.3.2027"):  # fmt: skip
        assert words in fi_pdf, words
    assert "Sosiaali- ja terveysministeriö" not in sv_pdf and "Ekonomi" not in fi_pdf
    assert "Servicenätet" not in fi_pdf and "Pohjanmaan" not in sv_pdf

    # Two public pages, each wholly in its language, linked to each other.
    client.logout()
    sv_page = client.get(f"/sv/protocols/{publication.pk}/").content.decode()
    fi_page = client.get(f"/fi/protocols/{publication.pk}/").content.decode()
    assert "Ekonomin är i balans." in sv_page and "Talous on tasapainossa." not in sv_page
    assert "Talous on tasapainossa." in fi_page and "Ekonomin är i balans." not in fi_page
    assert "Österbottens välfärdsområde" in sv_page and "Pohjanmaan hyvinvointialue" in fi_page
    assert (
        f'<a href="/fi/protocols/{publication.pk}/" lang="fi" hreflang="fi" rel="alternate">'
        "Suomeksi</a>" in sv_page
    )
    assert (
        f'<a href="/sv/protocols/{publication.pk}/" lang="sv" hreflang="sv" rel="alternate">'
        "På svenska</a>" in fi_page
    )
    assert re.search(
        rf'<link rel="alternate" hreflang="sv" href="[^"]*/sv/protocols/{publication.pk}/"', fi_page
    )
    sv_file = client.get(f"/sv/protocols/{publication.pk}/protocol.pdf")
    fi_file = client.get(f"/fi/protocols/{publication.pk}/protocol.pdf")
    assert b"".join(sv_file.streaming_content) != b"".join(fi_file.streaming_content)
    assert "-sv.pdf" in sv_file["Content-Disposition"]

    # Search finds it by either language's words; a withdrawal takes both away.
    assert "Talous on tasapainossa" in publication.search_text
    assert "Ekonomin är i balans" in publication.search_text
    with django_capture_on_commit_callbacks(execute=True):  # the page cache is emptied
        publishing.protocol_withdraw(publication=publication, by=official, reason="Fel möte.")
    assert client.get(f"/sv/protocols/{publication.pk}/").status_code == 410
    assert client.get(f"/fi/protocols/{publication.pk}/protocol.pdf").status_code == 410


def test_approval_is_refused_while_the_translation_lacks_a_section(client, official):
    minutes = bilingual_minutes(official)
    opening, economy, item = fill_main(official, minutes)
    client.force_login(official)
    translate_in_editor(client, minutes, opening, economy, item, leave_out_body=True)
    services.minutes_send_for_review(minutes=minutes, by=official)

    with pytest.raises(ValidationError) as refused:
        services.minutes_approve(minutes=minutes, by=official)

    message = " ".join(refused.value.messages)
    assert "2. Ekonomi" in message and "1. Öppnande" not in message
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.IN_REVIEW
    assert not MinutesVersion.objects.filter(minutes=minutes, approved=True).exists()
    assert not ProtocolPDF.objects.filter(version__minutes=minutes, version__approved=True)

    # Through the page: the same words, nothing approved.
    response = client.post(
        f"/fi/workspace/minutes/{minutes.pk}/approve/", {"confirmed": "1"}, follow=True
    )
    assert "2. Ekonomi" in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.IN_REVIEW


def test_an_official_adds_the_other_language_to_a_finnish_region(client, official):
    negotiation = NegotiationFactory(region=region("lappi"), language="fi", chair=official)
    negotiation.agenda_items.create(position=1, title="Avaus")
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    assert not hasattr(minutes, "translation") or minutes.translation is None
    client.force_login(official)
    assert (
        "Also in Swedish"
        in client.get(f"/en/workspace/minutes/{minutes.pk}/edit/").content.decode()
    )
    response = client.post(f"/fi/workspace/minutes/{minutes.pk}/translation/")
    assert response.status_code == 302
    minutes = Minutes.objects.get(pk=minutes.pk)
    assert minutes.translation.language == "sv"
    page = client.get(f"/fi/workspace/minutes/{minutes.pk}/edit/").content.decode()
    assert 'name="tr-heading-' in page


def test_a_monolingual_version_is_frozen_as_before(official):
    negotiation = NegotiationFactory(region=region("lappi"), language="fi", chair=official)
    negotiation.agenda_items.create(position=1, title="Avaus")
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    version = services.minutes_send_for_review(minutes=minutes, by=official)
    assert "translation" not in version.snapshot
    with pytest.raises(ValidationError):
        protocols.protocol_request(version=version, language="sv")


def test_the_demo_publishes_ostrobothnia_in_both_languages(client):
    from django.core.management import call_command

    from minutes.models import Publication

    call_command("seed_demo")
    call_command("seed_demo")  # idempotent: the second run adds nothing
    publication = Publication.objects.get(
        region__slug="pohjanmaa", negotiation__round__year=timezone.localdate().year
    )
    assert translation.languages(publication.version.snapshot) == ["sv", "fi"]
    assert set(publication.version.pdfs.values_list("language", flat=True)) == {"sv", "fi"}
    page = client.get(f"/fi/protocols/{publication.pk}/").content.decode()
    assert "Neuvottelun avaus" in page and "På svenska" in page


def _upload(official, negotiation, language):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from negotiations import services as negotiation_services

    return negotiation_services.document_add(
        by=official, uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-1.7\n%%EOF\n"),
        max_bytes=10**6, negotiation=negotiation, language=language,
        title="Čoahkkáigeassu", kind="other", publicity="public",
    )  # fmt: skip


def test_a_sami_attachment_goes_with_laplands_protocol_marked_with_its_language(
    client, official, django_capture_on_commit_callbacks
):
    lapland = NegotiationFactory(region=region("lappi"), language="fi", chair=official)
    lapland.agenda_items.create(position=1, title="Avaus")
    _upload(official, lapland, "se")
    minutes = services.minutes_start(negotiation=lapland, by=official)
    services.minutes_send_for_review(minutes=minutes, by=official)
    services.minutes_approve(minutes=minutes, by=official)
    with django_capture_on_commit_callbacks(execute=True):
        publication = publishing.protocol_publish(minutes=minutes, by=official)
    page = client.get(f"/fi/protocols/{publication.pk}/").content.decode()
    assert '<span lang="se">Čoahkkáigeassu</span>' in page
    assert "pohjoissaame" in page and '<span lang="se">davvisámegiella</span>' in page

    elsewhere = NegotiationFactory(region=region("pohjanmaa"), language="sv", chair=official)
    with pytest.raises(ValidationError) as refused:
        _upload(official, elsewhere, "smn")
    assert "language" in refused.value.error_dict
    assert not elsewhere.documents.exists()
