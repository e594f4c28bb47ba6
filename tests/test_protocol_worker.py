"""A worker killed mid-render (SIGKILL) is healed without anyone noticing.

Proven with real processes on the real stack: a Celery worker (a subprocess on its own
queue, sharing this test's PostgreSQL database and media folder) starts rendering a long
protocol and is killed with SIGKILL. The row is left "rendering" with no file, held by a
process that no longer exists. The restarted worker sees that at its start (long before
the stale timeout), queues the render again and renders it, and there is still exactly one
row with exactly one intact PDF.

Skips on the embedded default (SQLite, eager Celery); fails under REQUIRE_SERVICES=1.
"""

import base64
import hashlib
import json
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from minutes import services
from minutes.models import ProtocolPDF
from steering.celery import app
from tests.conftest import (
    broker_reachable,
    need_postgresql,
    need_service,
    start_worker,
    tasks_routed_to,
)
from tests.factories import NegotiationFactory, OfficialFactory

pytestmark = pytest.mark.services

Status = ProtocolPDF.Status

SECTIONS = 9
# Several seconds of WeasyPrint work (~29,000 characters a section, within the form's
# limit): long enough to be caught mid-render, well under the task's 60 s soft limit.
PARAGRAPHS_PER_SECTION = 170
PARAGRAPH = (
    "Kohta {section}.{number}: alue esitti talouden ja henkilöstön tilannekuvan, ja "
    "ministeriöt kysyivät palveluverkon muutosten vaikutuksista palvelujen saatavuuteen, "
    "kustannuksiin ja valmiussuunnitteluun."
)


def worker_database_url() -> str:
    """DATABASE_URL, pointed at the test database pytest-django created."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + quote(connection.settings_dict["NAME"])))


def unacked_messages(queue: str) -> dict[str, dict]:
    """The messages a worker took from this queue and never acknowledged, by delivery tag."""
    with app.connection_for_write() as conn:
        channel = conn.default_channel
        found = {}
        for tag, raw in channel.client.hgetall(channel.unacked_key).items():
            payload, exchange, routing_key = json.loads(raw)
            if queue in (exchange, routing_key):
                found[tag.decode() if isinstance(tag, bytes) else tag] = payload
        return found


def redeliver(tag: str) -> None:
    """Put an unacknowledged message back on its queue, as the Redis transport does once
    the visibility timeout (an hour by default) has passed."""
    with app.connection_for_write() as conn:
        conn.default_channel.qos.restore_by_tag(tag)


def drop_leftover_messages(queue: str) -> None:
    """Remove what this test's workers left in Redis (a killed worker's message would
    otherwise be restored, an hour later, into a queue nobody reads)."""
    with app.connection_for_write() as conn:
        channel = conn.default_channel
        client = channel.client
        bindings = [channel.keyprefix_queue % queue]
        permanent = getattr(channel, "keyprefix_binding_permanent", None)  # newer kombu
        if permanent:
            bindings.append(permanent % queue)
        client.delete(queue, *bindings)
        for tag in unacked_messages(queue):
            client.zrem(channel.unacked_index_key, tag)
            client.hdel(channel.unacked_key, tag)


@pytest.fixture
def worker_queue():
    """A queue of this test's own; tasks queued by the services go there meanwhile."""
    need_postgresql()
    redis = broker_reachable("redis://", "rediss://")
    need_service("Redis broker", redis, "set CELERY_BROKER_URL to a running Redis")
    queue = f"test-protocol-{uuid.uuid4().hex[:8]}"
    try:
        with tasks_routed_to(queue):
            yield queue
    finally:
        drop_leftover_messages(queue)


class Workers:
    """Celery workers started as subprocesses, each with its own log file."""

    def __init__(self, queue: str, log_dir: Path):
        self.queue, self.log_dir = queue, log_dir
        self.started: list[tuple[subprocess.Popen, Path]] = []

    def start(self, name: str, *, media_root: Path, **environment: str) -> subprocess.Popen:
        env = dict(os.environ)
        env.pop("PROTOCOL_RENDER_STALE_MINUTES", None)
        env.update(
            {
                "DATABASE_URL": worker_database_url(),
                "MEDIA_ROOT": str(media_root),
                "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
                # What the worker queues itself (the reconciler at its start) stays here.
                "CELERY_TASK_DEFAULT_QUEUE": self.queue,
                **environment,
            }
        )
        log_path = self.log_dir / f"worker-{name}.log"
        process = start_worker(
            queue=self.queue, hostname=f"{self.queue}-{name}", env=env, log_path=log_path
        )
        self.started.append((process, log_path))
        return process

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name} (pid {process.pid}, exit {process.poll()}) ---\n"
            f"{path.read_text(errors='replace')}"
            for process, path in self.started
        )

    def stop_all(self) -> None:
        for process, _path in self.started:
            if process.poll() is None:
                process.terminate()
        for process, _path in self.started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def workers(worker_queue, tmp_path):
    log_dir = tmp_path / "worker-logs"
    log_dir.mkdir()
    started = Workers(worker_queue, log_dir)
    try:
        yield started
    finally:
        started.stop_all()


def approved_long_minutes(official):
    """Approve minutes with nine long sections through the services; the approval queues
    the protocol render (on commit, which in a transactional test is at once)."""
    negotiation = NegotiationFactory()
    for position in range(1, SECTIONS + 1):
        negotiation.agenda_items.create(position=position, title=f"Asia {position}")
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    bodies = {
        section.pk: "\n\n".join(
            PARAGRAPH.format(section=section.position, number=number)
            for number in range(1, PARAGRAPHS_PER_SECTION + 1)
        )
        for section in minutes.sections.all()
    }
    minutes = services.minutes_save_text(
        minutes=minutes,
        by=official,
        expected_revision=minutes.revision,
        participants="- Sosiaali- ja terveysministeriö\n- Vantaan ja Keravan hyvinvointialue",
        sections=bodies,
    )
    services.minutes_send_for_review(minutes=minutes, by=official)
    minutes = services.minutes_start_revision(minutes=minutes, by=official)
    return services.minutes_approve(minutes=minutes, by=official)


