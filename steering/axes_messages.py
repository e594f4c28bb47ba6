"""The words of django-axes' admin pages, which axes translates into neither Finnish nor
Swedish. Listed here, never imported, so that makemessages keeps them in our catalogue:
gettext looks them up there, because every catalogue of the "django" domain is merged.

Axes' "Cleaned up {count} expired access attempts." is left out: axes formats it before
translating, so no catalogue entry can ever match it.
"""

from django.utils.translation import gettext_noop

AXES_ADMIN_MESSAGES = [
    # Models and their fields (axes/models.py).
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Time"),
    gettext_noop("Expires At"),
    gettext_noop("Failed Logins"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Logout Time"),
    gettext_noop("POST Data"),
    gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("Username"),
    # The admin's filters, fieldsets, action and computed columns (axes/admin.py).
    gettext_noop("Attempt Remaining"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Form Data"),
    gettext_noop("Locked Out"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
]
