"""The archive package of a round: every published protocol, every version, whole.

A round with a corrected protocol (v2 published, v4 its correction; v1 and v3 were only
sent for review) and a withdrawn one, each with a public and a
ministry-internal attachment: the package has every file, each matches the manifest and
its row, every metadata file is valid against the shipped XSD and tells the version chain,
and nothing that is not public is in it."""

import hashlib
import io
import os
import shutil
import subprocess
import time
import uuid
import zipfile
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree

from minutes import services
from minutes.archive.metadata import NAMESPACE, SCHEMA_PATH
from minutes.archive.models import ArchiveExport
from minutes.archive.services import archive_request
from minutes.models import ProtocolPDF
from minutes.services import publishing
from negotiations import services as negotiation_services
from negotiations.models import Document
from steering.models import OutboxMessage
from tests.conftest import (
    broker_reachable,
    need_postgresql,
    need_service,
    start_worker,
    tasks_routed_to,
)
from tests.factories import NegotiationFactory, RegionStaffFactory, RoundFactory, region

Status = ArchiveExport.Status
NS = {"a": NAMESPACE}
CORRECTION_NOTE = "Talouden luvut korjattu."
REASON = "Pöytäkirjassa oli salassa pidettävä tieto."
SECRET_BYTES = b"%PDF-1.7\nsalainen ministerion muistio\n%%EOF\n"


def attach(official, negotiation, title, *, public, content=b"%PDF-1.7\n%%EOF\n"):
    return negotiation_services.document_add(
        by=official, uploaded_file=SimpleUploadedFile(f"{title}.pdf", content),
        max_bytes=10**6, negotiation=negotiation, language="fi", title=title,
        kind="thl_assessment" if public else "ministry_observations",
        publicity="public" if public else "internal",
    )  # fmt: skip


def approved(official, round_, slug):
    """Approved minutes of a negotiation of `round_` with one public and one internal
    attachment, its PDF rendered as the worker would."""
    negotiation = NegotiationFactory(round=round_, region=region(slug), chair=official)
    attach(
        official,
        negotiation,
        f"THL-arvio {slug}",
        public=True,
        content=b"%PDF-1.7\n" + slug.encode() * 9 + b"\n%%EOF\n",
    )
    attach(official, negotiation, f"Sisäinen {slug}", public=False, content=SECRET_BYTES)
    for position, title in enumerate(["Avaus", "Talous"], start=1):
        negotiation.agenda_items.create(position=position, title=title)
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    write(official, minutes, "Talous on tasapainossa.")
    services.minutes_send_for_review(minutes=minutes, by=official)
    return approve(official, minutes)


def write(official, minutes, text):
    minutes.refresh_from_db()
    services.minutes_save_text(
        minutes=minutes, by=official, expected_revision=minutes.revision,
        participants="- Sanna Ministeri, STM",
        sections={section.pk: text for section in minutes.sections.filter(heading="Talous")},
    )  # fmt: skip


def approve(official, minutes):
    version = services.minutes_approve(minutes=minutes, by=official)
    if ProtocolPDF.objects.get(version=version).status == ProtocolPDF.Status.QUEUED:
        from minutes.services import protocols

        protocols.protocol_render(version.pk, version.snapshot["language"])
    return version


def corrected_and_withdrawn_round(official):
    """Kainuu: v1 sent for review, v2 approved and published, v3 sent for review, v4
    approved and published as the correction. Lappi: v2 published, then withdrawn."""
    round_ = RoundFactory(created_by=official)
    first = approved(official, round_, "kainuu")
    publishing.protocol_publish(minutes=first.minutes, by=official)
    minutes = publishing.minutes_start_correction(minutes=first.minutes, by=official)
    write(official, minutes, "Talous on alijäämäinen.")
    services.minutes_send_for_review(minutes=minutes, by=official)
    minutes = services.minutes_start_revision(minutes=minutes, by=official)
    approve(official, minutes)
    publishing.protocol_publish(minutes=minutes, by=official, note=CORRECTION_NOTE)

    other = approved(official, round_, "lappi")
    withdrawn = publishing.protocol_publish(minutes=other.minutes, by=official)
    publishing.protocol_withdraw(publication=withdrawn, by=official, reason=REASON)
    return round_


def request_through_the_page(client, official, round_, capture):
    client.force_login(official)
    with capture(execute=True):
        response = client.post(f"/fi/workspace/rounds/{round_.pk}/archive/")
    export = ArchiveExport.objects.get(round=round_)
    assert response.status_code == 302
    assert response["Location"] == f"/fi/workspace/archive/{export.pk}/"
    export.refresh_from_db()
    return export


