"""Reads for the staff pages, each in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from regions.models import CooperationArea, Region

from .models import Document, Negotiation, Round


@dataclass
class Stage:
    done: bool
    late: bool = False
    when: date | None = None


@dataclass
class DashboardRow:
    party: object
    negotiation: Negotiation | None
    stages: dict[str, Stage] = field(default_factory=dict)
    next_deadline: tuple[str, date] | None = None

    @property
    def late(self) -> bool:
        return any(stage.late for stage in self.stages.values())


STAGES = (
    "scheduled",
    "agenda_ready",
    "material_in",
    "observations_in",
    "draft_minutes",
    "in_review",
    "approved",
    "published",
)
# Minutes states at or after each stage (the minutes app's Minutes.Status values).
MINUTES_REACHED = {
    "draft_minutes": {"draft", "in_review", "revised", "approved", "published"},
    "in_review": {"in_review", "revised", "approved", "published"},
    "approved": {"approved", "published"},
    "published": {"published"},
}
# How long after the meeting each minutes stage may take before it counts as late.
MINUTES_DAYS_AFTER_MEETING = {"draft_minutes": 7, "in_review": 21}


def _negotiations_with_progress(round: Round):
    ministry_material = Document.objects.filter(negotiation=OuterRef("pk")).exclude(
        kind=Document.Kind.REGION_OBSERVATIONS
    )
    observations = Document.objects.filter(
        negotiation=OuterRef("pk"), kind=Document.Kind.REGION_OBSERVATIONS
    )
    return (
        round.negotiations.filter(status=Negotiation.Status.SCHEDULED)
        .select_related("chair", "minutes")
        .annotate(has_material=Exists(ministry_material), has_observations=Exists(observations))
    )


def round_dashboard(round: Round, today: date | None = None) -> list[DashboardRow]:
    """One row per party of the round with the state of each stage and what is late.

    Three queries whatever the number of regions: parties, negotiations with their
    progress flags, and whether round-wide material exists.
    """
    today = today or timezone.localdate()
    if round.kind == Round.Kind.REGION:
        parties = list(Region.objects.order_by("name_fi"))
        key = "region_id"
    else:
        parties = list(CooperationArea.objects.order_by("name_fi"))
        key = "cooperation_area_id"
    negotiations = {getattr(n, key): n for n in _negotiations_with_progress(round)}
    round_material = round.documents.exists()
    past_material_deadline = today > round.material_deadline
    rows = []
    for party in parties:
        negotiation = negotiations.get(party.pk)
        row = DashboardRow(party=party, negotiation=negotiation)
        if negotiation is None:
            row.stages["scheduled"] = Stage(done=False, late=today >= round.window_start)
            for name in STAGES[1:]:
                row.stages[name] = Stage(done=False, late=past_material_deadline)
        else:
            meeting_day = timezone.localtime(negotiation.starts_at).date()
            row.stages["scheduled"] = Stage(done=True, when=meeting_day)
            ready = negotiation.agenda_ready_at
            row.stages["agenda_ready"] = Stage(
                done=ready is not None,
                late=ready is None and past_material_deadline,
                when=timezone.localtime(ready).date() if ready else None,
            )
            material = negotiation.has_material or round_material
            row.stages["material_in"] = Stage(
                done=material, late=not material and past_material_deadline
            )
            row.stages["observations_in"] = Stage(
                done=negotiation.has_observations,
                late=not negotiation.has_observations and past_material_deadline,
            )
            _minutes_stages(row, round, negotiation, today)
        row.next_deadline = _next_deadline(round, negotiation, today)
        rows.append(row)
    return rows


def _minutes_stages(row, round: Round, negotiation: Negotiation, today: date) -> None:
    minutes = getattr(negotiation, "minutes", None)
    status = minutes.status if minutes else None
    meeting_end = timezone.localtime(negotiation.ends_at).date()
    for name, reached in MINUTES_REACHED.items():
        done = status in reached
        if name in MINUTES_DAYS_AFTER_MEETING:
            late = today > meeting_end + timedelta(days=MINUTES_DAYS_AFTER_MEETING[name])
        else:
            late = today > round.publication_target
        row.stages[name] = Stage(done=done, late=not done and late)


def _next_deadline(round: Round, negotiation, today: date):
    candidates = [("material_deadline", round.material_deadline)]
    if negotiation is not None:
        candidates.append(("negotiation", timezone.localtime(negotiation.starts_at).date()))
    candidates.append(("publication_target", round.publication_target))
    upcoming = [(name, day) for name, day in candidates if day >= today]
    return min(upcoming, key=lambda item: item[1]) if upcoming else None


def negotiation_detail(negotiation: Negotiation, user):
    """Participants, agenda items and the material `user` may see, in four queries."""
    from .access import documents_visible_to

    visible = documents_visible_to(user).select_related("secrecy_ground")
    agenda = list(
        negotiation.agenda_items.select_related("responsible").prefetch_related(
            Prefetch("documents", queryset=visible.order_by("uploaded_at"))
        )
    )
    documents = list(
        visible.filter(
            Q(negotiation=negotiation, agenda_item__isnull=True) | Q(round=negotiation.round_id)
        ).select_related("uploaded_by")
    )
    participants = list(negotiation.participants.all())
    return {"agenda": agenda, "documents": documents, "participants": participants}


def negotiations_of_region(user, region):
    """A region's negotiations, past and upcoming, as far as `user` may see them."""
    from .access import negotiations_visible_to

    return (
        negotiations_visible_to(user)
        .filter(Q(region=region) | Q(cooperation_area_id=region.cooperation_area_id))
        .order_by("-starts_at")
    )
