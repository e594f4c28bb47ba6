# Finnish as the portal has always written it: 5.3.2025 9.00 -> "5.3.2025 09.00" keeps
# the hour in two digits so times line up in lists; Django's own Finnish formats fill in
# the rest (long dates, input formats).
TIME_FORMAT = "H.i"
SHORT_DATETIME_FORMAT = "j.n.Y H.i"
MONTH_DAY_FORMAT = "j.n."
