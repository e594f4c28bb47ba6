# English with the month in words (5 Mar 2025): readers in Finland and abroad cannot
# mistake it, unlike 03/05/2025, and the clock is the 24-hour one used in Finland.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j M"
