"""Reads for the staff pages, each in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, Max, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from regions.models import CooperationArea, Region

from .hooks import follow_up_reporting
from .models import Document, Negotiation, Round


@dataclass
class Stage:
    done: bool
    late: bool = False
    when: date | None = None
    # The stage's own deadline, named on the page when it is late ("late: due 12.3.").
    deadline: date | None = None
    # The number of an approved version whose PDF failed: shown with a retry button.
    pdf_failed_version: int | None = None
    withdrawn: bool = False
    # For a stage counted in items (last year's follow-up): (reported, total).
    count: tuple[int, int] | None = None

    @property
    def summary(self) -> str | None:
        """The count in words, shown instead of a bare done / not yet."""
        if self.count is None:
            return None
        reported, total = self.count
        if total == 0:
            return str(_("nothing carried over"))
        return ngettext(
            "%(reported)s of %(total)s reported",
            "%(reported)s of %(total)s reported",
            total,
        ) % {"reported": reported, "total": total}


@dataclass
class DashboardRow:
    party: object
    negotiation: Negotiation | None
    stages: dict[str, Stage] = field(default_factory=dict)
    next_deadline: tuple[str, date] | None = None

    @property
    def late(self) -> bool:
        return any(stage.late for stage in self.stages.values())

    def _labelled(self, names) -> list[tuple[str, Stage]]:
        # A stage another app provides is absent when that app is not there.
        return [(STAGE_LABELS[name], self.stages[name]) for name in names if name in self.stages]

    @property
    def late_stages(self) -> list[tuple[str, Stage]]:
        return self._labelled(
            name for name in STAGES if name in self.stages and self.stages[name].late
        )

    @property
    def preparation(self) -> list[tuple[str, Stage]]:
        return self._labelled(PREPARATION_STAGES)

    @property
    def minutes_progress(self) -> list[tuple[str, Stage]]:
        return self._labelled(MINUTES_STAGES)


STAGES = (
    "scheduled",
    "follow_up_reported",
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
STAGE_LABELS = {
    "scheduled": _("Scheduled"),
    "follow_up_reported": _("Last year's follow-up reported"),
    "agenda_ready": _("Agenda ready"),
    "material_in": _("Material in"),
    "observations_in": _("Region's observations in"),
    "draft_minutes": _("Draft minutes"),
    "in_review": _("In review"),
    "approved": _("Approved"),
    "published": _("Published"),
}
# The negotiation's own preparation; last year's follow-up is the party's, and comes first.
OWN_PREPARATION_STAGES = STAGES[2:5]
PREPARATION_STAGES = STAGES[1:5]
MINUTES_STAGES = STAGES[5:]
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
        # Through the relation names only: negotiations never imports the minutes app.
        .annotate(
            pdf_failed_version=Max(
                "minutes__versions__number",
                filter=Q(
                    minutes__versions__approved=True, minutes__versions__pdfs__status="failed"
                ),
            ),
            withdrawn_at=Max("publications__withdrawn_at", filter=Q(publications__is_current=True)),
        )
    )


def round_dashboard(round: Round, today: date | None = None) -> list[DashboardRow]:
    """One row per party of the round with the state of each stage and what is late.

    Four queries whatever the number of regions: parties, negotiations with their
    progress flags, whether round-wide material exists, and (from the minutes app, through
    its registered provider) how far each party has reported on last year's follow-up.
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
    reporting = follow_up_reporting(round)
    rows = []
    for party in parties:
        negotiation = negotiations.get(party.pk)
        row = DashboardRow(party=party, negotiation=negotiation)
        material_deadline = _material_deadline(round, negotiation)
        past_material_deadline = today > material_deadline
        if negotiation is None:
            row.stages["scheduled"] = Stage(
                done=False, late=today >= round.window_start, deadline=round.window_start
            )
            for name in OWN_PREPARATION_STAGES:
                row.stages[name] = Stage(
                    done=False, late=past_material_deadline, deadline=material_deadline
                )
            # No meeting, so no minutes are due yet: their deadlines count from the meeting.
            for name in MINUTES_STAGES:
                row.stages[name] = Stage(done=False)
        else:
            meeting_day = timezone.localtime(negotiation.starts_at).date()
            row.stages["scheduled"] = Stage(done=True, when=meeting_day)
            ready = negotiation.agenda_ready_at
            row.stages["agenda_ready"] = Stage(
                done=ready is not None,
                late=ready is None and past_material_deadline,
                when=timezone.localtime(ready).date() if ready else None,
                deadline=material_deadline,
            )
            material = negotiation.has_material or round_material
            row.stages["material_in"] = Stage(
                done=material,
                late=not material and past_material_deadline,
                deadline=material_deadline,
            )
            row.stages["observations_in"] = Stage(
                done=negotiation.has_observations,
                late=not negotiation.has_observations and past_material_deadline,
                deadline=material_deadline,
            )
            _minutes_stages(row, round, negotiation, today)
        if reporting is not None:
            row.stages["follow_up_reported"] = _follow_up_stage(
                reporting.get(party.pk, (0, 0)), past_material_deadline, material_deadline
            )
        row.next_deadline = _next_deadline(round, negotiation, today)
        rows.append(row)
    return rows