def package(client, export) -> zipfile.ZipFile:
    response = client.get(f"/fi/workspace/archive/{export.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert export.filename in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert len(data) == export.size
    assert hashlib.sha256(data).hexdigest() == export.sha256
    return zipfile.ZipFile(io.BytesIO(data))


def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def metadata_of(archive, top, identifier):
    return etree.fromstring(archive.read(f"{top}/protocols/{identifier}/metadata.xml"))


@pytest.mark.django_db
def test_the_package_of_a_round_with_a_correction_and_a_withdrawal_is_whole(
    client, official, eager_tasks, django_capture_on_commit_callbacks, tmp_path
):
    round_ = corrected_and_withdrawn_round(official)
    export = request_through_the_page(client, official, round_, django_capture_on_commit_callbacks)
    assert export.status == Status.READY, export.error
    assert (export.done, export.total) == (2, 2)
    archive = package(client, export)
    top = f"ohjausneuvottelut-{round_.year}-region-{export.pk}"
    kainuu, lappi = f"ON-{round_.year}-kainuu", f"ON-{round_.year}-lappi"

    names = set(archive.namelist())
    assert all(name.startswith(f"{top}/") for name in names)
    documents = {doc.title: doc for doc in Document.objects.filter(negotiation__round=round_)}
    public_k, public_l = documents["THL-arvio kainuu"], documents["THL-arvio lappi"]
    expected = {
        "manifest-sha256.txt",
        "protocol-metadata.xsd",
        f"protocols/{kainuu}/metadata.xml",
        f"protocols/{kainuu}/{kainuu}-v2.pdf",
        f"protocols/{kainuu}/{kainuu}-v4.pdf",
        f"protocols/{kainuu}/attachments/{public_k.pk}-thl-arvio-kainuu.pdf",
        f"protocols/{lappi}/metadata.xml",
        f"protocols/{lappi}/{lappi}-v2.pdf",
        f"protocols/{lappi}/attachments/{public_l.pk}-thl-arvio-lappi.pdf",
    }
    # Every file present, and nothing else: never v1 or v3 (only sent for review), never the
    # internal documents.
    assert names == {f"{top}/{name}" for name in expected}
    assert not any(SECRET_BYTES in archive.read(name) for name in names)

    # The manifest names every other file once, and each checksum is the file's.
    lines = archive.read(f"{top}/manifest-sha256.txt").decode().splitlines()
    manifest = dict(reversed(line.split("  ", 1)) for line in lines)
    assert set(manifest) == expected - {"manifest-sha256.txt"}
    for path, digest in manifest.items():
        assert hashlib.sha256(archive.read(f"{top}/{path}")).hexdigest() == digest, path
    # And each is the file the portal holds: the PDFs' and documents' recorded checksums.
    recorded = set(ProtocolPDF.objects.values_list("sha256", flat=True))
    for path, digest in manifest.items():
        if path.endswith(".pdf") and "/attachments/" not in path:
            assert digest in recorded, path
    assert manifest[f"protocols/{kainuu}/attachments/{public_k.pk}-thl-arvio-kainuu.pdf"] == (
        public_k.sha256
    )

    # The way the README says to check it.
    if shutil.which("sha256sum"):
        archive.extractall(tmp_path)
        check = subprocess.run(
            ["sha256sum", "--strict", "-c", "manifest-sha256.txt"],
            cwd=tmp_path / top, capture_output=True, text=True,
        )  # fmt: skip
        assert check.returncode == 0, check.stdout + check.stderr
        assert check.stdout.count(": OK") == len(expected) - 1

    # Every metadata file is valid against the schema shipped in the package itself.
    shipped = etree.XMLSchema(etree.fromstring(archive.read(f"{top}/protocol-metadata.xsd")))
    for identifier in (kainuu, lappi):
        document = metadata_of(archive, top, identifier)
        assert shipped.validate(document), shipped.error_log
        assert schema().validate(document), identifier

    corrected = metadata_of(archive, top, kainuu)
    assert corrected.findtext("a:identifier", namespaces=NS) == kainuu
    assert corrected.findtext("a:language", namespaces=NS) == "fi"
    assert corrected.find("a:title", NS).get("lang") == "fi"
    assert corrected.findtext("a:status", namespaces=NS) == "current"
    assert corrected.find("a:publicity", NS).get("level") == "public"
    parties = corrected.find("a:parties", NS)
    assert [m.get("code") for m in parties.findall("a:ministry", NS)] == ["STM", "VM", "SM"]
    assert parties.find("a:region", NS).get("code") == "kainuu"
    assert parties.findtext("a:region/a:name[@lang='sv']", namespaces=NS) == (
        region("kainuu").name_sv
    )
    versions = corrected.findall("a:versions/a:version", NS)
    assert [v.get("number") for v in versions] == ["2", "4"]
    assert versions[0].findtext("a:supersededBy", namespaces=NS) == "4"
    assert versions[0].findtext("a:supersededAt", namespaces=NS) == versions[1].findtext(
        "a:published", namespaces=NS
    )
    assert versions[1].findtext("a:correctionNote", namespaces=NS) == CORRECTION_NOTE
    assert corrected.findtext("a:dates/a:corrected", namespaces=NS) == versions[1].findtext(
        "a:published", namespaces=NS
    )
    # The attachment went public with v2 and stays with v4: one file, named by both.
    attachment = f"protocols/{kainuu}/attachments/{public_k.pk}-thl-arvio-kainuu.pdf"
    for version in versions:
        assert attachment in [ref.text for ref in version.findall("a:fileRef", NS)]
    files = {
        entry.findtext("a:path", namespaces=NS): entry.findtext("a:sha256", namespaces=NS)
        for entry in corrected.findall("a:files/a:file", NS)
    }
    assert files == {
        path: digest
        for path, digest in manifest.items()
        if path.startswith(f"protocols/{kainuu}/") and not path.endswith(".xml")
    }
    # Kept from the public: named with its ground, never with its title or file.
    (withheld,) = corrected.findall("a:withheld/a:document", NS)
    internal = documents["Sisäinen kainuu"]
    assert withheld.get("id") == str(internal.pk)
    assert withheld.find("a:publicity", NS).get("level") == "internal"
    assert withheld.findtext("a:publicity/a:legalGround/a:citation", namespaces=NS) == (
        internal.secrecy_ground.citation
    )
    raw = archive.read(f"{top}/protocols/{kainuu}/metadata.xml")
    assert raw.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    # Written as UTF-8, not as character references: the Swedish name reads as it is.
    assert "Sisäinen".encode() not in raw and region("kainuu").name_sv.encode() in raw

    gone = metadata_of(archive, top, lappi)
    assert gone.findtext("a:status", namespaces=NS) == "withdrawn"
    assert gone.find("a:dates/a:corrected", NS) is None
    assert gone.findtext("a:dates/a:withdrawn", namespaces=NS)
    assert gone.findtext("a:versions/a:version/a:withdrawalReason", namespaces=NS) == REASON

    # The status page offers the download, with the package's size and checksum.
    page = client.get(f"/fi/workspace/archive/{export.pk}/").content.decode()
    assert f"/fi/workspace/archive/{export.pk}/download/" in page
    assert export.sha256 in page
    assert "<progress" not in page


@pytest.mark.django_db
def test_a_round_with_nothing_published_is_refused_and_nothing_is_made(
    client, official, eager_tasks, django_capture_on_commit_callbacks
):
    round_ = RoundFactory(created_by=official)
    approved(official, round_, "kainuu")  # approved, never published
    with pytest.raises(ValidationError) as raised:
        archive_request(round=round_, by=official)
    assert raised.value.code == "nothing_published"

    client.force_login(official)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/fi/workspace/rounds/{round_.pk}/archive/", follow=True)
    assert response.redirect_chain[-1][0] == f"/fi/workspace/rounds/{round_.pk}/"
    assert 'class="alert alert-danger"' in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/workspace/rounds/{round_.pk}/archive/", follow=True)
    assert "there is nothing to archive; no package was made" in response.content.decode()
    assert not ArchiveExport.objects.exists()
    assert not OutboxMessage.objects.filter(task="minutes.build_archive").exists()


@pytest.mark.django_db
def test_a_second_request_finds_the_build_under_way(client, official):
    round_ = RoundFactory(created_by=official)
    version = approved(official, round_, "kainuu")
    publishing.protocol_publish(minutes=version.minutes, by=official)
    first = archive_request(round=round_, by=official)  # queued: no commit, no worker
    client.force_login(official)
    response = client.post(f"/fi/workspace/rounds/{round_.pk}/archive/")
    assert response["Location"] == f"/fi/workspace/archive/{first.pk}/"
    assert OutboxMessage.objects.filter(task="minutes.build_archive").count() == 1
    page = client.get(f"/en/workspace/archive/{first.pk}/").content.decode()
    assert "Waiting for its turn" in page and "/download/" not in page

    # While it runs, the page says how far it is and offers a refresh, not a download.
    ArchiveExport.objects.filter(pk=first.pk).update(status=Status.RUNNING, done=12, total=23)
    page = client.get(f"/en/workspace/archive/{first.pk}/").content.decode()
    assert "12 of 23 protocols" in page
    assert (
        '<progress class="w-100" aria-labelledby="archive-progress-label" max="23" value="12"'
        in page
    )
    assert f'href="/en/workspace/archive/{first.pk}/">Refresh' in page
    assert "/download/" not in page and "http-equiv" not in page
    # A build that stopped moving (its worker died) is failed and replaced.
    ArchiveExport.objects.filter(pk=first.pk).update(updated_at=first.updated_at.replace(year=2020))
    second = archive_request(round=round_, by=official)
    assert second != first
    first.refresh_from_db()
    assert first.status == Status.FAILED
    assert first.problems == [{"code": "stalled", "path": ""}]


@pytest.mark.django_db
def test_only_officials_see_or_download_archive_packages(
    client, official, administrator, eager_tasks, django_capture_on_commit_callbacks
):
    round_ = RoundFactory(created_by=official)
    version = approved(official, round_, "vantaa-kerava")
    publishing.protocol_publish(minutes=version.minutes, by=official)
    export = request_through_the_page(client, official, round_, django_capture_on_commit_callbacks)
    assert export.status == Status.READY, export.error
    pages = [
        f"/fi/workspace/rounds/{round_.pk}/archive/",
        f"/fi/workspace/archive/{export.pk}/",
        f"/fi/workspace/archive/{export.pk}/download/",
    ]
    dashboard = client.get(f"/fi/workspace/rounds/{round_.pk}/").content.decode()
    assert f'action="/fi/workspace/rounds/{round_.pk}/archive/"' in dashboard
    for path in pages:
        assert client.get(path).status_code == 200, path
    own_staff = RegionStaffFactory(region=region("vantaa-kerava"))
    for user in (own_staff, administrator):
        client.force_login(user)
        for path in pages:
            assert client.get(path).status_code == 404, (user, path)
        assert client.post(pages[0]).status_code == 404
    client.logout()
    # The public: the file does not exist; the pages ask to sign in, and show nothing.
    assert client.get(pages[2]).status_code == 404
    for path in pages[:2]:
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert ArchiveExport.objects.count() == 1


@pytest.mark.django_db
def test_a_missing_or_altered_source_file_fails_the_build_and_offers_nothing(
    client, official, eager_tasks, django_capture_on_commit_callbacks
):
    round_ = corrected_and_withdrawn_round(official)
    kainuu = round_.negotiations.get(region__slug="kainuu")
    public = kainuu.documents.get(publicity="public")
    with default_storage.open(public.file.name, "wb") as handle:
        handle.write(b"%PDF-1.7\nsomething else\n%%EOF\n")
    lost = ProtocolPDF.objects.get(version__minutes__negotiation__region__slug="lappi")
    default_storage.delete(lost.file.name)

    export = request_through_the_page(client, official, round_, django_capture_on_commit_callbacks)
    assert export.status == Status.FAILED
    assert not export.file and not export.sha256
    codes = sorted((item["code"], item["path"].rsplit("/", 1)[-1]) for item in export.problems)
    assert codes == [
        ("checksum", f"{public.pk}-thl-arvio-kainuu.pdf"),
        ("missing", f"ON-{round_.year}-lappi-v2.pdf"),
    ]
    page = client.get(f"/en/workspace/archive/{export.pk}/").content.decode()
    assert "The archive package could not be built" in page
    assert f"does not match its recorded checksum: protocols/ON-{round_.year}-kainuu/" in page
    assert f"File missing from storage: protocols/ON-{round_.year}-lappi/" in page
    assert "/download/" not in page
    assert client.get(f"/fi/workspace/archive/{export.pk}/download/").status_code == 404
    # Nothing half-made left in storage either.
    assert not default_storage.exists("archives")


# --- In object storage ------------------------------------------------------------------

BUCKET = "ohjausneuvottelut-archive-test"


@pytest.fixture
def s3_bucket(settings):
    """A real S3 server (moto) on localhost, as the portal's default storage."""
    import socket

    import boto3
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    keys = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="eu-north-1", **keys)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET, "endpoint_url": endpoint, "region_name": "eu-north-1",
                "access_key": "test", "secret_key": "test", "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }  # fmt: skip
    try:
        yield s3
    finally:
        server.stop()


