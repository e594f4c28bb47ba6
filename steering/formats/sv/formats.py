# The Swedish of Finland: the portal's Swedish readers write dates as 5.3.2025 and times
# as 9.00 (the language office's recommendation), not the ISO dates of Django's Swedish
# of Sweden.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j.n.Y"
TIME_FORMAT = "H.i"
DATETIME_FORMAT = "j F Y H.i"
SHORT_DATETIME_FORMAT = "j.n.Y H.i"
MONTH_DAY_FORMAT = "j.n."