def _follow_up_stage(count, past_material_deadline: bool, material_deadline: date) -> Stage:
    """The region reports on last year's items before this year's material is due: the
    officials read the reports with the rest of the material."""
    reported, total = count
    done = reported >= total
    return Stage(
        done=done,
        late=not done and past_material_deadline,
        deadline=material_deadline,
        count=count,
    )


def _material_deadline(round: Round, negotiation) -> date:
    """The negotiation's own material deadline where it has one, else the round's."""
    return getattr(negotiation, "material_deadline", None) or round.material_deadline


def minutes_deadline(round: Round, meeting_end: date, stage: str) -> date:
    """When a minutes stage is due: a fixed number of days after the meeting for the draft
    and the review, and for approval and publication the round's target, but never before
    the review could have run its course after a late meeting."""
    if stage in MINUTES_DAYS_AFTER_MEETING:
        return meeting_end + timedelta(days=MINUTES_DAYS_AFTER_MEETING[stage])
    earliest = meeting_end + timedelta(
        days=MINUTES_DAYS_AFTER_MEETING["in_review"] + round.comment_period_days
    )
    return max(round.publication_target, earliest)


def _minutes_stages(row, round: Round, negotiation: Negotiation, today: date) -> None:
    minutes = getattr(negotiation, "minutes", None)
    status = minutes.status if minutes else None
    meeting_end = timezone.localtime(negotiation.ends_at).date()
    for name, reached in MINUTES_REACHED.items():
        done = status in reached
        deadline = minutes_deadline(round, meeting_end, name)
        # A stage is late only once its own deadline has passed, which for minutes also
        # means the meeting has been held.
        late = not done and today > meeting_end and today > deadline
        row.stages[name] = Stage(done=done, late=late, deadline=deadline)
    if status in MINUTES_REACHED["approved"]:
        row.stages["approved"].pdf_failed_version = negotiation.pdf_failed_version
    if negotiation.withdrawn_at is not None:
        # Withdrawn from public view: not published any more, and not late either.
        row.stages["published"] = Stage(done=False, withdrawn=True)


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


def round_close_summary(round: Round) -> dict:
    """What closing a round touches, for its confirmation page: its negotiations, and how
    many of them have no published protocol yet (the minutes app's status, read through
    the reverse relation so that this app does not import it)."""
    scheduled = round.negotiations.filter(status=Negotiation.Status.SCHEDULED)
    return {
        "negotiations": scheduled.count(),
        "unpublished": scheduled.exclude(minutes__status="published").count(),
    }


def agenda_item_has_minutes(item) -> bool:
    """Whether minutes were started for the item's negotiation (they keep a section for it)."""
    return Negotiation.objects.filter(pk=item.negotiation_id, minutes__isnull=False).exists()