@pytest.mark.django_db
def test_the_package_is_built_from_and_stored_in_object_storage(
    client, official, eager_tasks, django_capture_on_commit_callbacks, s3_bucket
):
    assert default_storage.__class__.__name__ == "S3Storage"
    round_ = RoundFactory(created_by=official)
    version = approved(official, round_, "kainuu")
    publishing.protocol_publish(minutes=version.minutes, by=official)
    export = request_through_the_page(client, official, round_, django_capture_on_commit_callbacks)
    assert export.status == Status.READY, export.error
    keys = [item["Key"] for item in s3_bucket.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert export.file.name in keys and export.file.name.startswith("archives/")
    archive = package(client, export)
    top = f"ohjausneuvottelut-{round_.year}-region-{export.pk}"
    assert schema().validate(metadata_of(archive, top, f"ON-{round_.year}-kainuu"))


# --- In a browser ----------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def browser():
    need_service("Chromium", Path(CHROMIUM).exists(), "apt-get install chromium")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        yield instance
        instance.close()
        from django.db import connections

        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_archive_pages_pass_axe(live_server, browser, client, eager_tasks):
    from axe_playwright_python.sync_playwright import Axe

    from tests.factories import OfficialFactory

    official = OfficialFactory()
    round_ = RoundFactory(created_by=official)
    version = approved(official, round_, "kainuu")
    publishing.protocol_publish(minutes=version.minutes, by=official)
    ready = archive_request(round=round_, by=official)  # committed: built at once
    ready.refresh_from_db()
    assert ready.status == Status.READY, ready.error
    failed = ArchiveExport.objects.create(
        round=round_, requested_by=official, status=Status.FAILED, total=1,
        problems=[{"code": "missing", "path": "protocols/ON-2030-kainuu/x.pdf", "detail": ""}],
    )  # fmt: skip
    running = ArchiveExport.objects.create(
        round=round_, requested_by=official, status=Status.RUNNING, done=0, total=1
    )
    client.force_login(official)
    context = browser.new_context()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value,
          "url": live_server.url}]
    )  # fmt: skip
    page = context.new_page()
    problems = []
    for language in ("fi", "sv", "en"):
        for path in (
            f"workspace/rounds/{round_.pk}/archive/",
            *(f"workspace/archive/{export.pk}/" for export in (ready, failed, running)),
        ):
            page.goto(f"{live_server.url}/{language}/{path}")
            result = Axe().run(page, options=WCAG)
            problems += [
                f"{page.url} {v['id']}: {[n['target'] for n in v['nodes']][:3]}"
                for v in result.response["violations"]
            ]
    context.close()
    assert not problems, problems


