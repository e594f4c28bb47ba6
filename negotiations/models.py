"""Rounds, negotiations, participants, agendas and background material."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from regions.models import Language, OfficialLanguage, Publicity, publicity_errors

from .dates import EARLIEST, LATEST_EXCLUSIVE


class Round(models.Model):
    """One year's negotiations of one kind, with the timeline everyone works to."""

    class Kind(models.TextChoices):
        REGION = "region", _("region negotiations")
        COOPERATION_AREA = "cooperation_area", _("cooperation-area negotiations")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REGION)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, editable=False
    )
    material_deadline = models.DateField(_("material deadline"))
    window_start = models.DateField(_("negotiations from"))
    window_end = models.DateField(_("negotiations until"))
    comment_period_days = models.PositiveSmallIntegerField(_("comment period (days)"), default=14)
    publication_target = models.DateField(_("publication target"))
    agenda_template = models.ForeignKey(
        "AgendaTemplate",
        verbose_name=_("agenda template"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-year", "kind"]
        constraints = [
            # The yearly cycle has exactly one round of each kind; a second one would
            # split the year's negotiations and their dashboard in two.
            models.UniqueConstraint(
                fields=["year", "kind"],
                name="round_one_per_year_and_kind",
                violation_error_message=_(
                    "A round of this kind already exists for this year; nothing was saved."
                ),
                violation_error_code="round_exists",
            ),
            models.CheckConstraint(
                condition=Q(window_end__gte=F("window_start")),
                name="round_window_in_order",
                violation_error_message=_("The negotiation window must end after it starts."),
            ),
            # Dates outside what every layer stores safely broke whole pages; the forms
            # give the message in words, this keeps other writers (admin, shell) out.
            models.CheckConstraint(
                condition=Q(
                    material_deadline__gte=EARLIEST.date(),
                    material_deadline__lt=LATEST_EXCLUSIVE.date(),
                )
                & Q(window_start__gte=EARLIEST.date(), window_start__lt=LATEST_EXCLUSIVE.date())
                & Q(window_end__gte=EARLIEST.date(), window_end__lt=LATEST_EXCLUSIVE.date())
                & Q(
                    publication_target__gte=EARLIEST.date(),
                    publication_target__lt=LATEST_EXCLUSIVE.date(),
                ),
                name="round_dates_sane",
                violation_error_message=_("A date of the round is outside the accepted range."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} – {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class RoundEvent(models.Model):
    """A row in a round's history: who did what, and when."""

    class Action(models.TextChoices):
        OPENED = "opened", _("opened")
        EDITED = "edited", _("edited")
        CLOSED = "closed", _("closed")
        REOPENED = "reopened", _("reopened")
        CARRIED_OVER = "carried_over", _("opened from the previous year's round")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("round event")
        verbose_name_plural = _("round events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.round} {self.action} {self.at:%Y-%m-%d %H:%M}"


# A round's life, the one table of it: the status it may move to and the history row.
ROUND_TRANSITIONS = {
    Round.Status.OPEN: {Round.Status.CLOSED: RoundEvent.Action.CLOSED},
    Round.Status.CLOSED: {Round.Status.OPEN: RoundEvent.Action.REOPENED},
}


class Negotiation(models.Model):
    """One steering negotiation: a round's meeting with one region (or cooperation area)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        CANCELLED = "cancelled", _("cancelled")

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="negotiations")
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="negotiations",
    )
    cooperation_area = models.ForeignKey(
        "regions.CooperationArea",
        verbose_name=_("cooperation area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="negotiations",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.SCHEDULED, editable=False
    )
    language = models.CharField(
        _("language of the negotiation"), max_length=2, choices=OfficialLanguage.choices
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    # The region's own deadline for its material; scheduling copies the round's.
    material_deadline = models.DateField(_("material deadline"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        related_name="chaired_negotiations",
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secretary"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    agenda_ready_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Bumped whenever the time or place changes, so a notice names the schedule it is about.
    schedule_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("negotiation")
        verbose_name_plural = _("negotiations")
        ordering = ["starts_at"]
        constraints = [
            # A negotiation is held with exactly one party: a region in region rounds,
            # a cooperation area in cooperation-area rounds.
            models.CheckConstraint(
                condition=(Q(region__isnull=False) & Q(cooperation_area__isnull=True))
                | (Q(region__isnull=True) & Q(cooperation_area__isnull=False)),
                name="negotiation_one_party",
            ),
            # One negotiation per party per round; a cancelled one does not block a new date.
            models.UniqueConstraint(
                fields=["round", "region"],
                condition=Q(status="scheduled"),
                name="negotiation_one_per_region_per_round",
                violation_error_message=_("This region already has a negotiation in this round."),
            ),
            models.UniqueConstraint(
                fields=["round", "cooperation_area"],
                condition=Q(status="scheduled"),
                name="negotiation_one_per_area_per_round",
                violation_error_message=_(
                    "This cooperation area already has a negotiation in this round."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="negotiation_ends_after_start",
                violation_error_message=_("The negotiation must end after it starts."),
            ),
            # A year-1 start was stored as 1 BC on PostgreSQL and every page listing it
            # answered 500 (timestamp too small); 9999-12-31 overflows the same way.
            models.CheckConstraint(
                condition=Q(starts_at__gte=EARLIEST, ends_at__lt=LATEST_EXCLUSIVE),
                name="negotiation_dates_sane",
                violation_error_message=_("The date is outside the accepted range."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} {timezone.localtime(self.starts_at):%d.%m.%Y}"

    def save(self, *args, **kwargs):
        if self.material_deadline is None:
            self.material_deadline = self.round.material_deadline
        super().save(*args, **kwargs)

    @property
    def party(self):
        return self.region or self.cooperation_area

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


def negotiation_times_error(starts_at, ends_at):
    """The one rule for a negotiation's times: it ends after it starts. The form and the
    scheduling service ask this; the check constraint negotiation_ends_after_start stays
    as the database's safety net for writes that bypass both."""
    if starts_at and ends_at and ends_at <= starts_at:
        return _("The negotiation must end after it starts.")
    return None


def window_error(window_start, window_end):
    """The one rule for a round's negotiation window (its check constraint
    round_window_in_order is the database's safety net)."""
    if window_start and window_end and window_end < window_start:
        return _("The negotiation window must end after it starts.")
    return None


def material_deadline_error(deadline, starts_at):
    """The one rule for a negotiation's own material deadline: not after its meeting."""
    if deadline and starts_at and deadline > timezone.localtime(starts_at).date():
        return _("The material deadline cannot be after the meeting.")
    return None


class Participant(models.Model):
    """Someone at the table. Portal users are linked; outsiders are a name and a title."""

    class Side(models.TextChoices):
        MINISTRY = "ministry", _("ministry")
        REGION = "region", _("region")
        EXPERT = "expert", _("expert")

    negotiation = models.ForeignKey(
        Negotiation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["side", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["negotiation", "user"], name="participant_user_once_per_negotiation"
            ),
        ]

    def __str__(self) -> str:
        return ", ".join(part for part in (self.name, self.title, self.organisation) if part)


class AgendaRole(models.TextChoices):
    """What an agenda item does in the yearly cycle, beyond its title: the follow-up of
    the previous negotiations lists what was agreed then, and the conclusions item holds
    what is agreed now."""

    NONE = "", _("no special role")
    PREVIOUS_FOLLOW_UP = "previous_follow_up", _("follow-up of the previous negotiations")
    CONCLUSIONS = "conclusions", _("conclusions and agreed follow-up actions")


class AgendaTemplate(models.Model):
    """The default agenda of a round, kept by administrators, with item titles in fi and sv."""

    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("agenda template")
        verbose_name_plural = _("agenda templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgendaTemplateItem(models.Model):
    template = models.ForeignKey(AgendaTemplate, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"))
    title_fi = models.CharField(_("title in Finnish"), max_length=300)
    title_sv = models.CharField(_("title in Swedish"), max_length=300)
    responsible = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("responsible ministry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    role = models.CharField(
        _("role in the cycle"), max_length=20, choices=AgendaRole.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("agenda template item")
        verbose_name_plural = _("agenda template items")
        ordering = ["template", "position"]

    def __str__(self) -> str:
        return self.title_fi


class AgendaItem(models.Model):
    negotiation = models.ForeignKey(
        Negotiation, on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(pgettext_lazy("heading", "title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    responsible = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("responsible ministry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "ministry"},
    )
    presenter = models.CharField(_("presenter"), max_length=200, blank=True)
    role = models.CharField(
        _("role in the cycle"), max_length=20, choices=AgendaRole.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["negotiation", "position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Document(models.Model):
    """Background material, attached to a round, a negotiation or one agenda item."""

    class Kind(models.TextChoices):
        THL_ASSESSMENT = "thl_assessment", _("THL expert assessment")
        MINISTRY_OBSERVATIONS = "ministry_observations", _("ministry observations")
        KUVA_INDICATORS = "kuva_indicators", _("KUVA indicators")
        SUPERVISION_REPORT = "supervision_report", _("supervision report")
        INVESTMENT_PLAN = "investment_plan", _("investment plan")
        SLIDES = "slides", _("slides")
        REGION_OBSERVATIONS = "region_observations", _("region's observations")
        OTHER = "other", _("other")

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    negotiation = models.ForeignKey(
        Negotiation, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=3, choices=Language.choices)
    title = models.CharField(pgettext_lazy("heading", "title"), max_length=300)
    publicity = models.CharField(
        _("publicity"), max_length=10, choices=Publicity.choices, default=Publicity.INTERNAL
    )
    secrecy_ground = models.ForeignKey(
        "regions.SecrecyGround",
        verbose_name=_("ground for secrecy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    file = models.FileField(max_length=200, editable=False)
    original_name = models.CharField(max_length=200, editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveBigIntegerField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            # Material for everyone in a round, or for one negotiation (an agenda item's
            # material also names its negotiation, so access follows the negotiation).
            models.CheckConstraint(
                condition=(Q(round__isnull=False) & Q(negotiation__isnull=True))
                | (Q(round__isnull=True) & Q(negotiation__isnull=False)),
                name="document_round_or_negotiation",
            ),
            models.CheckConstraint(
                condition=Q(agenda_item__isnull=True) | Q(negotiation__isnull=False),
                name="document_item_within_negotiation",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        errors = publicity_errors(self.publicity, self.secrecy_ground)
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self) -> bool:
        return self.publicity == Publicity.PUBLIC


class DocumentEvent(models.Model):
    """Who changed a document's publicity or removed it, and when. Kept after the
    document itself is gone, with its title, so a removal stays on record."""

    class Action(models.TextChoices):
        PUBLICITY = "publicity", _("publicity changed")
        DELETED = "deleted", _("removed")

    document = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    document_pk = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    action = models.CharField(max_length=20, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("document event")
        verbose_name_plural = _("document events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.title} {self.action} {self.at:%Y-%m-%d %H:%M}"


class Reminder(models.Model):
    """A notice that went out, so that a periodic task sends each one exactly once."""

    class Kind(models.TextChoices):
        MATERIAL_DEADLINE = "material_deadline", _("material deadline")

    negotiation = models.ForeignKey(Negotiation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    deadline = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            # The database, not the task, guarantees "once per deadline": two beat runs
            # racing each other cannot both insert the row.
            models.UniqueConstraint(
                fields=["negotiation", "kind", "deadline"], name="reminder_once_per_deadline"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.deadline} → {self.negotiation_id}"
