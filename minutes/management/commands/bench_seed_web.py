"""Seed published protocols for make bench-web: years × all regions, with an attachment."""

from datetime import date, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from minutes import services
from minutes.services import publishing
from negotiations import services as negotiation_services
from negotiations.demo import demo_pdf
from negotiations.models import AgendaTemplate, Round
from regions.models import Organisation, Region, User

TEXT = (
    "Hyvinvointialueen talous ja palvelut käytiin läpi. Alue esitteli investointi"
    "suunnitelmansa ja toimet hoitoon pääsyn parantamiseksi. "
) * 6


class Command(BaseCommand):
    help = "Create published protocols for the web benchmark (idempotent per year)."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=10)

    def handle(self, *args, years, **options):
        official, _ = User.objects.get_or_create(
            username="bench.julkaisija",
            defaults={"organisation": Organisation.objects.get(code="STM")},
        )
        template = AgendaTemplate.objects.first()
        regions = list(Region.objects.order_by("pk"))
        pdf = demo_pdf("THL expert assessment")
        first_year = timezone.localdate().year - years
        created = 0
        for year in range(first_year, first_year + years):
            if Round.objects.filter(year=year, kind="region").exists():
                continue
            with transaction.atomic():
                round_ = negotiation_services.round_open(
                    by=official,
                    year=year,
                    kind="region",
                    material_deadline=date(year, 1, 15),
                    window_start=date(year, 2, 1),
                    window_end=date(year, 11, 30),
                    publication_target=date(year, 12, 31),
                    agenda_template=template,
                )
                for index, region in enumerate(regions):
                    start = timezone.make_aware(datetime(year, 2, 2, 9)) + timedelta(days=index)
                    negotiation = negotiation_services.negotiation_schedule(
                        round=round_, by=official, region=region, starts_at=start,
                        ends_at=start + timedelta(hours=3), chair=official,
                        place="Meritullinkatu 8, Helsinki",
                    )  # fmt: skip
                    negotiation_services.document_add(
                        by=official, uploaded_file=SimpleUploadedFile("thl.pdf", pdf),
                        max_bytes=10**6, negotiation=negotiation, kind="thl_assessment",
                        language=negotiation.language, title=f"THL {region.name_fi} {year}",
                        publicity="public",
                    )  # fmt: skip
                    minutes = services.minutes_start(negotiation=negotiation, by=official)
                    services.minutes_save_text(
                        minutes=minutes, by=official, expected_revision=minutes.revision,
                        participants="- Sanna Ministeri, STM",
                        sections={s.pk: TEXT for s in minutes.sections.all()},
                    )  # fmt: skip
                    services.minutes_send_for_review(minutes=minutes, by=official)
                    services.minutes_approve(minutes=minutes, by=official)
                    publishing.protocol_publish(minutes=minutes, by=official)
                    created += 1
        if connection.vendor == "postgresql":
            # Planner statistics as autovacuum keeps them on a running site; right after a
            # bulk load they are missing and the plans are those of an empty table.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(f"published protocols created: {created}")
