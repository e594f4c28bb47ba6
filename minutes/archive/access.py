"""Who may see archive packages: the ministries' officials, and nobody else (404).

A package holds every version of every protocol of a round, withdrawn ones included, so
it is not for the region's staff or the public even though each file in it was public
once; administrators keep the reference data, not the record."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from negotiations.models import Round
from regions.roles import Role, role_of

from .models import ArchiveExport


def require_official(user) -> None:
    if role_of(user) != Role.OFFICIAL:
        raise Http404


def get_round_for_archive(user, pk) -> Round:
    require_official(user)
    return get_object_or_404(Round, pk=pk)


def get_export_for_user(user, pk) -> ArchiveExport:
    require_official(user)
    return get_object_or_404(ArchiveExport.objects.select_related("round", "requested_by"), pk=pk)
