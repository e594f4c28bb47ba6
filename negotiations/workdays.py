"""Finnish working days, for carrying a round's timeline over to the next year.

A date that falls on a Saturday, a Sunday or a Finnish public holiday moves to the next
working day: the rule Finnish law uses for a deadline that ends on a day off (laki
säädettyjen määräaikain laskemisesta 150/1930), so a region is never given less time
than the calendar date said.
"""

from datetime import date, timedelta


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    lh = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * lh) // 451
    month, day = divmod(h + lh - 7 * m + 114, 31)
    return date(year, month, day + 1)


def public_holidays(year: int) -> set[date]:
    """The weekday holidays of a Finnish year, with Midsummer Eve and Christmas Eve, on
    which offices are closed too. (All Saints' Day and Midsummer Day are always Saturdays.)"""
    easter = easter_sunday(year)
    midsummer_eve = next(
        date(year, 6, day) for day in range(19, 26) if date(year, 6, day).weekday() == 4
    )
    return {
        date(year, 1, 1),
        date(year, 1, 6),
        easter - timedelta(days=2),
        easter + timedelta(days=1),
        date(year, 5, 1),
        easter + timedelta(days=39),
        midsummer_eve,
        date(year, 12, 6),
        date(year, 12, 24),
        date(year, 12, 25),
        date(year, 12, 26),
    }


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def next_working_day(day: date) -> date:
    """`day` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def same_day_next_year(day: date) -> date:
    """The same calendar day a year later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def shifted_one_year(day: date) -> date:
    return next_working_day(same_day_next_year(day))
