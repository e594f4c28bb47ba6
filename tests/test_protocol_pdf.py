"""Protocol PDFs: content, safety, idempotency, failures and access."""

import hashlib
import http.server
import io
import threading
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from minutes import services
from minutes.models import ProtocolPDF
from minutes.pdf import SafeURLFetcher, render_pdf
from minutes.services import protocols
from tests import factories
from tests.factories import NegotiationFactory, rendered_version
from tests.helpers import FI_SAMPLE, pdf_text

pytestmark = pytest.mark.django_db

SV_SAMPLE = "Välfärdsområdets ekonomi är på minus; åtgärder för år 2027 övervägs."


def test_approval_queues_the_render(official, eager_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version = factories.approved_version(official)
    assert ProtocolPDF.objects.get(version=version).status == ProtocolPDF.Status.DONE


def test_the_pdf_holds_the_whole_protocol_tagged(official):
    version = rendered_version(official, sections={"Talous": FI_SAMPLE})
    pdf = ProtocolPDF.objects.get(version=version)
    assert pdf.status == ProtocolPDF.Status.DONE
    text = pdf_text(pdf)
    assert "Vantaan ja Keravan hyvinvointialue" in text
    starts = version.minutes.negotiation.starts_at
    from django.utils import timezone

    assert timezone.localtime(starts).strftime("%-d.%-m.%Y") in text
    for heading in ("1. Avaus", "2. Talous", "3. Pelastustoimi"):
        assert heading in text
    assert FI_SAMPLE in text.replace("\n", " ")
    assert version.content_sha256 in text.replace("\n", "")
    assert " (" in text and "1 (" in text  # Finnish page numbering "1 (n)"
    with pdf.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # tagged
    assert root["/Lang"] == "fi"
    assert reader.metadata.title.endswith("Vantaan ja Keravan hyvinvointialue")
    assert pdf.pages == len(reader.pages)


def test_swedish_protocol_has_swedish_headings_and_letters(official):
    version = rendered_version(
        official, slug="pohjanmaa", language="sv", sections={"Talous": SV_SAMPLE}
    )
    text = pdf_text(ProtocolPDF.objects.get(version=version))
    assert "Österbottens välfärdsområde" in text
    assert SV_SAMPLE in text.replace("\n", " ")
    with ProtocolPDF.objects.get(version=version).file.open("rb") as handle:
        assert PdfReader(io.BytesIO(handle.read())).trailer["/Root"]["/Lang"] == "sv"


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    _Recorder.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def sockets_opened(monkeypatch):
    """Every outgoing connection attempt made during the test (the call still happens)."""
    import socket

    attempts = []
    original = socket.socket.connect

    def connect(self, address):
        attempts.append(address)
        return original(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return attempts


HOSTILE = [
    '<img src="file:///etc/passwd">',
    "<style>@import url(file:///etc/hostname);</style>",
    '<link rel="attachment" href="file:///etc/passwd">',
    '<iframe src="file:///etc/passwd"></iframe>',
]


def test_hostile_minutes_text_renders_without_reading_files_or_network(
    official, local_server, sockets_opened
):
    hostile = "\n\n".join(
        [*HOSTILE, f'<img src="{local_server}/x.png">', f"[linkki]({local_server}/y)"]
    )
    version = rendered_version(official, sections={"Talous": hostile + "\n\nTurvallinen teksti."})
    pdf = ProtocolPDF.objects.get(version=version)
    assert pdf.status == ProtocolPDF.Status.DONE
    text = pdf_text(pdf)
    assert "Turvallinen teksti." in text
    assert "root:" not in text
    assert _Recorder.hits == []
    assert sockets_opened == []


def test_the_fetcher_refuses_files_and_network_even_in_raw_html(local_server, sockets_opened):
    """The sanitiser removes such tags; this proves the second line of defence alone."""
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    raw = (
        '<html lang="fi"><head><title>t</title>'
        '<link rel="stylesheet" href="file:///etc/hostname">'
        f'<link rel="stylesheet" href="{local_server}/style.css">'
        f"<style>@import url({local_server}/import.css); "
        "body { background: url(file:///etc/passwd) }</style>"
        '<link rel="attachment" href="file:///etc/passwd"></head><body>'
        f'<img src="file:///etc/passwd"><img src="{local_server}/i.png">'
        '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ'
        'AAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==">'
        "<p>Näkyvä teksti</p></body></html>"
    )
    data, pages = render_pdf(raw, identifier="test")
    assert pages == 1
    assert _Recorder.hits == []
    assert sockets_opened == []
    reader = PdfReader(io.BytesIO(data))
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))
    assert b"root:x:0:0" not in data
    text = reader.pages[0].extract_text()
    assert "Näkyvä teksti" in text
    if hostname:
        assert hostname not in text


