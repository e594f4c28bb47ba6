"""Reads for the two landing pages: what an official has to do, and what comes next for a
region. They live at the project level because they join negotiations and minutes; each
runs in a fixed number of queries whatever the number of negotiations."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from negotiations.access import negotiations_visible_to
from negotiations.models import Negotiation, Participant, Round

from .models import Comment, Minutes, MinutesVersion
from .public.selectors import current_rows

Status = Minutes.Status

# What the minutes need next, by their state (None: not started yet).
NEXT_STEP = {
    None: _("write the minutes"),
    Status.DRAFT: _("send the minutes for review"),
    Status.IN_REVIEW: _("answer comments and approve"),
    Status.REVISED: _("approve the revised minutes"),
    Status.APPROVED: _("publish the protocol"),
}


@dataclass
class Task:
    negotiation: Negotiation
    minutes: Minutes | None
    step: str


def _latest(version_ref: str):
    """No newer version of the same minutes exists: the version the review is about."""
    return ~Exists(
        MinutesVersion.objects.filter(
            minutes=OuterRef(f"{version_ref}minutes"), number__gt=OuterRef(f"{version_ref}number")
        )
    )


def _own_negotiations(user):
    """Scheduled negotiations the official chairs, keeps the minutes of or takes part in."""
    takes_part = Participant.objects.filter(negotiation=OuterRef("pk"), user=user)
    return Negotiation.objects.filter(status=Negotiation.Status.SCHEDULED).filter(
        Q(chair=user) | Q(secretary=user) | Exists(takes_part)
    )


def official_work(user, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    now = timezone.now()
    own = _own_negotiations(user)
    tasks = []
    negotiations = (
        own.filter(starts_at__lte=now)
        .exclude(minutes__status=Status.PUBLISHED)
        .select_related("round", "region", "cooperation_area", "minutes")
        .order_by("starts_at")
    )
    for negotiation in negotiations:
        minutes = getattr(negotiation, "minutes", None)
        tasks.append(Task(negotiation, minutes, NEXT_STEP[minutes.status if minutes else None]))
    comments = (
        Comment.objects.awaiting_answer()
        .filter(version__minutes__negotiation__in=own, version__approved=False)
        .filter(_latest("version__"))
        .select_related(
            "section", "version__minutes__negotiation__region",
            "version__minutes__negotiation__cooperation_area",
        )
        .order_by("created_at")
    )  # fmt: skip
    reviews = (
        MinutesVersion.objects.open_for_review(today)
        .filter(minutes__negotiation__in=own, review_deadline__lte=today + timedelta(days=7))
        .select_related("minutes__negotiation__region", "minutes__negotiation__cooperation_area")
        .order_by("review_deadline")
    )
    return {
        "open_rounds": list(Round.objects.filter(status=Round.Status.OPEN).order_by("year")),
        "tasks": tasks,
        "comments": list(comments),
        "reviews": [(version, (version.review_deadline - today).days) for version in reviews],
    }


def region_next_steps(user, region, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    ours = negotiations_visible_to(user).filter(
        Q(region=region) | Q(cooperation_area_id=region.cooperation_area_id),
        status=Negotiation.Status.SCHEDULED,
    )
    upcoming = ours.filter(starts_at__gte=timezone.now()).order_by("starts_at").first()
    material_deadline = upcoming.material_deadline if upcoming is not None else None
    reviews = (
        MinutesVersion.objects.open_for_review(today)
        .filter(minutes__negotiation__in=ours)
        .select_related("minutes__negotiation__region", "minutes__negotiation__cooperation_area")
        .order_by("review_deadline")
    )
    published = current_rows().filter(
        Q(region=region) | Q(cooperation_area_id=region.cooperation_area_id)
    )[:10]
    return {
        "upcoming": upcoming,
        "material_deadline": material_deadline,
        "material_days_left": (material_deadline - today).days if material_deadline else None,
        "reviews": [(version, (version.review_deadline - today).days) for version in reviews],
        "published": published,
    }
