"""Protocol PDFs that cannot finish, go missing or lose their worker are never silent."""

import hashlib
import subprocess
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from minutes.forms import MinutesTextForm
from minutes.models import ProtocolPDF
from minutes.services import protocols, publishing
from tests.factories import approved_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The assertions read the English texts; pages and messages follow the language."""
    with translation.override("en"):
        yield


Status = ProtocolPDF.Status


def text_form(minutes, **sections):
    data = {"revision": minutes.revision, "participants": ""}
    for section in minutes.sections.all():
        data[f"section_{section.pk}"] = sections.get(section.heading, "")
    return MinutesTextForm(data, minutes=minutes)


def test_the_largest_protocol_of_the_old_limits_is_refused_in_words(official, settings):
    version = approved_version(official)
    minutes = version.minutes
    # 100,000 characters a section was allowed, and such protocols hit the time limit.
    form = text_form(minutes, Talous="a" * 100_000)
    assert not form.is_valid()
    (message,) = [m for errors in form.errors.values() for m in errors]
    assert "100000" in message and str(settings.PROTOCOL_SECTION_MAX_CHARACTERS) in message
    full = "b" * settings.PROTOCOL_SECTION_MAX_CHARACTERS
    assert text_form(minutes, Talous=full).is_valid()


def test_too_many_table_rows_are_refused_in_words(official, settings):
    minutes = approved_version(official).minutes
    rows = settings.PROTOCOL_LIMITS["table_rows"] // 2 + 5
    table = "| a | b |\n|---|---|\n" + "".join(f"| {i} | {i} |\n" for i in range(rows))
    form = text_form(minutes, Avaus=table, Talous=table)
    assert not form.is_valid()
    assert "rows" in " ".join(form.non_field_errors())


def test_the_limits_of_the_form_pass_the_worker_preflight(settings):
    """Whatever the form accepts the worker agrees to render: the HTML of a protocol at
    the form's limits is within PROTOCOL_LIMITS."""
    from minutes.markup import render_markup
    from minutes.pdf import preflight

    section = "Kohta. " * (settings.PROTOCOL_SECTION_MAX_CHARACTERS // 7)
    count = settings.PROTOCOL_TOTAL_MAX_CHARACTERS // len(section)
    snapshot = {
        "participants_html": "",
        "conclusions_html": "",
        "sections": [{"html": render_markup(section)} for _ in range(count)],
    }
    preflight(snapshot)


def fail(version):
    ProtocolPDF.objects.filter(version=version).update(
        status=Status.FAILED, error="Rendering took too long.", file="", sha256=""
    )


def test_a_failed_render_is_shown_to_officials_with_a_retry_never_as_being_made(
    client, official, staff_a, eager_tasks, django_capture_on_commit_callbacks
):
    version = approved_version(official)
    minutes = version.minutes
    publication = publishing.protocol_publish(minutes=minutes, by=official)
    fail(version)

    client.force_login(staff_a)
    page = client.get(reverse("minutes_detail", kwargs={"pk": minutes.pk})).content.decode()
    assert "Try making the PDF again" not in page
    client.logout()

    public = client.get(reverse("public_protocol", kwargs={"pk": publication.pk}))
    text = public.content.decode()
    assert "The PDF is being made." not in text
    assert "The PDF is not available yet." in text

    client.force_login(official)
    retry = reverse("protocol_render", kwargs={"pk": minutes.pk, "number": version.number})
    page = client.get(reverse("minutes_detail", kwargs={"pk": minutes.pk})).content.decode()
    assert "Try making the PDF again" in page and retry in page
    round_ = minutes.negotiation.round
    dashboard = client.get(reverse("round_dashboard", kwargs={"pk": round_.pk}))
    assert "The PDF failed" in dashboard.content.decode()
    assert retry in dashboard.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry)
    assert response.status_code == 302
    assert ProtocolPDF.objects.get(version=version).status == Status.DONE
    dashboard = client.get(reverse("round_dashboard", kwargs={"pk": round_.pk}))
    assert "The PDF failed" not in dashboard.content.decode()


def test_a_missing_file_is_rendered_again_byte_identical(
    official, settings, eager_tasks, django_capture_on_commit_callbacks
):
    version = approved_version(
        official, sections={"Talous": "Talous on alijäämäinen."}, render=True
    )
    pdf = ProtocolPDF.objects.get(version=version)
    with pdf.file.open("rb") as handle:
        original = handle.read()
    assert hashlib.sha256(original).hexdigest() == pdf.sha256
    default_storage.delete(pdf.file.name)

    with django_capture_on_commit_callbacks(execute=True):
        assert protocols.protocols_reconcile() == 1
    again = ProtocolPDF.objects.get(pk=pdf.pk)
    assert again.status == Status.DONE
    assert default_storage.exists(again.file.name)
    with again.file.open("rb") as handle:
        assert handle.read() == original
    assert again.sha256 == pdf.sha256 and again.checked_at is not None


def test_the_reconciler_checks_a_sample_oldest_first_and_the_command_all(
    official, settings, eager_tasks, django_capture_on_commit_callbacks, capsys
):
    settings.PROTOCOL_FILE_CHECKS_PER_RUN = 1
    first = ProtocolPDF.objects.get(version=approved_version(official, render=True))
    second = ProtocolPDF.objects.get(version=approved_version(official, slug="lappi", render=True))
    ProtocolPDF.objects.filter(pk=first.pk).update(checked_at=timezone.now())
    default_storage.delete(first.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        # Only the one checked longest ago (never: `second`) is looked at.
        assert protocols.protocols_reconcile() == 0
    second.refresh_from_db()
    assert second.checked_at is not None
    assert not default_storage.exists(first.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("check_protocol_files")
    assert "1 missing" in capsys.readouterr().out
    first.refresh_from_db()
    assert first.status == Status.DONE and default_storage.exists(first.file.name)


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_render_held_by_a_dead_worker_is_taken_over_not_skipped(official, settings):
    settings.PROTOCOL_RENDER_STALE_MINUTES = 60
    version = approved_version(official)
    import socket

    ProtocolPDF.objects.filter(version=version).update(
        status=Status.RENDERING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        worker=f"{socket.gethostname()}:{dead_pid()}",
        attempts=1,
    )
    assert protocols.protocol_render(version.pk, version.snapshot["language"]) == "done"
    assert ProtocolPDF.objects.get(version=version).attempts == 2


def test_a_render_whose_heartbeat_stopped_is_queued_again(
    official, settings, eager_tasks, django_capture_on_commit_callbacks
):
    settings.PROTOCOL_RENDER_STALE_MINUTES = 60
    version = approved_version(official)
    long_ago = timezone.now() - timedelta(minutes=2)
    ProtocolPDF.objects.filter(version=version).update(
        status=Status.RENDERING,
        started_at=long_ago,
        heartbeat_at=long_ago,
        worker="another-host:1",
        requested_at=long_ago,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert protocols.protocols_reconcile() == 1
    assert ProtocolPDF.objects.get(version=version).status == Status.DONE