def test_the_fetcher_serves_only_our_static_files():
    fetcher = SafeURLFetcher()
    css = fetcher.fetch("https://portal-static.invalid/css/protocol.css")
    assert b"@page" in css.read()
    for url in (
        "https://portal-static.invalid/../../etc/passwd",
        "https://portal-static.invalid/css/../../settings.py",
        "file:///etc/passwd",
        "http://127.0.0.1/",
        "https://example.org/style.css",
        "ftp://example.org/x",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_same_version_twice_gives_one_file_and_the_same_checksum(official):
    version = rendered_version(official)
    pdf = ProtocolPDF.objects.get(version=version)
    first_sha, first_name = pdf.sha256, pdf.file.name
    assert protocols.protocol_render(version.pk, "fi") == "skipped"
    protocols.protocol_request(version=version)
    pdf.refresh_from_db()
    assert (pdf.sha256, pdf.file.name) == (first_sha, first_name)
    assert ProtocolPDF.objects.filter(version=version).count() == 1
    assert len(default_storage.listdir(str(Path(first_name).parent))[1]) == 1
    # Rendering the same content from scratch gives byte-identical output.
    with pdf.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == first_sha
    default_storage.delete(first_name)
    ProtocolPDF.objects.filter(pk=pdf.pk).update(status="queued", file="")
    assert protocols.protocol_render(version.pk, "fi") == "done"
    pdf.refresh_from_db()
    assert pdf.sha256 == first_sha


def test_transient_storage_error_is_retried_then_succeeds(official, settings, tmp_path):
    from minutes.tasks import render_protocol

    assert protocols.TransientStorageError in render_protocol.autoretry_for
    version = factories.approved_version(official)
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    blocker = media / "protocols"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(protocols.TransientStorageError):
        protocols.protocol_render(version.pk, "fi")
    pdf = ProtocolPDF.objects.get(version=version)
    assert pdf.status == ProtocolPDF.Status.QUEUED
    assert pdf.error
    blocker.unlink()
    assert protocols.protocol_render(version.pk, "fi") == "done"
    pdf.refresh_from_db()
    assert pdf.status == ProtocolPDF.Status.DONE and pdf.attempts == 2


def test_template_error_fails_once_with_the_reason_shown(client, official, settings):
    settings.PROTOCOL_TEMPLATE = "minutes/no-such-template.html"
    version = factories.approved_version(official)
    assert protocols.protocol_render(version.pk, "fi") == "failed"
    pdf = ProtocolPDF.objects.get(version=version)
    assert pdf.status == ProtocolPDF.Status.FAILED and pdf.attempts == 1
    assert "TemplateDoesNotExist" in pdf.error
    # Not retried by the reconciler either: the same template would fail the same way.
    assert protocols.protocols_reconcile() == 0
    client.force_login(official)
    page = client.get(f"/fi/workspace/minutes/{version.minutes_id}/versions/{version.number}/")
    assert "TemplateDoesNotExist" in page.content.decode()
    assert 'action="/fi/workspace/minutes/' in page.content.decode()  # the retry button


def test_reconciler_requeues_a_render_that_died(
    official, settings, eager_tasks, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    version = rendered_version(official)
    pdf = ProtocolPDF.objects.get(version=version)
    default_storage.delete(pdf.file.name)
    long_ago = timezone.now() - timedelta(minutes=settings.PROTOCOL_RENDER_STALE_MINUTES + 1)
    # What a SIGKILLed worker leaves behind: "rendering", no file.
    ProtocolPDF.objects.filter(pk=pdf.pk).update(
        status="rendering", file="", started_at=long_ago, requested_at=long_ago
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert protocols.protocols_reconcile() == 1
    pdf.refresh_from_db()
    assert pdf.status == ProtocolPDF.Status.DONE and default_storage.exists(pdf.file.name)
    assert protocols.protocols_reconcile() == 0


def test_a_running_render_is_not_started_twice(official):
    version = factories.approved_version(official)
    from django.utils import timezone

    ProtocolPDF.objects.filter(version=version).update(
        status="rendering", started_at=timezone.now()
    )
    assert protocols.protocol_render(version.pk, "fi") == "skipped"
    assert protocols.protocols_reconcile() == 0
    assert ProtocolPDF.objects.filter(version=version).count() == 1


def test_bad_requests_end_quietly(official):
    version = rendered_version(official)
    assert protocols.protocol_render(version.pk + 1000, "fi") == "missing"
    assert protocols.protocol_render(version.pk, "sv") == "wrong_language"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        protocols.protocol_request(version=version, language="sv")
    assert ProtocolPDF.objects.filter(version=version, language="sv").count() == 0


@pytest.mark.parametrize(
    "html",
    [
        "<table>" + "<tr><td>x</td></tr>" * 1_000_000 + "</table>",
        "<ul><li>" * 5_000 + "syvä" + "</li></ul>" * 5_000,
    ],
    ids=["million-row-table", "5000-nested-elements"],
)
def test_hostile_sizes_fail_that_render_only(official, html):
    """Such text cannot be saved through the form (sections have a length limit), so the
    frozen version is written directly, as a compromised or buggy writer might."""
    from minutes.models import MinutesVersion

    version = factories.approved_version(official)
    snapshot = {**version.snapshot, "sections": [{**version.snapshot["sections"][0], "html": html}]}
    hostile = MinutesVersion.objects.create(
        minutes=version.minutes,
        number=version.number + 1,
        snapshot=snapshot,
        content_sha256="0" * 64,
        created_by=official,
    )
    assert protocols.protocol_render(hostile.pk, "fi") == "failed"
    pdf = ProtocolPDF.objects.get(version=hostile)
    assert pdf.status == ProtocolPDF.Status.FAILED
    assert "limit" in pdf.error
    # The next protocol renders as usual.
    assert protocols.protocol_render(version.pk, "fi") == "done"


def test_draft_pdf_is_marked_and_only_for_the_two_sides(client, official, staff_a, staff_b):
    negotiation = NegotiationFactory(chair=official)
    negotiation.agenda_items.create(position=1, title="Talous")
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    version = services.minutes_send_for_review(minutes=minutes, by=official)
    client.force_login(official)
    base = f"/fi/workspace/minutes/{minutes.pk}/versions/{version.number}/"
    from minutes.tasks import render_protocol

    client.post(f"{base}render/")
    pdf = ProtocolPDF.objects.get(version=version)
    if pdf.status != "done":  # not eager on the service run: render here, as a worker would
        render_protocol.apply(args=(version.pk, "fi"))
        pdf.refresh_from_db()
    assert "LUONNOS" in pdf_text(pdf)
    response = client.get(f"{base}protocol.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["ETag"] == f'"{pdf.sha256}"'
    assert "no-cache" in response["Cache-Control"]
    assert client.get(f"{base}protocol.pdf", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    client.force_login(staff_a)
    assert client.get(f"{base}protocol.pdf").status_code == 200
    client.force_login(staff_b)
    assert client.get(f"{base}protocol.pdf").status_code == 404
    assert client.post(f"{base}render/").status_code == 404
    client.logout()
    assert client.get(f"{base}protocol.pdf").status_code == 302
    assert client.get(f"/media/{pdf.file.name}").status_code == 404


def test_the_pdf_names_the_issuing_ministries_and_who_approved(official):
    """Both are read lazily (only the PDF shows them): they must still be there."""
    version = rendered_version(official)
    text = " ".join(pdf_text(ProtocolPDF.objects.get(version=version)).split())
    assert "Sosiaali- ja terveysministeriö" in text and "Valtiovarainministeriö" in text
    assert str(official) in text
