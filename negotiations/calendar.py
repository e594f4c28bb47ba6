"""Negotiations as iCalendar events, for the participants' own calendars."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event


def negotiation_event(negotiation, *, public: bool = False) -> Event:
    """The event; `public` leaves out the place, the video link and the staff page."""
    event = Event()
    # A stable UID and a SEQUENCE that grows with each move let calendar programs
    # update the entry they already have instead of adding a second one.
    event.add("uid", f"negotiation-{negotiation.pk}@ohjausneuvottelut")
    event.add("sequence", negotiation.schedule_version)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", negotiation.starts_at)
    event.add("dtend", negotiation.ends_at)
    event.add("summary", f"{negotiation.round.year}: {negotiation.party}")
    if public:
        return event
    location = ", ".join(part for part in (negotiation.place, negotiation.video_link) if part)
    if location:
        event.add("location", location)
    event.add(
        "url",
        f"{settings.SITE_URL}/{negotiation.language}/workspace/negotiations/{negotiation.pk}/",
    )
    event.add("status", "CANCELLED" if negotiation.is_cancelled else "CONFIRMED")
    return event


def negotiation_calendar(negotiation) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Ohjausneuvottelut//FI")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if negotiation.is_cancelled else "PUBLISH")
    calendar.add_component(negotiation_event(negotiation))
    return calendar.to_ical()


def schedule_calendar(negotiations) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Ohjausneuvottelut//FI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Ohjausneuvottelut / Styrningsförhandlingar")
    for negotiation in negotiations:
        calendar.add_component(negotiation_event(negotiation, public=True))
    return calendar.to_ical()