def wait_for(condition, *, timeout: float, interval: float = 0.05):
    """Poll until condition() returns something truthy; return it (or None on timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    return None


def stored_files(media: Path) -> list[Path]:
    return sorted(path for path in media.rglob("*") if path.is_file())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_render_is_healed_when_it_restarts(settings, tmp_path, workers):
    # transaction=True: the rows must be committed for the workers to see them.
    # serialized_rollback: reload the reference data the migrations loaded (regions,
    # organisations) in case an earlier transactional test's flush removed it.
    media = tmp_path / "worker-media"
    media.mkdir()
    settings.MEDIA_ROOT = str(media)
    settings.PROTOCOL_RENDER_STALE_MINUTES = 60
    # Nobody has to notice: the beat schedule runs the reconciler on its own.
    assert (
        settings.CELERY_BEAT_SCHEDULE["protocol-reconciler"]["task"]
        == "minutes.reconcile_protocols"
    )

    began = time.monotonic()
    version = approved_long_minutes(OfficialFactory())
    assert version.approved
    pdf = ProtocolPDF.objects.get(version=version)
    assert pdf.status == Status.QUEUED
    built = time.monotonic()

    # 1. A worker takes the render, and is killed in the middle of it.
    first = workers.start("first", media_root=media)

    def rendering():
        return ProtocolPDF.objects.filter(pk=pdf.pk, status=Status.RENDERING).exists()

    assert wait_for(rendering, timeout=60), (
        "the first worker never started rendering; row: "
        f"{ProtocolPDF.objects.filter(pk=pdf.pk).values().first()}\n{workers.logs()}"
    )
    caught = time.monotonic()
    assert first.poll() is None, "the first worker exited on its own:\n" + workers.logs()
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    killed = time.monotonic()
    assert first.returncode == -signal.SIGKILL, workers.logs()

    pdf.refresh_from_db()
    assert pdf.status == Status.RENDERING, (
        f"the render finished before the kill ({pdf.status}); make it longer\n{workers.logs()}"
    )
    assert pdf.attempts == 1
    assert pdf.started_at is not None
    assert not pdf.file
    assert pdf.sha256 == ""
    assert stored_files(media) == [], workers.logs()
    # acks_late: the killed worker's message is still unacknowledged, not lost.
    left = unacked_messages(workers.queue)
    assert len(left) == 1, left
    ((killed_tag, killed_message),) = left.items()
    assert killed_message["headers"]["task"] == "minutes.render_protocol"
    language = version.snapshot["language"]
    assert json.loads(base64.b64decode(killed_message["body"]))[0] == [version.pk, language]

    # 2. The worker is restarted. The stale timeout is an hour, so only knowing that the
    # row's worker is dead (its process is gone) lets the new worker take the render over
    # at its start, instead of an hour later.
    second = workers.start("second", media_root=media, PROTOCOL_RENDER_STALE_MINUTES="60")
    requeued = time.monotonic()

    def finished():
        row = ProtocolPDF.objects.filter(pk=pdf.pk).values("status").first()
        return row and row["status"] in (Status.DONE, Status.FAILED)

    wait_for(finished, timeout=90, interval=0.2)
    healed = time.monotonic()
    assert healed - requeued < 60, f"healed only after {healed - requeued:.0f}s"
    pdf.refresh_from_db()
    assert pdf.status == Status.DONE, (
        f"not healed: status {pdf.status}, error {pdf.error!r}\n{workers.logs()}"
    )
    assert second.poll() is None, "the second worker died:\n" + workers.logs()

    # Exactly one row and one intact file.
    assert ProtocolPDF.objects.filter(version=version).count() == 1
    assert pdf.attempts == 2
    assert pdf.error == ""
    assert pdf.finished_at is not None
    assert pdf.pages > 0
    assert pdf.file.name.startswith("protocols/")
    assert default_storage.exists(pdf.file.name)
    path = media / pdf.file.name
    assert stored_files(media) == [path], workers.logs()
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert pdf.size == len(data)
    assert pdf.sha256 == hashlib.sha256(data).hexdigest()

    # 3. The broker also redelivers the killed worker's message, later: rendering the same
    # version again must neither add a row or a file nor touch the finished one.
    redeliver(killed_tag)
    result = app.AsyncResult(killed_message["headers"]["id"])
    try:
        outcome = result.get(timeout=60)
    except Exception as error:
        pytest.fail(f"the redelivered render did not finish: {error!r}\n{workers.logs()}")
    assert outcome == "skipped", workers.logs()
    redelivered = time.monotonic()
    again = ProtocolPDF.objects.get(version=version)
    assert (again.pk, again.status, again.file.name, again.sha256, again.attempts) == (
        pdf.pk,
        Status.DONE,
        pdf.file.name,
        pdf.sha256,
        2,
    )
    assert stored_files(media) == [path]
    assert path.read_bytes() == data
    # The worker acknowledges just after storing the result.
    assert wait_for(lambda: not unacked_messages(workers.queue), timeout=10), workers.logs()

    print(
        f"\nprotocol worker timings: build {built - began:.1f}s, first worker to 'rendering' "
        f"{caught - built:.1f}s, kill {killed - caught:.2f}s, restart to done "
        f"{healed - requeued:.1f}s, redelivery {redelivered - healed:.2f}s; "
        f"{pdf.pages} pages, {pdf.size} bytes"
    )
