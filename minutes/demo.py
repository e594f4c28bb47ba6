"""Demo minutes over two years. Last year's round: published protocols whose outcome
items the ledger follows, with the regions' reports and the ministries' status changes.
This year's round: minutes in every state, with comments and answers, their follow-up
sections pre-filled with last year's open items, and one protocol that assesses them."""

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from negotiations import services as negotiation_services
from negotiations.models import AgendaRole, Negotiation, Round
from regions.models import Organisation, Topic, User

from . import record, services, translation
from .models import (
    ItemStatus,
    Minutes,
    OutcomeKind,
    ParticipantRole,
    Responsible,
    TrackedItem,
)
from .services import ledger, outcomes, publishing

TEXTS = {
    "fi": [
        "Puheenjohtaja avasi neuvottelun ja totesi osallistujat.",
        "Hyvinvointialueen talous on **alijäämäinen**. Alue esitteli "
        "tasapainottamisohjelman:\n\n- palveluverkon uudistus\n- ostopalvelujen kilpailutus",
        "THL:n asiantuntija-arvion mukaan hoitoon pääsy on parantunut.\n\n"
        "| Mittari | 2025 | 2026 |\n|---|---|---|\n| Hoitoon pääsy 7 pv (%) | 58 | 63 |",
    ],
    "sv": [
        "Ordföranden öppnade förhandlingen och konstaterade deltagarna.",
        "Välfärdsområdets ekonomi visar **underskott**. Området presenterade sitt "
        "balanseringsprogram:\n\n- reform av servicenätet\n"
        "- konkurrensutsättning av köpta tjänster",
        "Enligt THL:s expertbedömning har tillgången till vård förbättrats.",
    ],
}


CONCLUSIONS_TEXT = {
    "fi": "Neuvottelussa todettiin seuraavat johtopäätökset ja sovittiin jatkotoimenpiteistä.",
    "sv": "Vid förhandlingen konstaterades följande slutsatser och uppföljningsåtgärder.",
}

# Last year's outcome items, written in each region's language. Due dates: "autumn" is
# half a year after the meeting (long past, so an open item shows as overdue), "soon"
# two months from today (what the reminders are for).
# (key, kind, text, responsible, ministry code, due, topic's Finnish name)
PREVIOUS_ITEMS = {
    "vantaa-kerava": [
        ("vk-conclusion", OutcomeKind.CONCLUSION,
         "Hyvinvointialueen talouden tasapainottaminen etenee suunnitellusti.",
         Responsible.REGION, None, None, "Talous ja investoinnit"),
        ("vk-investments", OutcomeKind.FOLLOW_UP,
         "Alue päivittää investointisuunnitelmansa ja toimittaa sen valtiovarainministeriölle.",
         Responsible.REGION, None, "autumn", "Talous ja investoinnit"),
        ("vk-rescue", OutcomeKind.FOLLOW_UP,
         "Pelastustoimen palvelutasopäätös valmistellaan yhdessä sisäministeriön kanssa.",
         Responsible.BOTH, "SM", "soon", "Pelastustoimi"),
        ("vk-equality", OutcomeKind.RECOMMENDATION,
         "Suositetaan, että alue seuraa hoitoon pääsyä kunnittain ja väestöryhmittäin.",
         Responsible.REGION, None, None, "Yhdenvertaisuus"),
    ],
    "pohjanmaa": [
        ("po-conclusion", OutcomeKind.CONCLUSION,
         "Tillgången till tjänster på båda inhemska språken har tryggats.",
         Responsible.REGION, None, None, "Palvelujen saatavuus"),
        ("po-balance", OutcomeKind.FOLLOW_UP,
         "Området kompletterar sitt balanseringsprogram med en tidsplan för åtgärderna.",
         Responsible.REGION, None, "autumn", "Talous ja investoinnit"),
        ("po-staff", OutcomeKind.FOLLOW_UP,
         "Området och social- och hälsovårdsministeriet utreder hur personalbristen "
         "inom äldreomsorgen kan avhjälpas.",
         Responsible.BOTH, "STM", "soon", "Henkilöstön saatavuus ja osaaminen"),
        ("po-swedish", OutcomeKind.RECOMMENDATION,
         "Det rekommenderas att området följer upp tillgången till vård på svenska.",
         Responsible.REGION, None, None, "Yhdenvertaisuus"),
    ],
    "etela-karjala": [
        ("ek-conclusion", OutcomeKind.CONCLUSION,
         "Palvelujen kustannukset ovat kasvaneet maan keskiarvoa hitaammin.",
         Responsible.REGION, None, None, "Kustannusvaikuttavuus"),
        ("ek-data", OutcomeKind.FOLLOW_UP,
         "Alue ottaa käyttöön tietojohtamisen mittariston ja raportoi siitä ministeriöille.",
         Responsible.REGION, None, "autumn", "Digitalisaatio ja tiedolla johtaminen"),
        ("ek-guidance", OutcomeKind.RECOMMENDATION,
         "Sosiaali- ja terveysministeriö täsmentää kustannusvaikuttavuuden arviointiohjetta.",
         Responsible.MINISTRY, "STM", None, "Kustannusvaikuttavuus"),
    ],
}  # fmt: skip

