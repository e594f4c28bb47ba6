"""Minutes of a negotiation: the living draft, its frozen versions, comments and answers."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from regions.models import OfficialLanguage, Publicity, publicity_errors


class Minutes(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("in review")
        REVISED = "revised", _("being revised")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")

    negotiation = models.OneToOneField(
        "negotiations.Negotiation", on_delete=models.PROTECT, related_name="minutes"
    )
    language = models.CharField(
        _("language of the minutes"), max_length=2, choices=OfficialLanguage.choices
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    participants = models.TextField(_("participants"), blank=True)
    # --- The record (issue 17): what a protocol of the state keeps. -----------------
    # The Government's case-management number, as it writes it (VN/12345/2027); one
    # protocol per number (constraint below), none when not yet registered.
    diary_number = models.CharField(_("diary number"), max_length=40, blank=True, default="")
    memorandum_date = models.DateField(_("date of the memorandum"), null=True, blank=True)
    # --- end of the record's fields ---------------------------------------------------
    # Optimistic locking: every save of the text bumps this; a save based on an older
    # number is refused instead of silently overwriting someone else's edit.
    revision = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.UniqueConstraint(
                fields=["diary_number"],
                condition=~Q(diary_number=""),
                name="minutes_diary_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return str(self.negotiation)

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.REVISED)

    @property
    def is_final(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.PUBLISHED)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    # What the pages offer, read from the one table (MINUTES_TRANSITIONS, below).
    def _allows(self, target, action) -> bool:
        return MINUTES_TRANSITIONS.get(self.status, {}).get(target) == action

    @property
    def may_start_revision(self) -> bool:
        return self._allows(self.Status.REVISED, MinutesEvent.Action.REVISING)

    @property
    def may_be_approved(self) -> bool:
        return self._allows(self.Status.APPROVED, MinutesEvent.Action.APPROVED)

    @property
    def may_be_published(self) -> bool:
        return self._allows(self.Status.PUBLISHED, MinutesEvent.Action.PUBLISHED)


class Section(models.Model):
    """The minutes of one agenda item."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="sections")
    agenda_item = models.ForeignKey(
        "negotiations.AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(pgettext_lazy("heading", "title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    # Copied from the agenda item (negotiations.models.AgendaRole): the follow-up section
    # lists last year's items, the conclusions section holds what is agreed now.
    role = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["minutes", "position"]

    def __str__(self) -> str:
        return self.heading

    def save(self, *args, **kwargs):
        # The approved text is the record: its working copy is frozen with it.
        if self.minutes.is_final:
            raise PermissionError("Approved minutes cannot change.")
        super().save(*args, **kwargs)


class FrozenWithMinutes(models.Model):
    """Part of the working copy of the minutes: frozen once they are approved."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # The approved text is the record: its working copy is frozen with it.
        if self.minutes.is_final:
            raise PermissionError("Approved minutes cannot change.")
        super().save(*args, **kwargs)


class ParticipantRole(models.TextChoices):
    CHAIR = "chair", _("chair")
    SECRETARY = "secretary", _("secretary")
    MEMBER = "member", pgettext_lazy("participant role", "participant")


class ProtocolParticipant(FrozenWithMinutes):
    """One person the protocol records as present: who, from where, in what role and for
    how long. Frozen into each version's snapshot (minutes/record.py); the free-text
    `Minutes.participants` stays for minutes written before these rows existed."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="participant_rows")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    # One of: a ministry or agency, the region (or another region), or free text.
    organisation = models.ForeignKey(
        "regions.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    other_organisation = models.CharField(_("other organisation"), max_length=200, blank=True)
    role = models.CharField(
        _("role"), max_length=10, choices=ParticipantRole.choices, default=ParticipantRole.MEMBER
    )
    # Attendance: both empty for the whole meeting; else from/to times and/or the items.
    present_from = models.TimeField(_("present from"), null=True, blank=True)
    present_to = models.TimeField(_("present until"), null=True, blank=True)
    items = models.CharField(_("present for items"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("protocol participant")
        verbose_name_plural = _("protocol participants")
        ordering = ["minutes", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes"], condition=Q(role="chair"), name="participant_one_chair"
            ),
            models.UniqueConstraint(
                fields=["minutes"],
                condition=Q(role="secretary"),
                name="participant_one_secretary",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | Q(region__isnull=True),
                name="participant_one_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OutcomeKind(models.TextChoices):
    CONCLUSION = "conclusion", pgettext_lazy("outcome", "conclusion")
    RECOMMENDATION = "recommendation", _("recommendation for action")
    FOLLOW_UP = "follow_up", _("agreed follow-up action")


# The kinds the ledger follows from year to year; a conclusion is recorded only.
TRACKED_KINDS = (OutcomeKind.RECOMMENDATION, OutcomeKind.FOLLOW_UP)


class Responsible(models.TextChoices):
    REGION = "region", _("the region")
    MINISTRY = "ministry", _("the ministry")
    BOTH = "both", _("the region and the ministry")


class OutcomeItem(FrozenWithMinutes):
    """A conclusion, recommendation or agreed follow-up action, under its section."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=OutcomeKind.choices)
    text = models.TextField(_("text"))
    responsible = models.CharField(
        _("responsible party"), max_length=10, choices=Responsible.choices,
        default=Responsible.REGION,
    )  # fmt: skip
    ministry = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("responsible ministry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "ministry"},
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    topic = models.ForeignKey(
        "regions.Topic",
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("outcome item")
        verbose_name_plural = _("outcome items")
        ordering = ["minutes", "section__position", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ImmutableQuerySet(models.QuerySet):
    """Bulk writes would slip past save(); a frozen version refuses them too."""

    def update(self, **kwargs):
        raise PermissionError("Minutes versions are immutable.")

    def delete(self):
        raise PermissionError("Minutes versions are immutable.")

    def open_for_review(self, today=None):
        """The one rule for "may the region still comment on this version": its period
        runs, and nothing has overtaken it (a newer version for review, an approval, a
        publication). Pages, forms, services and the landing lists all ask this."""
        today = today or timezone.localdate()
        newer = MinutesVersion.objects.filter(
            minutes=OuterRef("minutes"), number__gt=OuterRef("number")
        )
        return (
            self.filter(approved=False, review_deadline__gte=today)
            .exclude(minutes__status__in=[Minutes.Status.APPROVED, Minutes.Status.PUBLISHED])
            .exclude(Exists(newer))
        )


class MinutesVersion(models.Model):
    """A frozen copy of the minutes, as sent for review or as approved. Never changes."""

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    approved = models.BooleanField(default=False)
    snapshot = models.JSONField()
    content_sha256 = models.CharField(max_length=64)
    review_deadline = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("minutes version")
        verbose_name_plural = _("minutes versions")
        ordering = ["minutes", "number"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Minutes versions are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Minutes versions are immutable.")

    @cached_property
    def review_open(self) -> bool:
        return MinutesVersion.objects.open_for_review().filter(pk=self.pk).exists()

    def section(self, section_id: int) -> dict | None:
        return next((s for s in self.snapshot["sections"] if s["id"] == section_id), None)


class CommentQuerySet(models.QuerySet):
    def threads(self):
        """The region's comments: everything but the ministry's internal notes, which are
        never shown to the region, counted for it, or waiting for an answer."""
        return self.exclude(publicity=Publicity.INTERNAL)

    def awaiting_answer(self):
        return self.threads().filter(withdrawn_at__isnull=True, answer__isnull=True)


class Comment(models.Model):
    """A region's remark on one section of one version (a thread with its answer), or an
    official's internal note there (publicity "ministry-internal", never answered).

    A region's thread starts "shared with the region" and without a ground: not yet
    classified by `publicity_errors`, the one rule, until an official classifies it
    (shared with the region and a ground, or public with the protocol). Region staff are
    never made to name a legal ground; a note names its ground when written."""

    version = models.ForeignKey(MinutesVersion, on_delete=models.PROTECT, related_name="comments")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    quote = models.TextField(_("quoted sentence"), blank=True)
    # The outcome item of the section the comment is about, by its id in the version's
    # snapshot (the item may be gone from the working copy since): none for the section.
    item_id = models.PositiveBigIntegerField(null=True, blank=True)
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    publicity = models.CharField(
        _("publicity"), max_length=10, choices=Publicity.choices, default=Publicity.REGION
    )
    secrecy_ground = models.ForeignKey(
        "regions.SecrecyGround",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ground for secrecy"),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["version", "section__position", "created_at"]

    def __str__(self) -> str:
        return self.body[:80]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_note(self) -> bool:
        return self.publicity == Publicity.INTERNAL

    @property
    def is_classified(self) -> bool:
        return not publicity_errors(self.publicity, self.secrecy_ground)

    def change_refusal(self, user) -> str | None:
        """The one rule for whether `user` may still edit or withdraw this comment: None
        if they may, else why not. Its author, a region's thread (not a note), neither
        withdrawn nor answered, and its version still open for comments. The service,
        the edit page and the version page's "edit or withdraw" link all ask this."""
        if self.author_id != user.pk or self.is_note:
            return gettext("Only the author can change a comment.")
        if self.is_withdrawn or hasattr(self, "answer"):
            return gettext("The comment can no longer be changed.")
        if not self.version.review_open:
            return gettext("The comment period of this version has ended.")
        return None


class Answer(models.Model):
    """The ministry's response (vastine) to one comment."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("accepted and changed")
        PARTLY = "partly", _("partly accepted")
        NOT_ACCEPTED = "not_accepted", _("not accepted")

    comment = models.OneToOneField(Comment, on_delete=models.PROTECT, related_name="answer")
    decision = models.CharField(_("decision"), max_length=15, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            # A comment that is not accepted (fully) must say why.
            models.CheckConstraint(
                condition=Q(decision="accepted") | ~Q(reason=""),
                name="answer_reason_unless_accepted",
            ),
        ]

    def __str__(self) -> str:
        return self.get_decision_display()


class ReviewCompletion(models.Model):
    """A region says it has finished commenting on a version (possibly with no comments)."""

    version = models.ForeignKey(MinutesVersion, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("completed review")
        verbose_name_plural = _("completed reviews")
        constraints = [
            models.UniqueConstraint(fields=["version"], name="review_completed_once"),
        ]

    def __str__(self) -> str:
        return f"{self.version} done"


class MinutesEvent(models.Model):
    """History: every transition and every edit, with who and when."""

    class Action(models.TextChoices):
        CREATED = "created", _("started the minutes")
        EDITED = "edited", _("edited the text")
        ACTION_ADDED = "action_added", _("added an outcome item")
        ACTION_CHANGED = "action_changed", _("changed an outcome item")
        ACTION_REMOVED = "action_removed", _("removed an outcome item")
        ASSESSED = "assessed", _("assessed an item of the previous negotiations")
        SENT = "sent", _("sent a version for review")
        REVISING = "revising", _("started revising")
        COMMENTED = "commented", _("commented")
        COMMENT_EDITED = "comment_edited", _("edited a comment")
        COMMENT_WITHDRAWN = "comment_withdrawn", _("withdrew a comment")
        ANSWERED = "answered", _("answered a comment")
        REVIEW_DONE = "review_done", _("finished the review")
        APPROVED = "approved", _("approved the minutes")
        PUBLISHED = "published", _("published the protocol")
        CORRECTION = "correction", _("started a correction")
        WITHDRAWN = "withdrawn", _("withdrew the protocol")
        NOTE_ADDED = "note_added", _("added an internal note")
        THREAD_CLASSIFIED = "thread_classified", _("set the publicity of a comment")

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    version = models.ForeignKey(
        MinutesVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Free text as it was written (a reason, an item's text). What the portal itself says
    # about the event is kept as codes and values in `data` and put into words when a page
    # is drawn, so each reader gets the words of their own language.
    detail = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("minutes event")
        verbose_name_plural = _("minutes events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"

    @property
    def detail_is_protocol_text(self) -> bool:
        """An outcome item's own text, written in the protocol's language."""
        return self.action in (
            self.Action.ACTION_ADDED,
            self.Action.ACTION_CHANGED,
            self.Action.ACTION_REMOVED,
        )

    @property
    def status_label(self):
        status = self.data.get("status")
        return ItemStatus(status).label if status in ItemStatus.values else status

    @property
    def publicity_label(self):
        level = self.data.get("publicity")
        return Publicity(level).label if level in Publicity.values else level


class TransitionRefused(ValidationError):
    """A move that its machine's table of transitions does not allow. A ValidationError,
    so that the views show it as a message like any other refusal."""

    def __init__(self, message, *, current, target):
        super().__init__(message, code="invalid_state")
        self.current, self.target = current, target


# The minutes' life, the one table of it: from each status, the statuses the minutes may
# move to and the history row each move writes (a revision after review and a correction
# after publication both reopen the text, but are different moves).
MINUTES_TRANSITIONS = {
    Minutes.Status.DRAFT: {Minutes.Status.IN_REVIEW: MinutesEvent.Action.SENT},
    Minutes.Status.IN_REVIEW: {
        Minutes.Status.REVISED: MinutesEvent.Action.REVISING,
        Minutes.Status.APPROVED: MinutesEvent.Action.APPROVED,
    },
    Minutes.Status.REVISED: {
        Minutes.Status.IN_REVIEW: MinutesEvent.Action.SENT,
        Minutes.Status.APPROVED: MinutesEvent.Action.APPROVED,
    },
    Minutes.Status.APPROVED: {Minutes.Status.PUBLISHED: MinutesEvent.Action.PUBLISHED},
    Minutes.Status.PUBLISHED: {Minutes.Status.REVISED: MinutesEvent.Action.CORRECTION},
}


def minutes_refusal(minutes: Minutes, target, action) -> TransitionRefused | None:
    """Why the minutes may not make this move now (None when the table allows it)."""
    if MINUTES_TRANSITIONS.get(minutes.status, {}).get(target) == action:
        return None
    return TransitionRefused(
        gettext("This cannot be done while the minutes are %(status)s.")
        % {"status": minutes.get_status_display()},
        current=minutes.status,
        target=target,
    )


class ReviewReminder(models.Model):
    """A comment-deadline reminder that went out: once per version."""

    version = models.ForeignKey(MinutesVersion, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("review reminder")
        verbose_name_plural = _("review reminders")
        constraints = [
            models.UniqueConstraint(fields=["version"], name="review_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"reminder {self.version_id}"


class ProtocolPDF(models.Model):
    """The rendered PDF of one version in one language: one row, one file, ever."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RENDERING = "rendering", _("rendering")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    version = models.ForeignKey(MinutesVersion, on_delete=models.PROTECT, related_name="pdfs")
    language = models.CharField(max_length=2, choices=OfficialLanguage.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(default=0)
    pages = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    # Who is rendering ("host:pid") and when it last said it was alive: a render whose
    # holder is gone is taken over at once instead of after the stale timeout.
    worker = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # When the reconciler last saw the stored file of a finished render (oldest first).
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("protocol PDF")
        verbose_name_plural = _("protocol PDFs")
        constraints = [
            # Rendering the same version twice must give one PDF, never two.
            models.UniqueConstraint(fields=["version", "language"], name="pdf_one_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.language} {self.status}"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def has_failed(self) -> bool:
        return self.status == self.Status.FAILED


# The render state, the one table of it. A finished PDF whose file is lost is rendered
# again (done → queued by the reconciler, or → rendering by a render already on its
# way); a worker that is gone is replaced (rendering → rendering, or → queued); a
# failed render waits for an official's retry (failed → queued), since the same content
# fails the same way; a queued row gone stale is queued again, and a render that ends
# after it was given up on still counts (queued → done: the file is the same).
PDF_TRANSITIONS = {
    ProtocolPDF.Status.QUEUED: {
        ProtocolPDF.Status.QUEUED,
        ProtocolPDF.Status.RENDERING,
        ProtocolPDF.Status.DONE,
    },
    ProtocolPDF.Status.RENDERING: {
        ProtocolPDF.Status.RENDERING,
        ProtocolPDF.Status.QUEUED,
        ProtocolPDF.Status.DONE,
        ProtocolPDF.Status.FAILED,
    },
    ProtocolPDF.Status.DONE: {ProtocolPDF.Status.QUEUED, ProtocolPDF.Status.RENDERING},
    ProtocolPDF.Status.FAILED: {ProtocolPDF.Status.QUEUED},
}


def pdf_sources(target) -> list:
    """The states from which a PDF may move to `target`."""
    return [source for source, targets in PDF_TRANSITIONS.items() if target in targets]


class Publication(models.Model):
    """An approved version made public. A correction is a newer publication of a newer
    approved version; the older one stays readable. A withdrawal leaves a notice."""

    version = models.OneToOneField(
        MinutesVersion, on_delete=models.PROTECT, related_name="publication"
    )
    negotiation = models.ForeignKey(
        "negotiations.Negotiation", on_delete=models.PROTECT, related_name="publications"
    )
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    correction_note = models.TextField(_("correction note"), blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    # The published text as plain words, for full-text search; the version never
    # changes, so neither does this.
    search_text = models.TextField(blank=True, editable=False)
    # Stored by the protocol's own text-search configuration (Finnish or Swedish) when
    # published, on PostgreSQL; ranking then reads it instead of re-parsing every text.
    # Its GIN index exists on PostgreSQL only (migration 0009).
    search_vector = SearchVectorField(null=True, editable=False)

    # Copied from the negotiation when published, none of which changes afterwards, so
    # that the public lists, feeds and search read this table alone instead of joining
    # five: the public pages run these queries on every uncached request.
    # The meeting as it was when published: the public page, the API and the feeds read
    # these, so editing the negotiation later (a new place or time) never changes a
    # published record; a correction freezes the new ones. Copied into the publication
    # rather than read from the version's snapshot, which lacks them and never changes.
    starts_at = models.DateTimeField(_("starts"), editable=False)
    ends_at = models.DateTimeField(_("ends"), editable=False)
    place = models.CharField(_("place"), max_length=200, blank=True, editable=False)
    is_current = models.BooleanField(
        default=True, editable=False, help_text=_("False once a correction has replaced it.")
    )
    year = models.PositiveSmallIntegerField(editable=False)
    round_kind = models.CharField(max_length=16, editable=False)
    language = models.CharField(max_length=2, choices=OfficialLanguage.choices, editable=False)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, editable=False, related_name="+"
    )
    # Set for a cooperation-area negotiation, as on the negotiation (region or area, never both).
    cooperation_area = models.ForeignKey(
        "regions.CooperationArea", on_delete=models.PROTECT, null=True, editable=False,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_at", "-pk"]
        indexes = [
            # Neighbouring publications of one negotiation (corrections) and one party.
            models.Index(fields=["negotiation", "-published_at"], name="publication_latest_idx"),
            # The public list, front page and feed: the listed ones, newest first.
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(is_current=True, withdrawn_at__isnull=True),
                name="publication_listed_idx",
            ),
            models.Index(fields=["region", "-published_at"], name="publication_region_idx"),
        ]
        constraints = [
            # A withdrawal always says why: the public notice shows it.
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawal_reason=""),
                name="publication_withdrawal_has_reason",
            ),
            # Only the newest publication of a negotiation is the current one.
            models.UniqueConstraint(
                fields=["negotiation"],
                condition=Q(is_current=True),
                name="publication_one_current_per_negotiation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.negotiation} v{self.version.number}"

    def get_absolute_url(self) -> str:
        return reverse("public_protocol", args=[self.pk])

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def party(self):
        """The region, or for a cooperation-area negotiation the area (select_related both)."""
        return self.region or self.cooperation_area


class ItemStatus(models.TextChoices):
    """Where a recommendation or follow-up action stands. Overdue is not a status: it is
    an open item past its due date, shown, never stored."""

    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


# Which status an official may set from which: a finished item is reopened, not
# rewritten; a dropped one always says why (TrackedItem's constraint).
ITEM_TRANSITIONS = {
    ItemStatus.OPEN: {ItemStatus.IN_PROGRESS, ItemStatus.DONE, ItemStatus.DROPPED},
    ItemStatus.IN_PROGRESS: {ItemStatus.OPEN, ItemStatus.DONE, ItemStatus.DROPPED},
    ItemStatus.DONE: {ItemStatus.IN_PROGRESS},
    ItemStatus.DROPPED: {ItemStatus.OPEN},
}
CLOSED_STATUSES = (ItemStatus.DONE, ItemStatus.DROPPED)


class TrackedItemQuerySet(models.QuerySet):
    def in_record(self):
        """Items still in their protocol (a correction can take one out)."""
        return self.filter(removed_at__isnull=True)

    def still_open(self):
        return self.in_record().exclude(status__in=CLOSED_STATUSES)

    def of_party(self, party):
        from regions.models import Region

        if isinstance(party, Region):
            return self.filter(region=party)
        return self.filter(cooperation_area=party)


class TrackedItem(models.Model):
    """A published recommendation or follow-up action, followed until it is done.

    Made when its protocol is published, from the item frozen in the version; a
    correction updates the text. `status` is the working status (reports, officials);
    `assessed_status` is what the latest published protocol that assessed it recorded,
    which is all the public sees."""

    negotiation = models.ForeignKey(
        "negotiations.Negotiation", on_delete=models.PROTECT, related_name="tracked_items"
    )
    # The OutcomeItem's id in the frozen version: stable across corrections.
    source_item_id = models.PositiveBigIntegerField()
    made_in = models.ForeignKey("Publication", on_delete=models.PROTECT, related_name="made_items")
    year = models.PositiveSmallIntegerField(editable=False)
    round_kind = models.CharField(max_length=20, editable=False)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, related_name="tracked_items"
    )
    cooperation_area = models.ForeignKey(
        "regions.CooperationArea", on_delete=models.PROTECT, null=True,
        related_name="tracked_items",
    )  # fmt: skip
    language = models.CharField(max_length=2, choices=OfficialLanguage.choices)
    number = models.CharField(_("number"), max_length=20)
    section_heading = models.CharField(max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=OutcomeKind.choices)
    text = models.TextField(_("text"))
    responsible = models.CharField(
        _("responsible party"), max_length=10, choices=Responsible.choices
    )
    ministry = models.ForeignKey(
        "regions.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    due_date = models.DateField(_("due date"), null=True, blank=True)
    topic = models.ForeignKey(
        "regions.Topic", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    status_reason = models.TextField(_("reason"), blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    assessed_status = models.CharField(
        max_length=12, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    assessment_text = models.TextField(blank=True)
    assessed_in = models.ForeignKey(
        "Publication", on_delete=models.PROTECT, null=True, blank=True,
        related_name="assessed_items",
    )  # fmt: skip
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = TrackedItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("tracked item")
        verbose_name_plural = _("tracked items")
        ordering = ["-year", "negotiation", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["negotiation", "source_item_id"], name="tracked_item_once"
            ),
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(status_reason=""),
                name="tracked_item_dropped_has_reason",
            ),
            models.CheckConstraint(
                condition=(Q(region__isnull=False) & Q(cooperation_area__isnull=True))
                | (Q(region__isnull=True) & Q(cooperation_area__isnull=False)),
                name="tracked_item_one_party",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="tracked_item_region_idx"),
            models.Index(fields=["year", "kind"], name="tracked_item_year_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.number} {self.text[:60]}"

    @property
    def party(self):
        return self.region or self.cooperation_area

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def is_overdue(self) -> bool:
        return (
            not self.is_closed
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


class ItemAssessment(FrozenWithMinutes):
    """The minutes' word on an item of the previous negotiations: its status as the
    negotiation found it, and why. Frozen with the version; publishing it updates the
    ledger."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="assessments")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="assessments")
    item = models.ForeignKey(TrackedItem, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(_("status"), max_length=12, choices=ItemStatus.choices)
    text = models.TextField(_("assessment"), blank=True)

    class Meta:
        verbose_name = _("item assessment")
        verbose_name_plural = _("item assessments")
        ordering = ["minutes", "item__year", "item__number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "item"], name="assessment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.status}"


class ItemReport(models.Model):
    """A dated progress report from the region, or an official's remark, on one item.
    Seen by the region and the ministries (shared with the region), never the public."""

    item = models.ForeignKey(TrackedItem, on_delete=models.PROTECT, related_name="reports")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_ministry = models.BooleanField(default=False)
    at = models.DateTimeField(default=timezone.now)
    text = models.TextField(_("report"))
    file = models.FileField(max_length=200, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("item report")
        verbose_name_plural = _("item reports")
        ordering = ["item", "at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ItemEvent(models.Model):
    """The item's history: made, corrected, reported on, status set, assessed."""

    class Action(models.TextChoices):
        MADE = "made", _("published in the protocol")
        CORRECTED = "corrected", _("changed by a correction")
        REMOVED = "removed", _("removed by a correction")
        REPORTED = "reported", _("reported progress")
        REMARKED = "remarked", _("commented")
        STATUS = "status", _("set the status")
        ASSESSED = "assessed", _("assessed in the negotiations")

    item = models.ForeignKey(TrackedItem, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    status_from = models.CharField(max_length=12, choices=ItemStatus.choices, blank=True)
    status_to = models.CharField(max_length=12, choices=ItemStatus.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("item event")
        verbose_name_plural = _("item events")
        ordering = ["item", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class ItemReminder(models.Model):
    """A due-date reminder that went out: once per item and due date (a due date moved by
    a correction is reminded again)."""

    item = models.ForeignKey(TrackedItem, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("item reminder")
        verbose_name_plural = _("item reminders")
        constraints = [
            # The database, not the task, guarantees "once": two beat runs racing each
            # other cannot both insert the row.
            models.UniqueConstraint(fields=["item", "due_date"], name="item_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"reminder {self.item_id} {self.due_date}"


# --- The parallel translation (issue 17) ---------------------------------------------------


class MinutesTranslation(models.Model):
    """The minutes in the other national language, beside the main text: the same sections
    and outcome items (agenda, positions, kinds, dates, parties are the main text's), only
    their words translated. One row, its texts keyed by the ids of the rows they translate,
    saved under the minutes' own revision lock and frozen into the same versions, so the
    two languages are reviewed, approved, published, corrected and withdrawn as one."""

    minutes = models.OneToOneField(Minutes, on_delete=models.CASCADE, related_name="translation")
    language = models.CharField(
        _("language of the translation"), max_length=2, choices=OfficialLanguage.choices
    )
    participants = models.TextField(_("participants"), blank=True)
    # {"<section id>": {"heading": "...", "body": "..."}}
    sections = models.JSONField(default=dict, blank=True)
    # {"<outcome item id>": "text"}
    items = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("translation of the minutes")
        verbose_name_plural = _("translations of the minutes")

    def __str__(self) -> str:
        return f"{self.minutes} ({self.language})"

    def save(self, *args, **kwargs):
        # The approved text is the record, in both languages.
        if self.minutes.is_final:
            raise PermissionError("Approved minutes cannot change.")
        super().save(*args, **kwargs)


# Defined in its own package, registered with this app's models.
from .archive.models import ArchiveExport  # noqa: E402, F401