# --- Through a real worker ----------------------------------------------------------------


def worker_database_url() -> str:
    from django.db import connection

    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + quote(connection.settings_dict["NAME"])))


@pytest.fixture
def archive_worker(tmp_path, settings):
    need_postgresql()
    need_service(
        "Redis broker", broker_reachable("redis://", "rediss://"),
        "set CELERY_BROKER_URL to a running Redis",
    )  # fmt: skip
    media = tmp_path / "worker-media"
    media.mkdir()
    settings.MEDIA_ROOT = str(media)
    queue = f"test-archive-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": worker_database_url(), "MEDIA_ROOT": str(media),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    })  # fmt: skip
    log = tmp_path / "worker.log"
    with tasks_routed_to(queue):
        process = start_worker(queue=queue, hostname=queue, env=env, log_path=log)
        try:
            yield {"process": process, "log": log}
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_builds_the_package(client, archive_worker):
    from steering.celery import app
    from tests.factories import OfficialFactory

    official = OfficialFactory()
    # The record is made in-process; only the package goes through Redis to the worker.
    app.conf.task_always_eager = True
    try:
        round_ = corrected_and_withdrawn_round(official)
    finally:
        app.conf.task_always_eager = False
    client.force_login(official)
    response = client.post(f"/fi/workspace/rounds/{round_.pk}/archive/")
    assert response.status_code == 302
    export = ArchiveExport.objects.get(round=round_)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        export.refresh_from_db()
        if export.status in (Status.READY, Status.FAILED):
            break
        time.sleep(0.2)
    log = Path(archive_worker["log"]).read_text(errors="replace")
    assert export.status == Status.READY, f"{export.status} {export.error}\n{log}"
    assert OutboxMessage.objects.get(task="minutes.build_archive").status == "done"
    archive = package(client, export)
    top = f"ohjausneuvottelut-{round_.year}-region-{export.pk}"
    for identifier in (f"ON-{round_.year}-kainuu", f"ON-{round_.year}-lappi"):
        assert schema().validate(metadata_of(archive, top, identifier))
