"""Two years of one region's negotiations, made through the services as officials would:
a published protocol with outcome items, then next year's negotiation of the same kind."""

from datetime import timedelta

from django.utils import timezone

from minutes import services
from minutes.models import OutcomeKind, Responsible
from minutes.services import outcomes, publishing
from negotiations.models import AgendaRole
from tests.factories import NegotiationFactory, RoundFactory, region

AGENDA = [
    ("Avaus", ""),
    ("Talous", ""),
    ("Edellisen vuoden jatkotoimenpiteiden seuranta", AgendaRole.PREVIOUS_FOLLOW_UP),
    ("Johtopäätökset ja sovitut jatkotoimenpiteet", AgendaRole.CONCLUSIONS),
]


def negotiation_with_agenda(official, *, year, slug="vantaa-kerava", language="fi"):
    today = timezone.localdate()
    round_ = RoundFactory(year=year, created_by=official)
    negotiation = NegotiationFactory(
        round=round_, region=region(slug), language=language, chair=official
    )
    for position, (title, role) in enumerate(AGENDA, start=1):
        negotiation.agenda_items.create(position=position, title=title, role=role)
    assert negotiation.starts_at.date() >= today - timedelta(days=1)
    return negotiation


def section(minutes, role):
    return minutes.sections.get(role=role)


def approve_and_publish(official, minutes, note=""):
    services.minutes_send_for_review(minutes=minutes, by=official)
    services.minutes_approve(minutes=minutes, by=official)
    return publishing.protocol_publish(minutes=minutes, by=official, note=note)


def first_year(official, *, year=2030, slug="vantaa-kerava"):
    """A published protocol with two recommendations, a follow-up action and a
    conclusion (which the ledger does not follow)."""
    negotiation = negotiation_with_agenda(official, year=year, slug=slug)
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    conclusions = section(minutes, AgendaRole.CONCLUSIONS)
    due = timezone.localdate() + timedelta(days=90)
    for kind, text in [
        (OutcomeKind.RECOMMENDATION, "Palveluverkkoa tiivistetään."),
        (OutcomeKind.RECOMMENDATION, "Jonot puretaan kuudessa kuukaudessa."),
        (OutcomeKind.FOLLOW_UP, "Investointisuunnitelma toimitetaan ministeriöille."),
        (OutcomeKind.CONCLUSION, "Talous on tasapainossa."),
    ]:
        outcomes.outcome_add(
            minutes=minutes, by=official, section=conclusions, kind=kind, text=text,
            responsible=Responsible.REGION, due_date=due,
        )  # fmt: skip
    return approve_and_publish(official, minutes)