# What happened to them over the year: the regions' reports, the ministries' status
# changes and one remark.
PREVIOUS_REPORTS = [
    ("vk-investments", "vantaa-kerava.alue",
     "Päivitetty investointisuunnitelma hyväksyttiin aluehallituksessa ja lähetettiin VM:lle."),
    ("vk-rescue", "vantaa-kerava.alue",
     "Palvelutasopäätöksen luonnos on lausunnolla; sisäministeriön kommentit on pyydetty."),
    ("po-balance", "pohjanmaa.alue",
     "Tidsplanen för balanseringsprogrammet godkändes av områdesstyrelsen i september."),
]  # fmt: skip
PREVIOUS_STATUSES = [
    ("vk-investments", ItemStatus.DONE),
    ("po-staff", ItemStatus.IN_PROGRESS),
]
PREVIOUS_REMARKS = [
    ("vk-rescue", "Sisäministeriö antaa kommenttinsa luonnokseen lokakuun loppuun mennessä."),
]

# This year's assessments of last year's items (keys as in PREVIOUS_ITEMS; an assessment
# is matched to its item by the text).
ASSESSMENTS = {
    "pohjanmaa": {
        "po-balance": (ItemStatus.DONE, "Tidsplanen har godkänts och följs upp i budgeten."),
        "po-staff": (ItemStatus.IN_PROGRESS, "Utredningen blir klar under våren."),
        "po-swedish": (ItemStatus.OPEN, "Uppföljningen har inte ännu inletts."),
    },
    "etela-karjala": {
        "ek-data": (ItemStatus.IN_PROGRESS, "Mittaristo on otettu käyttöön osittain."),
    },
}


def _conclusions(minutes: Minutes):
    return minutes.sections.filter(role=AgendaRole.CONCLUSIONS).order_by("position").first()


def _write(minutes: Minutes, by) -> None:
    texts = TEXTS[minutes.language]
    sections = {
        section.pk: texts[index] if index < len(texts) else ""
        for index, section in enumerate(minutes.sections.order_by("position"))
    }
    conclusions = _conclusions(minutes)
    if conclusions is not None:
        sections[conclusions.pk] = CONCLUSIONS_TEXT[minutes.language]
    services.minutes_save_text(
        minutes=minutes,
        by=by,
        expected_revision=minutes.revision,
        participants=minutes.participants,
        sections=sections,
    )
    _record(minutes)


# Who sat at the table in every demo negotiation (names made up): the chair and the
# secretary from the ministries, the region's director for part of the meeting.
DEMO_PEOPLE = [
    ("Sanna Esimerkki", "kansliapäällikkö", "STM", ParticipantRole.CHAIR, None, None, ""),
    ("Matti Malli", "neuvotteleva virkamies", "STM", ParticipantRole.SECRETARY, None, None, ""),
    ("Liisa Laskelma", "finanssineuvos", "VM", ParticipantRole.MEMBER, None, None, ""),
    ("Pekka Palo", "pelastusylijohtaja", "SM", ParticipantRole.MEMBER, None, None, "4"),
    ("Aino Alue", "hyvinvointialuejohtaja", None, ParticipantRole.MEMBER, time(9), time(11), ""),
]


