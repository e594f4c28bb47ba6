"""The positions a person can hold in the portal, derived from their account."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Organisation


class Role(models.TextChoices):
    OFFICIAL = "official", _("ministry official")
    REGION_STAFF = "region_staff", _("region staff")
    ADMINISTRATOR = "administrator", _("administrator")
    PUBLIC = "public", _("public")


def role_of(user) -> Role:
    """The one role that decides what `user` sees; the side of the table wins over admin.

    An account with no affiliation (or an inactive one) is treated as the public.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return Role.PUBLIC
    if user.region_id:
        return Role.REGION_STAFF
    if user.organisation_id and user.organisation.kind == Organisation.Kind.MINISTRY:
        return Role.OFFICIAL
    if user.is_staff:
        return Role.ADMINISTRATOR
    return Role.PUBLIC
