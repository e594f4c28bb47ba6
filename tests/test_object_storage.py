"""Media in an S3-compatible object store: a real S3 server (moto) on localhost."""

import io
import socket

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from minutes.models import ProtocolPDF
from minutes.services import protocols
from negotiations import services as negotiation_services
from tests.factories import NegotiationFactory, approved_version

pytestmark = pytest.mark.django_db
BUCKET = "ohjausneuvottelut-test"


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="eu-north-1",
    ).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    yield endpoint
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "eu-north-1",
                "access_key": "test",
                "secret_key": "test",
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }
    assert default_storage.__class__.__name__ == "S3Storage"
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="eu-north-1",
    )


def bucket_keys(client):
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_protocol_pdf_is_stored_in_and_served_from_the_bucket(client, official, s3_storage):
    version = approved_version(official, render=True)
    pdf = ProtocolPDF.objects.get(version=version)
    assert pdf.status == ProtocolPDF.Status.DONE
    assert pdf.file.name in bucket_keys(s3_storage)
    assert pdf.file.name.startswith("protocols/")
    # The same render twice: still one object.
    assert protocols.protocol_render(version.pk, "fi") == "skipped"
    assert len([k for k in bucket_keys(s3_storage) if k.startswith("protocols/")]) == 1
    client.force_login(official)
    url = f"/fi/workspace/minutes/{version.minutes_id}/versions/{version.number}/protocol.pdf"
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert PdfReader(io.BytesIO(body)).pages
    assert response["ETag"] == f'"{pdf.sha256}"'


def test_uploaded_material_goes_to_the_bucket_and_back(client, official, s3_storage):
    negotiation = NegotiationFactory()
    content = b"%PDF-1.7\n%%EOF\n"
    document = negotiation_services.document_add(
        by=official,
        uploaded_file=SimpleUploadedFile("arvio.pdf", content),
        max_bytes=10**6,
        negotiation=negotiation,
        kind="thl_assessment",
        language="fi",
        title="THL-arvio",
    )
    assert document.file.name in bucket_keys(s3_storage)
    client.force_login(official)
    response = client.get(f"/fi/workspace/documents/{document.pk}/")
    assert b"".join(response.streaming_content) == content
    negotiation_services.document_delete(document=document, by=official)
    assert document.file.name not in bucket_keys(s3_storage)


def test_bucket_setting_switches_the_backend():
    from tests.conftest import run_python

    result = run_python(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.STORAGES['default']['BACKEND'], s.STORAGES['default']['OPTIONS']['bucket_name'])",
        {"S3_BUCKET": "poytakirjat", "S3_ENDPOINT_URL": "https://s3.example.fi"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["storages.backends.s3.S3Storage", "poytakirjat"]
