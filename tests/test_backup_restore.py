"""Backup and restore as the README says it: a dump and a media archive, restored into an
empty database and an empty folder, give back every published record whole."""

import hashlib
import json
import os
import subprocess
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from minutes.models import ProtocolPDF, Publication
from minutes.selectors import document_id, version_attachments
from minutes.services import publishing
from tests.conftest import need_postgresql, run_python
from tests.factories import OfficialFactory, attach, published, revised

VERIFY = "from django.core.management import execute_from_command_line\n" + (
    "execute_from_command_line(['manage.py', 'verify_records'])"
)
MATERIAL = [{"title": "THL-arvio julkinen"}, {"title": "Sisäinen huomio", "public": False}]


def database_url(name: str) -> str:
    """DATABASE_URL with another database name on the same server."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + quote(name)))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def records(url: str) -> dict:
    """Each publication's PDF and public attachments as the database at `url` records them."""
    with psycopg.connect(url) as db:
        pdfs = db.execute(
            "SELECT p.id, f.file, f.sha256 FROM minutes_publication p JOIN minutes_protocolpdf f"
            " ON f.version_id = p.version_id AND f.language = p.language ORDER BY p.id"
        ).fetchall()
        documents = db.execute(
            "SELECT id, file, sha256 FROM negotiations_document ORDER BY id"
        ).fetchall()
    return {"pdfs": pdfs, "documents": documents}


def make_published_record(official) -> list[Publication]:
    """Two regions' protocols, one of them corrected with a new attachment: three
    publications, each with its PDF; three public attachments, the correction carrying two
    (the first one's and its own), and one private document."""
    first = published(official, slug="vantaa-kerava", material=MATERIAL, render=True)
    swedish = published(
        official, slug="ita-uusimaa", language="sv", material=MATERIAL[:1], render=True
    )
    # Uploaded before the correction is approved, so it goes with the correction only.
    attach(official, first.negotiation, "Korjauksen liite")
    minutes = revised(official, first, "Talous korjattu.")
    correction = publishing.protocol_publish(minutes=minutes, by=official, note="Korjattu")
    return [first, swedish, correction]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restored_dump_and_media_archive_give_back_every_published_record(
    settings, tmp_path, eager_tasks
):
    # transaction=True: pg_dump, another connection, sees committed rows only. Eager
    # tasks: the PDFs are made here, not by a worker CI may not run for this test.
    need_postgresql()
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    publications = make_published_record(OfficialFactory())
    source_url = database_url(connection.settings_dict["NAME"])
    expected = records(source_url)
    public_documents = {
        document.pk for p in publications for document in version_attachments(p.version)
    }
    assert len(expected["pdfs"]) == 3 and len(public_documents) == 3
    for publication in publications:
        pdf = ProtocolPDF.objects.get(version=publication.version)
        assert pdf.status == ProtocolPDF.Status.DONE
        assert sha256(media / pdf.file.name) == pdf.sha256

    # Backup, in the README's order: the database first, then the media, so that every
    # file a row names is in the archive.
    backup = tmp_path / "backup"
    backup.mkdir()
    dump = backup / "steering.dump"
    subprocess.run(["pg_dump", "-Fc", "--no-owner", "-d", source_url, "-f", str(dump)], check=True)
    archive = backup / "media.tar.gz"
    subprocess.run(["tar", "-C", str(media), "-czf", str(archive), "."], check=True)

    # Restore into a new, empty database and an empty folder.
    restored_name = f"steering_backup_restored_{uuid.uuid4().hex[:12]}"
    restored_url = database_url(restored_name)
    restored_media = tmp_path / "restored-media"
    restored_media.mkdir()
    subprocess.run(
        ["createdb", "--maintenance-db", database_url("postgres"), restored_name], check=True
    )
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", restored_url, str(dump)],
            check=True,
        )
        subprocess.run(["tar", "-C", str(restored_media), "-xzf", str(archive)], check=True)

        # The restored rows are the same rows, and each names a restored file that is
        # byte for byte the one its checksum describes.
        assert records(restored_url) == expected
        for _pk, name, digest in expected["pdfs"] + expected["documents"]:
            assert sha256(restored_media / name) == digest

        verified = run_python(
            VERIFY, {"DATABASE_URL": restored_url, "MEDIA_ROOT": str(restored_media)}
        )
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert "3 published protocols, 3 whole, 4 public attachments checked" in verified.stdout

        # The command reads the restored folder it was given: without the media, it fails.
        empty = tmp_path / "no-media"
        empty.mkdir()
        unrestored = run_python(VERIFY, {"DATABASE_URL": restored_url, "MEDIA_ROOT": str(empty)})
        assert unrestored.returncode == 1, unrestored.stdout + unrestored.stderr
        assert "3 with problems" in unrestored.stdout
    finally:
        subprocess.run(
            ["dropdb", "--maintenance-db", database_url("postgres"), "--if-exists", restored_name],
            check=True,
        )


@pytest.mark.django_db
def test_verify_records_passes_on_whole_records(official, capsys):
    published(official, material=MATERIAL, render=True)
    call_command("verify_records")
    assert "1 published protocols, 1 whole, 1 public attachments checked" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize("damage", ["missing", "altered"])
def test_verify_records_names_the_protocol_whose_pdf_is_missing_or_altered(
    official, settings, capsys, damage
):
    whole = published(official, slug="lappi", render=True)
    broken = published(official, material=MATERIAL, render=True)
    pdf = ProtocolPDF.objects.get(version=broken.version)
    path = Path(settings.MEDIA_ROOT) / pdf.file.name
    if damage == "missing":
        path.unlink()
    else:
        path.write_bytes(path.read_bytes() + b"\n% tampered\n")
    with pytest.raises(CommandError, match="1 published protocols are not whole"):
        call_command("verify_records")
    out, err = capsys.readouterr()
    assert "2 published protocols, 1 whole" in out
    assert document_id(broken.version) in err and f"publication {broken.pk} " in err
    assert document_id(whole.version) not in err
    assert ("PDF file missing" if damage == "missing" else "PDF checksum differs") in err


@pytest.mark.django_db
def test_verify_records_names_the_protocol_whose_attachment_is_missing(official, settings, capsys):
    publication = published(official, material=MATERIAL, render=True)
    (document,) = version_attachments(publication.version)
    (Path(settings.MEDIA_ROOT) / document.file.name).unlink()
    with pytest.raises(CommandError):
        call_command("verify_records")
    err = capsys.readouterr().err
    assert document_id(publication.version) in err
    assert f"attachment {document.pk} file missing" in err


@pytest.mark.django_db
def test_verify_records_names_the_protocol_whose_published_text_changed(official, capsys):
    publication = published(official, sections={"Talous": "Talous on tasapainossa."}, render=True)
    snapshot = publication.version.snapshot
    snapshot["participants"] = "Toisin sovittu."
    # Versions refuse every ORM write; a damaged restore does not ask.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE minutes_minutesversion SET snapshot = %s WHERE id = %s",
            [json.dumps(snapshot), publication.version_id],
        )
    with pytest.raises(CommandError):
        call_command("verify_records")
    err = capsys.readouterr().err
    assert document_id(publication.version) in err and "text differs from its checksum" in err
