"""Demo minutes in every state, with comments and answers, for the current round."""

from django.db import transaction

from negotiations.models import AgendaRole, Negotiation
from regions.models import User

from . import outcomes, publishing, services
from .models import Minutes, OutcomeKind, Responsible

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


def _draft(negotiation, by) -> Minutes:
    minutes = services.minutes_start(negotiation=negotiation, by=by)
    texts = TEXTS[minutes.language]
    sections = {
        section.pk: texts[index] if index < len(texts) else ""
        for index, section in enumerate(minutes.sections.order_by("position"))
    }
    services.minutes_save_text(
        minutes=minutes,
        by=by,
        expected_revision=minutes.revision,
        participants=minutes.participants,
        sections=sections,
    )
    conclusions = minutes.sections.filter(role=AgendaRole.CONCLUSIONS).first()
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


def _comment(version, staff, index, body):
    section = version.minutes.sections.order_by("position")[index]
    return services.comment_add(version=version, section=section, by=staff, body=body)


@transaction.atomic
def seed() -> list[str]:
    if Minutes.objects.exists():
        return []
    stm = User.objects.get(username="stm.virkailija")
    held = {n.region.slug: n for n in Negotiation.objects.filter(region__isnull=False)}
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
    # Ostrobothnia (Swedish): reviewed, answered, revised and approved.
    if "pohjanmaa" in held:
        staff = User.objects.get(username="pohjanmaa.alue")
        minutes = _draft(held["pohjanmaa"], stm)
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
        # One being revised after a review with no comments, one still a draft, and one
        # approved and waiting for publication.
        minutes = _draft(others[0], stm)
        services.minutes_send_for_review(minutes=minutes, by=stm)
        services.minutes_start_revision(minutes=minutes, by=stm)
        _draft(others[1], stm)
        minutes = _draft(others[2], stm)
        services.minutes_send_for_review(minutes=minutes, by=stm)
        services.minutes_approve(minutes=minutes, by=stm)
        made += ["minutes being revised", "draft minutes", "approved minutes"]
    return made