def _record(minutes: Minutes) -> None:
    """Chair, secretary, attendance, the memorandum's date and a diary number, as an
    official would enter them in the editor."""
    negotiation = minutes.negotiation
    ministries = {o.code: o for o in Organisation.objects.all()}
    rows = [
        {
            "name": name, "title": title, "organisation": ministries.get(code),
            "region": negotiation.region if code is None else None, "other_organisation": "",
            "role": role, "present_from": start, "present_to": end, "items": items,
        }
        for name, title, code, role, start, end, items in DEMO_PEOPLE
    ]  # fmt: skip
    record.record_save(
        minutes=minutes,
        # Unique for each negotiation, in the Government's form.
        diary_number=f"VN/{10000 + negotiation.pk}/{negotiation.round.year}",
        memorandum_date=timezone.localtime(negotiation.starts_at).date(),
        participants=rows,
    )


def _draft(negotiation, by) -> Minutes:
    minutes = services.minutes_start(negotiation=negotiation, by=by)
    _write(minutes, by)
    conclusions = _conclusions(minutes)
    if conclusions is not None:
        outcomes.outcome_add(
            minutes=minutes,
            by=by,
            section=conclusions,
            kind=OutcomeKind.FOLLOW_UP,
            text="Investointisuunnitelma päivitetään ja toimitetaan ministeriöille."
            if minutes.language == "fi"
            else "Investeringsplanen uppdateras och lämnas till ministerierna.",
            responsible=Responsible.REGION,
        )
    return minutes


def _translate(minutes: Minutes, by) -> None:
    """Ostrobothnia's minutes also in Finnish, the other national language of the region."""
    translation.translation_start(minutes=minutes, by=by)
    minutes.refresh_from_db()
    texts = TEXTS[translation.other_language(minutes.language)]
    conclusions = _conclusions(minutes)
    saved = translation.translation_of(minutes).sections
    sections = {}
    for index, section in enumerate(minutes.sections.order_by("position")):
        body = texts[index] if index < len(texts) else ""
        if conclusions is not None and section.pk == conclusions.pk:
            body = CONCLUSIONS_TEXT["fi"]
        heading = saved.get(str(section.pk), {}).get("heading") or section.heading
        sections[section.pk] = {"heading": heading, "body": body if section.body else ""}
    items = {
        item.pk: "Investointisuunnitelma päivitetään ja toimitetaan ministeriöille."
        for item in minutes.items.all()
    }
    with transaction.atomic():
        translation.translation_save(
            minutes=minutes, participants=minutes.participants, sections=sections, items=items
        )


def _comment(version, staff, index, body):
    section = version.minutes.sections.order_by("position")[index]
    return services.comment_add(version=version, section=section, by=staff, body=body)


# --- Last year ------------------------------------------------------------------------------


def _previous_protocol(negotiation, by, specs) -> dict[str, int]:
    """Write, approve and publish one of last year's protocols; returns the outcome
    items' ids by their key in PREVIOUS_ITEMS."""
    minutes = services.minutes_start(negotiation=negotiation, by=by)
    _write(minutes, by)
    conclusions = _conclusions(minutes)
    held = timezone.localtime(negotiation.starts_at).date()
    due = {None: None, "autumn": held + timedelta(days=180)}
    due["soon"] = timezone.localdate() + timedelta(days=60)
    ministries = {o.code: o for o in Organisation.objects.filter(kind="ministry")}
    topics = {t.name_fi: t for t in Topic.objects.all()}
    made = {}
    for key, kind, text, responsible, ministry, when, topic in specs:
        made[key] = outcomes.outcome_add(
            minutes=minutes, by=by, section=conclusions, kind=kind, text=text,
            responsible=responsible, ministry=ministries.get(ministry), due_date=due[when],
            topic=topics.get(topic),
        ).pk  # fmt: skip
    services.minutes_send_for_review(minutes=minutes, by=by)
    services.minutes_approve(minutes=minutes, by=by)
    publishing.protocol_publish(minutes=minutes, by=by)
    return made


def _previous_ledger(made: dict[str, int], stm) -> None:
    """The year between the two rounds: reports, status changes and a remark."""
    tracked = {
        item.source_item_id: item
        for item in TrackedItem.objects.filter(source_item_id__in=made.values())
    }
    items = {key: tracked[pk] for key, pk in made.items() if pk in tracked}
    for key, username, text in PREVIOUS_REPORTS:
        if key in items:
            ledger.item_report(item=items[key], by=User.objects.get(username=username), text=text)
    for key, status in PREVIOUS_STATUSES:
        if key in items:
            ledger.item_set_status(item=items[key], by=stm, status=status)
    for key, text in PREVIOUS_REMARKS:
        if key in items:
            ledger.item_report(item=items[key], by=stm, text=text)


