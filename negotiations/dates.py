"""The one home for the range of dates the portal accepts.

A date far from its round is a typing slip, and one outside what every layer can store
(Python's year 1, PostgreSQL's 1 BC after the time-zone shift) took the public front page
down. Forms and services call `date_range_error`; the database constraints on Round and
Negotiation use `EARLIEST`/`LATEST_EXCLUSIVE`.
"""

from datetime import UTC, date, datetime

from django.utils.translation import gettext as _

FIRST_YEAR = 2000
LAST_YEAR = 2100
# A negotiation or deadline may lie this many years either side of its round's year.
ROUND_YEAR_SPAN = 2

EARLIEST = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
LATEST_EXCLUSIVE = datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC)


def year_bounds(round_year: int | None) -> tuple[int, int]:
    if not round_year:
        return FIRST_YEAR, LAST_YEAR
    return max(FIRST_YEAR, round_year - ROUND_YEAR_SPAN), min(
        LAST_YEAR, round_year + ROUND_YEAR_SPAN
    )


def date_range_error(value: date | datetime | None, round_year: int | None = None) -> str | None:
    """A message in words when `value` is outside the accepted range, else None."""
    if value is None:
        return None
    first, last = year_bounds(round_year)
    if first <= value.year <= last:
        return None
    if round_year and FIRST_YEAR <= round_year <= LAST_YEAR:
        return _(
            "The date must be within %(span)s years of the round's year %(year)s "
            "(%(first)s–%(last)s)."
        ) % {"span": ROUND_YEAR_SPAN, "year": round_year, "first": first, "last": last}
    return _("The date must be between the years %(first)s and %(last)s.") % {
        "first": first,
        "last": last,
    }


def year_error(year: int | None) -> str | None:
    if year is None or FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return _("The year must be between %(first)s and %(last)s.") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }
