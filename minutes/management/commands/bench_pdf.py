"""make bench-pdf: how fast a protocol renders, against bare WeasyPrint on the same machine.

Prints figures, never asserts them: timings belong in a benchmark, not in tests.
"""

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand
from django.db import transaction

PARAGRAPH = (
    "Hyvinvointialueen talouden tasapainottaminen etenee, mutta alijäämän kattaminen "
    "vaatii vielä toimia. Alue on käynnistänyt palveluverkon uudistuksen ja arvioi "
    "ostopalvelujen kustannuksia; ministeriöt pitävät suuntaa oikeana ja pyytävät "
    "seurantatietoa puolivuosittain. Hoitoon pääsy on parantunut, ja päivystyksen "
    "kuormitus on vähentynyt erityisesti iltaisin ja viikonloppuisin."
)
TABLE = "\n\n| Mittari | 2025 | 2026 |\n|---|---|---|\n" + "".join(
    f"| Mittari {i} | {50 + i} | {52 + i} |\n" for i in range(8)
)


def full_section(size: int, kind: str = "text") -> str:
    """A section exactly `size` characters long: ordinary paragraphs, or (kind "table")
    one long table, the slowest thing to lay out that the markup allows."""
    if kind == "table":
        rows = "".join(f"| Mittari {i} | {i % 97} | {i % 89} |\n" for i in range(size // 20))
        text = "| Mittari | 2025 | 2026 |\n|---|---|---|\n" + rows
        return text[: text.rfind("\n", 0, size) + 1]
    if kind == "mixed":  # each section's share of the table-row limit, then paragraphs
        share = settings.PROTOCOL_LIMITS["table_rows"] // sections_at_limit() - 1
        table = full_section(20 * share + 40, "table")
        return table + "\n" + full_section(size - len(table) - 1)
    text = "\n\n".join([PARAGRAPH] * (size // (len(PARAGRAPH) + 2) + 1))
    return text[:size]


def sections_at_limit() -> int:
    """How many full sections the total limit allows."""
    return settings.PROTOCOL_TOTAL_MAX_CHARACTERS // settings.PROTOCOL_SECTION_MAX_CHARACTERS


def typical_sections() -> dict[str, str]:
    return {f"{i}": "\n\n".join([PARAGRAPH] * 5) + (TABLE if i % 3 == 0 else "") for i in range(9)}


class Command(BaseCommand):
    help = "Benchmark protocol PDF rendering (typical protocol ×20; a round of 23 via Celery)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument(
            "--largest",
            action="store_true",
            help="Time the largest protocol the forms allow (every section full), instead.",
        )

    def handle(self, *args, runs, largest, **options):
        from minutes.pdf import STATIC_PREFIX, protocol_html, render_pdf

        if largest:
            return self._largest(runs=min(runs, 3))

        version = self._typical_version(slug="vantaa-kerava")
        html = protocol_html(version, language="fi", draft=False)
        static_root = Path(finders.find("css/protocol.css")).parent.parent
        bare_html = html.replace(STATIC_PREFIX, static_root.as_uri() + "/")

        from weasyprint import HTML

        def ours():
            return render_pdf(html, identifier=version.content_sha256)

        def bare():
            document = HTML(string=bare_html).render(pdf_variant="pdf/ua-1", pdf_tags=True)
            return document.write_pdf(pdf_variant="pdf/ua-1"), len(document.pages)

        ours()
        bare()  # warm both: fonts and caches load once per process
        ours_times, bare_times = [], []
        for _ in range(runs):
            start = time.perf_counter()
            _data, pages = ours()
            ours_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            bare()
            bare_times.append(time.perf_counter() - start)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        ours_median, bare_median = statistics.median(ours_times), statistics.median(bare_times)
        self.stdout.write(f"typical protocol: {pages} pages, {len(html):,} characters of HTML")
        self.stdout.write(
            f"portal render: median {ours_median:.3f} s per protocol, "
            f"{ours_median / pages:.3f} s per page ({runs} runs)"
        )
        self.stdout.write(f"bare WeasyPrint, same HTML: median {bare_median:.3f} s")
        self.stdout.write(f"ratio portal / bare: {ours_median / bare_median:.2f}")
        self.stdout.write(f"peak memory (max RSS of this process): {peak_mb:.0f} MB")
        from django.db import connection

        if not settings.CELERY_BROKER_URL:
            self.stdout.write("round of 23 through Celery: skipped (no CELERY_BROKER_URL)")
        elif connection.vendor == "sqlite":
            self.stdout.write("round of 23 through Celery: skipped (needs PostgreSQL)")
        else:
            self._round_through_worker()

    def _largest(self, *, runs):
        """The input limits must let the largest allowed protocol render well inside the
        task's soft time limit: time it at the limits, and at the old ones for contrast."""
        from minutes.pdf import protocol_html, render_pdf

        limit = settings.PROTOCOL_SECTION_MAX_CHARACTERS
        sections = sections_at_limit()
        sizes = [int(arg) for arg in os.environ.get("BENCH_SECTION_SIZES", "").split(",") if arg]
        kind = os.environ.get("BENCH_SECTION_KIND", "text")
        for size in sizes or [limit]:
            text = full_section(size, kind)
            # A round year of its own for each run, so that no earlier protocol is reused.
            from negotiations.models import Round

            year = 2050 + Round.objects.filter(year__gte=2050, year__lt=2099).count()
            version = self._typical_version(slug="lappi", year=year, texts=[text] * sections)
            html = protocol_html(version, language="fi", draft=False)
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                _data, pages = render_pdf(html, identifier=version.content_sha256)
                times.append(time.perf_counter() - start)
            self.stdout.write(
                f"{sections} sections x {len(text):,} characters of {kind}: {pages} pages, "
                f"worst {max(times):.1f} s, median {statistics.median(times):.1f} s "
                f"({runs} runs; soft limit {settings.CELERY_TASK_SOFT_TIME_LIMIT} s)"
            )

    def _typical_version(self, *, slug, year=2099, texts=None):
        from minutes import services
        from minutes.models import Minutes
        from negotiations import services as negotiation_services
        from negotiations.models import Round
        from regions.models import Region, User

        region = Region.objects.get(slug=slug)
        existing = Minutes.objects.filter(
            negotiation__region=region,
            negotiation__round__year=year,
            status=Minutes.Status.APPROVED,
        ).first()
        if existing:
            return existing.versions.get(approved=True)
        from regions.models import Organisation

        official, _ = User.objects.get_or_create(
            username="bench.virkailija",
            defaults={
                "organisation": Organisation.objects.get(code="STM"),
                "first_name": "Bench",
                "last_name": "Official",
            },
        )
        from datetime import date, datetime, timedelta

        from django.utils import timezone

        from negotiations.models import AgendaTemplate

        with transaction.atomic():
            round_, _ = Round.objects.get_or_create(
                year=year,
                kind="region",
                defaults={
                    "material_deadline": date(year, 1, 10),
                    "window_start": date(year, 1, 1),
                    "window_end": date(year, 12, 31),
                    "publication_target": date(year, 12, 31),
                    "agenda_template": AgendaTemplate.objects.first(),
                    "created_by": official,
                },
            )
            index = list(Region.objects.order_by("pk")).index(region)
            start = timezone.make_aware(datetime(year, 2, 1, 9)) + timedelta(days=index)
            negotiation = negotiation_services.negotiation_schedule(
                round=round_,
                by=official,
                region=region,
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                chair=official,
                place="Meritullinkatu 8, Helsinki",
                language="fi",
            )
            if texts:
                for position in range(negotiation.agenda_items.count() + 1, len(texts) + 1):
                    negotiation.agenda_items.create(position=position, title=f"Asia {position}")
            minutes = services.minutes_start(negotiation=negotiation, by=official)
            texts = texts or list(typical_sections().values())
            services.minutes_save_text(
                minutes=minutes,
                by=official,
                expected_revision=minutes.revision,
                participants="\n".join(f"- Osallistuja {i}, asiantuntija" for i in range(12)),
                sections={
                    s.pk: texts[i % len(texts)]
                    for i, s in enumerate(minutes.sections.order_by("position"))
                },
            )
            services.minutes_send_for_review(minutes=minutes, by=official)
            return services.minutes_approve(minutes=minutes, by=official)

    def _round_through_worker(self):
        from minutes.models import ProtocolPDF
        from regions.models import Region

        env = {**os.environ, "WORKER_MEMORY_LIMIT_MB": "3072"}
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "steering", "worker", "--concurrency", "2",
             "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
            env=env,
        )  # fmt: skip
        try:
            time.sleep(3)
            versions = [self._typical_version(slug=r.slug) for r in Region.objects.order_by("pk")]
            ProtocolPDF.objects.filter(version__in=versions).delete()
            from minutes.tasks import render_protocol

            start = time.perf_counter()
            for version in versions:
                render_protocol.delay(version.pk, "fi")
            deadline = start + 300
            while time.perf_counter() < deadline:
                done = ProtocolPDF.objects.filter(
                    version__in=versions, status=ProtocolPDF.Status.DONE
                ).count()
                if done == len(versions):
                    break
                time.sleep(0.2)
            wall = time.perf_counter() - start
            self.stdout.write(
                f"round of {len(versions)} through Celery (2 worker processes over Redis): "
                f"{done} rendered in {wall:.1f} s"
            )
        finally:
            worker.terminate()
            worker.wait(timeout=30)
