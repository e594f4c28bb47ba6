"""The one home for the range of dates the portal accepts.

A date outside what every layer can store
(Python's year 1, PostgreSQL's 1 BC after the time-zone shift) took the public front page
down. Forms and services call `date_range_error`; the database constraints on Round and
Negotiation use `EARLIEST`/`LATEST_EXCLUSIVE`.
"""

import contextlib
from datetime import UTC, date, datetime

from django.utils.translation import gettext as _

FIRST_YEAR = 2000
LAST_YEAR = 2100

EARLIEST = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
LATEST_EXCLUSIVE = datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC)


def date_range_error(value: date | datetime | None) -> str | None:
    """A message in words when `value` is outside the accepted range, else None."""
    if value is None or FIRST_YEAR <= value.year <= LAST_YEAR:
        return None
    return _("The date must be between the years %(first)s and %(last)s.") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }


def year_error(year: int | None) -> str | None:
    if year is None or FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return _("The year must be between %(first)s and %(last)s.") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }


# How far from its round's year a negotiation may be held: a round is prepared the year
# before and may run over into the next, never further (a typo of a year, not a plan).
ROUND_YEAR_SLACK = 1


def round_year_error(round_year: int, starts_at: date | datetime | None) -> str | None:
    """A message in words when a negotiation of the round of `round_year` would start in
    a year more than ROUND_YEAR_SLACK from it, else None. The one rule for every form and
    service that schedules or moves a negotiation."""
    if starts_at is None:
        return None
    if isinstance(starts_at, datetime):
        from django.utils import timezone

        # Beyond year 9999 here (OverflowError): far outside the range anyway.
        if timezone.is_aware(starts_at):
            with contextlib.suppress(OverflowError):
                starts_at = timezone.localtime(starts_at)
    first, last = round_year - ROUND_YEAR_SLACK, round_year + ROUND_YEAR_SLACK
    if first <= starts_at.year <= last:
        return None
    return _(
        "A negotiation of the %(year)s round must start between the years %(first)s and %(last)s."
    ) % {"year": round_year, "first": first, "last": last}
