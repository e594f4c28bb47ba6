"""Who may see and change rounds, negotiations and their material.

Officials (and administrators, read-only) see everything. Region staff see their own
region's negotiations, and their cooperation area's in cooperation-area rounds, with the
round-wide material, except what is ministry-internal; to them everything else does not
exist (404). Anonymous users are
sent to log in by the views and never get past these helpers.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from regions.models import Publicity
from regions.roles import Role, role_of

from .models import Document, Negotiation, Round


def negotiations_visible_to(user):
    queryset = Negotiation.objects.select_related(
        "round", "region", "cooperation_area", "chair", "secretary"
    )
    role = role_of(user)
    if role in (Role.OFFICIAL, Role.ADMINISTRATOR):
        return queryset
    if role == Role.REGION_STAFF:
        return queryset.filter(
            Q(region_id=user.region_id) | Q(cooperation_area_id=user.region.cooperation_area_id)
        )
    return queryset.none()


def can_see_rounds(user) -> bool:
    return role_of(user) in (Role.OFFICIAL, Role.ADMINISTRATOR)


def get_round_for_user(user, pk, *, write: bool = False) -> Round:
    if not can_see_rounds(user):
        raise Http404
    round_ = get_object_or_404(Round.objects.select_related("agenda_template"), pk=pk)
    if write and role_of(user) != Role.OFFICIAL:
        raise PermissionDenied
    return round_


def get_negotiation_for_user(user, pk, *, write: bool = False) -> Negotiation:
    negotiation = get_object_or_404(negotiations_visible_to(user), pk=pk)
    if write and role_of(user) != Role.OFFICIAL:
        raise PermissionDenied
    return negotiation


def is_own_staff(user, negotiation: Negotiation) -> bool:
    if role_of(user) != Role.REGION_STAFF:
        return False
    if negotiation.region_id:
        return negotiation.region_id == user.region_id
    return negotiation.cooperation_area_id == user.region.cooperation_area_id


def material_deadline_passed(negotiation: Negotiation) -> bool:
    return timezone.localdate() > negotiation.material_deadline


def can_upload_observations(user, negotiation: Negotiation) -> bool:
    return (
        is_own_staff(user, negotiation)
        and not negotiation.is_cancelled
        and not material_deadline_passed(negotiation)
    )


def documents_visible_to(user):
    """The one home of who reads which material: officials all of it, region staff what
    is shared with them or public, of their own negotiations and of the round."""
    queryset = Document.objects.all()
    role = role_of(user)
    if role in (Role.OFFICIAL, Role.ADMINISTRATOR):
        return queryset
    if role == Role.REGION_STAFF:
        return queryset.exclude(publicity=Publicity.INTERNAL).filter(
            Q(round__isnull=False) | Q(negotiation__in=negotiations_visible_to(user).values("pk"))
        )
    return queryset.none()


def get_document_for_user(user, pk, *, write: bool = False) -> Document:
    document = get_object_or_404(
        documents_visible_to(user).select_related(
            "round", "negotiation__round", "uploaded_by", "secrecy_ground"
        ),
        pk=pk,
    )
    if write and not can_delete_document(user, document):
        raise PermissionDenied
    return document


def can_delete_document(user, document: Document) -> bool:
    role = role_of(user)
    if role == Role.OFFICIAL:
        return True
    # Region staff may take back their own observations while the deadline is open.
    return (
        document.negotiation_id is not None
        and document.uploaded_by_id == user.pk
        and can_upload_observations(user, document.negotiation)
    )


def require_official(user) -> None:
    """Pages that only exist for the ministries' officials (planning the year)."""
    if role_of(user) != Role.OFFICIAL:
        raise Http404