@transaction.atomic
def seed_previous() -> list[str]:
    """Last year's protocols, published, followed for a year, and the round closed."""
    round_ = Round.objects.filter(
        year=timezone.localdate().year - 1, kind=Round.Kind.REGION
    ).first()
    if round_ is None or Minutes.objects.filter(negotiation__round=round_).exists():
        return []
    stm = User.objects.get(username="stm.virkailija")
    made = {}
    negotiations = round_.negotiations.filter(region__slug__in=PREVIOUS_ITEMS).select_related(
        "region"
    )
    for negotiation in negotiations.order_by("starts_at"):
        made |= _previous_protocol(negotiation, stm, PREVIOUS_ITEMS[negotiation.region.slug])
    _previous_ledger(made, stm)
    if round_.is_open:
        negotiation_services.round_close(round=round_, by=stm)
    return [f"{len(negotiations)} published protocols of {round_}, followed in the ledger"]


# --- This year ------------------------------------------------------------------------------


def _assess(minutes: Minutes, by) -> None:
    """Record this year's view of last year's items pre-filled in the follow-up section."""
    wanted = ASSESSMENTS.get(minutes.negotiation.region.slug, {})
    keys = {text: key for items in PREVIOUS_ITEMS.values() for key, _kind, text, *_rest in items}
    for assessment in minutes.assessments.select_related("item"):
        key = keys.get(assessment.item.text)
        if key in wanted:
            status, text = wanted[key]
            outcomes.assessment_update(assessment=assessment, by=by, status=status, text=text)


@transaction.atomic
def seed_current() -> list[str]:
    round_ = Round.objects.filter(year=timezone.localdate().year, kind=Round.Kind.REGION).first()
    if round_ is None or Minutes.objects.filter(negotiation__round=round_).exists():
        return []
    stm = User.objects.get(username="stm.virkailija")
    held = {
        n.region.slug: n
        for n in Negotiation.objects.filter(round=round_, region__isnull=False).select_related(
            "region"
        )
    }
    made = []
    # Vantaa–Kerava: in review, with one comment answered and one waiting.
    if "vantaa-kerava" in held:
        staff = User.objects.get(username="vantaa-kerava.alue")
        minutes = _draft(held["vantaa-kerava"], stm)
        version = services.minutes_send_for_review(minutes=minutes, by=stm)
        first = _comment(version, staff, 1, "Alijäämä on pienentynyt; pyydämme mainitsemaan sen.")
        services.answer_add(comment=first, by=stm, decision="accepted")
        _comment(version, staff, 2, "Taulukon vuoden 2026 luku on ennakkotieto.")
        made.append("minutes in review")
    # Ostrobothnia (Swedish): last year's items assessed, reviewed, answered, revised,
    # approved and published, so the ledger shows what this protocol recorded.
    if "pohjanmaa" in held:
        staff = User.objects.get(username="pohjanmaa.alue")
        minutes = _draft(held["pohjanmaa"], stm)
        _translate(minutes, stm)
        _assess(minutes, stm)
        version = services.minutes_send_for_review(minutes=minutes, by=stm)
        comment = _comment(version, staff, 1, "Underskottet har minskat jämfört med 2025.")
        services.answer_add(
            comment=comment, by=stm, decision="partly", reason="Preciserat i texten."
        )
        services.review_complete(version=version, by=staff)
        services.minutes_start_revision(minutes=minutes, by=stm)
        services.minutes_approve(minutes=minutes, by=stm)
        publishing.protocol_publish(minutes=minutes, by=stm)
        made.append("a published protocol")
    others = [n for slug, n in sorted(held.items()) if slug not in ("vantaa-kerava", "pohjanmaa")]
    if len(others) >= 3:
        # One being revised after a review with no comments (its assessment written in
        # the revision), one still a draft, and one approved and waiting for publication.
        minutes = _draft(others[0], stm)
        services.minutes_send_for_review(minutes=minutes, by=stm)
        services.minutes_start_revision(minutes=minutes, by=stm)
        _assess(minutes, stm)
        _draft(others[1], stm)
        minutes = _draft(others[2], stm)
        services.minutes_send_for_review(minutes=minutes, by=stm)
        services.minutes_approve(minutes=minutes, by=stm)
        made += ["minutes being revised", "draft minutes", "approved minutes"]
    return made


def seed() -> list[str]:
    # Last year first: this year's minutes pre-fill their follow-up from its ledger.
    return [*seed_previous(), *seed_current()]
