"""Who may see and change minutes, their versions and comments.

Officials see and edit everything. The region's staff see only versions that were sent
to them (never the working draft) and comment on them while the period is open;
everyone else gets 404.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from negotiations.access import is_own_staff
from regions.roles import Role, role_of

from .models import Comment, Minutes, MinutesEvent, MinutesVersion, TrackedItem


def get_minutes_for_user(user, pk, *, write: bool = False) -> Minutes:
    minutes = get_object_or_404(
        Minutes.objects.select_related(
            "negotiation__round", "negotiation__region", "negotiation__cooperation_area",
            "updated_by",
        ),
        pk=pk,
    )  # fmt: skip
    role = role_of(user)
    if role in (Role.OFFICIAL, Role.ADMINISTRATOR):
        if write and role != Role.OFFICIAL:
            raise PermissionDenied
        return minutes
    if is_own_staff(user, minutes.negotiation) and minutes.versions.exists():
        if write:
            raise PermissionDenied
        return minutes
    raise Http404


def get_version_for_user(user, minutes_pk, number) -> MinutesVersion:
    minutes = get_minutes_for_user(user, minutes_pk)
    return get_object_or_404(minutes.versions.select_related("created_by"), number=number)


def can_comment(user, version: MinutesVersion) -> bool:
    return is_own_staff(user, version.minutes.negotiation) and version.review_open


def sees_internal(user) -> bool:
    """The ministry's side reads what is ministry-internal, as with documents."""
    return role_of(user) in (Role.OFFICIAL, Role.ADMINISTRATOR)


def comments_visible_to(user, version: MinutesVersion):
    """The one home of who reads which comments of a version they may see: the ministry
    all of them, the region its threads but never the ministry's internal notes."""
    comments = version.comments.all()
    return comments if sees_internal(user) else comments.threads()


def get_comment_for_user(user, pk) -> Comment:
    comment = get_object_or_404(
        Comment.objects.select_related(
            "version__minutes__negotiation", "section", "author", "secrecy_ground"
        ),
        pk=pk,
    )
    # A comment is seen by whoever may see its minutes: never the public, never
    # another region; an internal note, only by the ministry.
    get_minutes_for_user(user, comment.version.minutes_id)
    if comment.is_note and not sees_internal(user):
        raise Http404
    return comment


# What the region does not follow in the history: the ministry's drafting work and its
# internal notes.
MINISTRY_ONLY_EVENTS = (
    MinutesEvent.Action.EDITED,
    MinutesEvent.Action.ACTION_ADDED,
    MinutesEvent.Action.ACTION_CHANGED,
    MinutesEvent.Action.ACTION_REMOVED,
    MinutesEvent.Action.ASSESSED,
    MinutesEvent.Action.NOTE_ADDED,
)


def events_visible_to(user, minutes: Minutes):
    events = minutes.events.select_related("by", "version")
    if role_of(user) != Role.OFFICIAL:
        events = events.exclude(action__in=MINISTRY_ONLY_EVENTS)
    return events


def tracked_items_visible_to(user):
    """The one home of who reads which ledger items: officials (and administrators,
    read-only) all of them; region staff their own region's and their cooperation
    area's, still in their protocol; everyone else none. Items exist only once their
    protocol is published, so nothing here comes from unpublished minutes."""
    queryset = TrackedItem.objects.all()
    role = role_of(user)
    if role in (Role.OFFICIAL, Role.ADMINISTRATOR):
        return queryset
    if role == Role.REGION_STAFF:
        return queryset.in_record().filter(
            Q(region_id=user.region_id) | Q(cooperation_area_id=user.region.cooperation_area_id)
        )
    return queryset.none()


def get_tracked_item_for_user(user, pk, *, write: bool = False):
    """One ledger item, or 404 for anyone who may not see it. `write` is reporting or
    remarking on it (officials and the item's own region staff); whether the writer may
    set its status is the ledger's rule (`ledger.item_set_status`)."""
    item = get_object_or_404(
        tracked_items_visible_to(user).select_related(
            "region", "cooperation_area", "topic", "ministry", "made_in", "assessed_in"
        ),
        pk=pk,
    )
    if write and role_of(user) == Role.ADMINISTRATOR:
        raise PermissionDenied
    return item
