"""Demo data: last year's round, closed (its minutes are written by minutes.demo), and this
year's round with most regions scheduled, agendas and some material."""

from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from regions.models import Publicity, Region, SecrecyGround, User

from . import default_agenda, services
from .models import AgendaTemplate, Document, Round

UNSCHEDULED = {"kainuu", "lappi", "keski-pohjanmaa", "pohjois-pohjanmaa", "ita-uusimaa"}
# Last year's round met these parties, so this year's follow-up has something to follow.
PREVIOUS_PARTIES = ["vantaa-kerava", "pohjanmaa", "etela-karjala"]
PLACE = "Sosiaali- ja terveysministeriö, Meritullinkatu 8, Helsinki"


def demo_pdf(text: str) -> bytes:
    """A small, valid one-page PDF, so that downloads open in any viewer."""
    stream = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def default_template() -> AgendaTemplate | None:
    """The shipped template (its follow-up and conclusions items carry their roles), or
    whichever an administrator left if it was renamed."""
    templates = AgendaTemplate.objects.order_by("pk")
    return templates.filter(name=default_agenda.NAME).first() or templates.first()


def seed() -> list[str]:
    return [*seed_previous(), *seed_current()]


@transaction.atomic
def seed_previous() -> list[str]:
    """Last year's round, met in spring and wholly in that year, so every date is past."""
    year = timezone.localdate().year - 1
    if Round.objects.filter(year=year, kind=Round.Kind.REGION).exists():
        return []
    stm = User.objects.get(username="stm.virkailija")
    window_start = weekday(date(year, 3, 16))
    round_ = services.round_open(
        by=stm,
        year=year,
        kind=Round.Kind.REGION,
        material_deadline=weekday(date(year, 3, 2)),
        window_start=window_start,
        window_end=date(year, 4, 30),
        comment_period_days=14,
        publication_target=date(year, 6, 15),
        agenda_template=default_template(),
    )
    regions = Region.objects.filter(slug__in=PREVIOUS_PARTIES).order_by("name_fi")
    for index, region in enumerate(regions):
        day = weekday(window_start + timedelta(days=7 * index))
        negotiation = services.negotiation_schedule(
            round=round_,
            by=stm,
            region=region,
            starts_at=_at(day, 9),
            ends_at=_at(day, 12),
            place=PLACE,
            chair=stm,
            secretary=None,
            officials=[stm],
            region_people=list(User.objects.filter(region=region)),
        )
        services.agenda_mark_ready(negotiation=negotiation, by=stm)
    return [f"round {round_} with {len(regions)} negotiations"]


@transaction.atomic
def seed_current() -> list[str]:
    today = timezone.localdate()
    if Round.objects.filter(year=today.year, kind=Round.Kind.REGION).exists():
        return []
    stm = User.objects.get(username="stm.virkailija")
    vm = User.objects.get(username="vm.virkailija")
    sm = User.objects.get(username="sm.virkailija")
    window_start = today - timedelta(days=14)
    round_ = services.round_open(
        by=stm,
        year=today.year,
        kind=Round.Kind.REGION,
        # The material is due a week before the first meeting, as in a real round; the
        # meetings themselves are partly held already, so that the minutes demo has some.
        material_deadline=window_start - timedelta(days=7),
        window_start=window_start,
        window_end=today + timedelta(days=60),
        comment_period_days=14,
        publication_target=today + timedelta(days=120),
        agenda_template=default_template(),
    )
    max_bytes = 10 * 1024 * 1024
    ground = SecrecyGround.objects.filter(active=True).order_by("pk").first()
    services.document_add(
        by=stm,
        uploaded_file=SimpleUploadedFile(
            "kuva-mittarit.csv",
            "mittari;alue;arvo\nhoitoon pääsy 7 pv;koko maa;61,2\n".encode(),
        ),
        max_bytes=max_bytes,
        round=round_,
        kind=Document.Kind.KUVA_INDICATORS,
        language="fi",
        title="KUVA-mittarit, koko maa",
        publicity=Publicity.REGION,
        secrecy_ground=ground,
    )
    regions = [r for r in Region.objects.order_by("name_fi") if r.slug not in UNSCHEDULED]
    chairs = [stm, vm, sm]
    day = round_.window_start
    for index, region in enumerate(regions):
        day = weekday(day)
        hour = 9 if index % 2 == 0 else 13
        chair = chairs[index % 3]
        staff = list(User.objects.filter(region=region))
        negotiation = services.negotiation_schedule(
            round=round_,
            by=stm,
            region=region,
            starts_at=_at(day, hour),
            ends_at=_at(day, hour + 3),
            material_deadline=day - timedelta(days=7),
            place=PLACE,
            video_link="https://video.example.fi/ohjausneuvottelu",
            chair=chair,
            secretary=None,
            officials=[chair],
            region_people=staff,
            others=[
                services.Person(
                    side="expert", name="Tiina Tutkija", title="erikoistutkija", organisation="THL"
                )
            ],
        )
        if hour == 13:
            day += timedelta(days=1)
        if index % 3 != 2:
            services.agenda_mark_ready(negotiation=negotiation, by=stm)
        if index % 2 == 0:
            item = negotiation.agenda_items.order_by("position")[2]
            services.document_add(
                by=stm,
                uploaded_file=SimpleUploadedFile(
                    "thl-arvio.pdf", demo_pdf(f"THL expert assessment: {region.name_en}")
                ),
                max_bytes=max_bytes,
                negotiation=negotiation,
                agenda_item=item,
                kind=Document.Kind.THL_ASSESSMENT,
                language=negotiation.language,
                title=f"THL:n asiantuntija-arvio: {region.name_fi}",
                publicity=Publicity.PUBLIC,
            )
        if staff and index % 4 == 0:
            services.document_add(
                by=staff[0],
                uploaded_file=SimpleUploadedFile(
                    "huomiot.pdf", demo_pdf(f"Observations of {region.name_en}")
                ),
                max_bytes=max_bytes,
                negotiation=negotiation,
                kind=Document.Kind.REGION_OBSERVATIONS,
                language=negotiation.language,
                title=f"{region.name_fi}: alueen huomiot",
                publicity=Publicity.REGION,
                secrecy_ground=ground,
            )
    return [f"round {round_} with {len(regions)} negotiations"]
