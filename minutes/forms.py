from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from regions.models import Organisation, Publicity, SecrecyGround, Topic, publicity_errors

from .markup import render_markup
from .models import Answer, ItemStatus, OutcomeKind, Responsible, Section
from .pdf import table_rows
from .services import outcomes
from .services.outcomes import assessment_errors, outcome_errors
from .services.threads import THREAD_LEVELS


class MinutesTextForm(forms.Form):
    """The whole text on one page; `revision` is the copy the editor started from."""

    # Hidden, so only a damaged or forged page sends a bad one; it is said in words
    # (the editor shows it above the form) and the text typed stays in the form.
    revision = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2_147_483_647,
        error_messages={
            "invalid": _(
                "The page's copy number was damaged. Your text is kept below: save again."
            ),
            "min_value": _(
                "The page's copy number was damaged. Your text is kept below: save again."
            ),
            "max_value": _(
                "The page's copy number was damaged. Your text is kept below: save again."
            ),
            "required": _(
                "The page's copy number was missing. Your text is kept below: save again."
            ),
        },
    )
    participants = forms.CharField(
        label=_("Other notes on participants"),
        help_text=_("Free text, printed after the list of participants."),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, minutes, **kwargs):
        super().__init__(*args, **kwargs)
        # The protocol's text is in its own language, the page around it in the reader's:
        # a screen reader must switch for the text and its heading (WCAG 3.1.2).
        lang = minutes.language
        self.fields["participants"].widget.attrs["lang"] = lang
        self.sections = list(minutes.sections.order_by("position"))
        for section in self.sections:
            self.fields[f"section_{section.pk}"] = forms.CharField(
                label=format_html(
                    '{}. <span lang="{}">{}</span>', section.position, lang, section.heading
                ),
                required=False,
                # Generous for any agenda item, and small enough that the whole protocol
                # renders well inside the worker's time limit (bench/RESULTS.md).
                max_length=settings.PROTOCOL_SECTION_MAX_CHARACTERS,
                error_messages={
                    "max_length": _(
                        "This section has %(show_value)d characters; a section can have at "
                        "most %(limit_value)d. Shorten it, or put long material in an "
                        "attachment."
                    )
                },
                widget=forms.Textarea(attrs={"rows": 8, "lang": lang}),
                initial=section.body,
                help_text=_("Markdown: # heading, *emphasis*, - list, [link](https://…), tables."),
            )

    def clean(self):
        cleaned = super().clean()
        total = sum(len(value) for value in cleaned.values() if isinstance(value, str))
        limit = settings.PROTOCOL_TOTAL_MAX_CHARACTERS
        if total > limit:
            raise forms.ValidationError(
                _(
                    "The minutes have %(total)d characters in all; the protocol can have at "
                    "most %(limit)d. Shorten the sections, or put long material in an "
                    "attachment."
                ),
                code="too_long",
                params={"total": total, "limit": limit},
            )
        rows = sum(
            table_rows(render_markup(value)) for value in cleaned.values() if isinstance(value, str)
        )
        row_limit = settings.PROTOCOL_LIMITS["table_rows"]
        if rows > row_limit:
            raise forms.ValidationError(
                _(
                    "The tables of the minutes have %(rows)d rows in all; the protocol can "
                    "have at most %(limit)d. Shorten the tables, or put them in an attachment."
                ),
                code="too_many_rows",
                params={"rows": rows, "limit": row_limit},
            )
        return cleaned

    @classmethod
    def initial_for(cls, minutes) -> dict:
        return {
            "revision": minutes.revision,
            "participants": minutes.participants,
        }

    def section_bodies(self) -> dict[int, str]:
        return {s.pk: self.cleaned_data.get(f"section_{s.pk}", "") for s in self.sections}


class OutcomeRowForm(forms.Form):
    """One outcome item of a section in the editor: an existing one (which can be
    removed) or the section's blank row for a new one, left out while untouched. Its rule
    is `outcomes.outcome_errors`, shared with the service."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "–"), *OutcomeKind.choices], required=False
    )
    text = forms.CharField(
        label=_("Text"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    responsible = forms.ChoiceField(
        label=_("Responsible party"), choices=Responsible.choices, initial=Responsible.REGION
    )
    ministry = forms.ModelChoiceField(
        label=_("Responsible ministry"), required=False,
        queryset=Organisation.objects.filter(kind=Organisation.Kind.MINISTRY),
    )  # fmt: skip
    due_date = forms.DateField(
        label=_("Due date"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    topic = forms.ModelChoiceField(label=_("Topic"), required=False, queryset=Topic.objects.none())
    remove = forms.BooleanField(label=_("Remove the item"), required=False)

    # The service's fields; the section is the row's place in the editor, not a field.
    ITEM_FIELDS = tuple(name for name in outcomes.ITEM_FIELDS if name != "section")

    def __init__(self, *args, minutes, section, item=None, **kwargs):
        if item is not None:
            kwargs.setdefault("initial", {name: getattr(item, name) for name in self.ITEM_FIELDS})
        super().__init__(*args, **kwargs)
        self.minutes, self.section, self.item = minutes, section, item
        self.fields["text"].widget.attrs["lang"] = minutes.language
        # A topic no longer offered stays on the items that have it.
        offered = Q(active=True) | Q(pk=item.topic_id) if item and item.topic_id else Q(active=True)
        self.fields["topic"].queryset = Topic.objects.filter(offered)
        if item is None:
            del self.fields["remove"]

    @property
    def is_new(self) -> bool:
        return self.item is None

    @property
    def to_remove(self) -> bool:
        return not self.is_new and self.is_bound and self.cleaned_data.get("remove", False)

    @property
    def to_save(self) -> bool:
        """Sent with the page and asking for a change (the blank row only once typed in)."""
        return self.is_bound and self.has_changed()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("remove") or (self.is_new and not self.has_changed()):
            return cleaned
        fields = {**cleaned, "section": self.section}
        for field, message in outcome_errors(self.minutes, fields).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return cleaned

    def item_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.ITEM_FIELDS}


class AssessmentForm(forms.Form):
    """The minutes' word on one item of the previous negotiations; its rule is
    `outcomes.assessment_errors`, shared with the service."""

    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices)
    text = forms.CharField(
        label=_("Assessment"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, *args, assessment, **kwargs):
        kwargs.setdefault("initial", {"status": assessment.status, "text": assessment.text})
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.fields["text"].widget.attrs["lang"] = assessment.minutes.language

    def clean(self):
        cleaned = super().clean()
        if "status" in cleaned:
            text = cleaned.get("text", "")
            for field, message in assessment_errors(cleaned["status"], text).items():
                if field not in self.errors:
                    self.add_error(field, message)
        return cleaned


class CommentEditForm(forms.Form):
    quote = forms.CharField(
        label=_("Sentence you mean (optional)"), required=False, max_length=2000
    )
    body = forms.CharField(
        label=_("Comment"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the comment before sending it.")},
    )


def limit_to_version_sections(field, version) -> None:
    """Only the sections of this very version can be commented on: an id from another
    negotiation's minutes is not a valid choice."""
    ids = [section["id"] for section in version.snapshot["sections"]]
    field.queryset = Section.objects.filter(minutes=version.minutes_id, pk__in=ids)
    field.error_messages["invalid_choice"] = _("The section is not part of this version.")


class CommentForm(CommentEditForm):
    section = forms.ModelChoiceField(
        label=_("Section"), queryset=Section.objects.none(), widget=forms.HiddenInput
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        limit_to_version_sections(self.fields["section"], version)

    # The id of one of the section's outcome items in this version; whether it is one is
    # the service's rule (`services.comment_add`).
    item = forms.IntegerField(
        label=_("Item"), required=False, min_value=1, max_value=2**63 - 1,
        error_messages={"invalid": _("The item is not part of this section in this version.")},
    )  # fmt: skip


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Answer.Decision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required unless the comment is accepted as such."),
    )


def _grounds():
    return SecrecyGround.objects.filter(active=True)


class ThreadPublicityForm(forms.Form):
    """Who may read a region's thread: its level and, unless public, its legal ground,
    checked by the one rule (`publicity_errors`)."""

    publicity = forms.ChoiceField(
        label=_("Publicity"), choices=[(level.value, level.label) for level in THREAD_LEVELS]
    )
    secrecy_ground = forms.ModelChoiceField(
        label=_("Ground for secrecy"),
        queryset=SecrecyGround.objects.none(),
        required=False,
        help_text=_("Required unless the thread is public (Act 621/1999, section 24)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secrecy_ground"].queryset = _grounds()

    @staticmethod
    def grounds():
        """The grounds offered, for pages that write the form once per thread."""
        return _grounds()

    def clean(self):
        cleaned = super().clean()
        if "publicity" in cleaned and "secrecy_ground" not in self.errors:
            for name, error in publicity_errors(
                cleaned["publicity"], cleaned.get("secrecy_ground")
            ).items():
                self.add_error(name, error)
        return cleaned


class NoteForm(forms.Form):
    """An official's ministry-internal note on one section; its ground is required."""

    section = forms.ModelChoiceField(
        label=_("Section"), queryset=Section.objects.none(), widget=forms.HiddenInput
    )
    body = forms.CharField(
        label=_("Internal note"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the note before saving it.")},
    )
    secrecy_ground = forms.ModelChoiceField(
        label=_("Ground for secrecy"),
        queryset=SecrecyGround.objects.none(),
        required=False,
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        limit_to_version_sections(self.fields["section"], version)
        self.fields["secrecy_ground"].queryset = _grounds()

    def clean(self):
        cleaned = super().clean()
        if "secrecy_ground" in self.errors:
            return cleaned
        for name, error in publicity_errors(
            Publicity.INTERNAL, cleaned.get("secrecy_ground")
        ).items():
            self.add_error(name, error)
        return cleaned


class ApproveForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason for approving with unanswered comments"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawForm(forms.Form):
    """The withdraw button's form: which publication the official saw (the protocol is
    withdrawn as a whole) and the public reason. A number that is not one of this
    negotiation's public publications is refused by the view with a message."""

    # Digits only: "1.0" or "1e0" is not what the page sent (IntegerField would take it).
    publication = forms.RegexField(
        regex=r"\A[1-9][0-9]{0,8}\Z", error_messages={"invalid": _("Choose the publication.")}
    )
    reason = forms.CharField(label=_("Reason for withdrawal"), max_length=1000)

    def clean_publication(self):
        return int(self.cleaned_data["publication"])


def _sent(data, prefix: str, field: str):
    """The posted data if this row was on the page that sent it, else None (unbound):
    a row the page did not show is left as it is."""
    return data if data is not None and f"{prefix}-{field}" in data else None


class MinutesEditor:
    """The editor page: the text form, and under each section its outcome items, a blank
    row for a new one and, in the follow-up section, the assessments of the previous
    negotiations' items. Saved together by `outcomes.minutes_save_editor`."""

    def __init__(self, data, *, minutes):
        from .models import ItemReport
        from .record_forms import participant_formset, record_form

        self.minutes = minutes
        self.text = MinutesTextForm(
            data, minutes=minutes, initial=MinutesTextForm.initial_for(minutes)
        )
        self.record = record_form(data, minutes=minutes)
        self.participants = participant_formset(data, minutes=minutes)
        items, assessments = {}, {}
        for item in minutes.items.select_related("ministry", "topic").order_by("position", "pk"):
            items.setdefault(item.section_id, []).append(item)
        rows = list(minutes.assessments.select_related("item__ministry", "item__topic"))
        reports = {}
        for report in ItemReport.objects.filter(
            item__in=[row.item_id for row in rows], by_ministry=False
        ).order_by("item", "-at", "-pk"):
            reports.setdefault(report.item_id, report)
        for row in rows:
            assessments.setdefault(row.section_id, []).append(row)
        self.sections = []
        for section in self.text.sections:
            item_rows = []
            for count, item in enumerate(items.get(section.pk, []), start=1):
                prefix = f"item-{item.pk}"
                form = OutcomeRowForm(
                    _sent(data, prefix, "text"), prefix=prefix, minutes=minutes,
                    section=section, item=item,
                )  # fmt: skip
                form.number = f"{section.position}.{count}"
                item_rows.append(form)
            prefix = f"new-{section.pk}"
            assessment_rows = []
            for assessment in assessments.get(section.pk, []):
                a_prefix = f"assessment-{assessment.pk}"
                form = AssessmentForm(
                    _sent(data, a_prefix, "status"), prefix=a_prefix, assessment=assessment
                )
                form.report = reports.get(assessment.item_id)
                assessment_rows.append(form)
            self.sections.append(
                {
                    "section": section,
                    "field": self.text[f"section_{section.pk}"],
                    "items": item_rows,
                    "new": OutcomeRowForm(
                        _sent(data, prefix, "text"),
                        prefix=prefix,
                        minutes=minutes,
                        section=section,
                    ),
                    "assessments": assessment_rows,
                }
            )

    def _rows(self):
        for entry in self.sections:
            yield from entry["items"]
            yield entry["new"]
            yield from entry["assessments"]

    def is_valid(self) -> bool:
        valid = [self.text.is_valid()] + [form.is_valid() for form in self._rows() if form.is_bound]
        valid += [part.is_valid() for part in (self.record, self.participants) if part.is_bound]
        return all(valid)

    def record_changes(self) -> dict | None:
        """The record's fields and participant rows, or None if the page had none."""
        if not (self.record.is_bound and self.participants.is_bound):
            return None
        return {
            "diary_number": self.record.cleaned_data["diary_number"],
            "memorandum_date": self.record.cleaned_data["memorandum_date"],
            "participants": self.participants.rows(),
        }

    def item_changes(self) -> list[dict]:
        return [
            {
                "key": form.prefix,
                "item": form.item,
                "section": form.section,
                "remove": form.to_remove,
                "fields": form.item_fields(),
            }
            for entry in self.sections
            for form in [*entry["items"], entry["new"]]
            if form.to_save
        ]

    def assessment_changes(self) -> list[dict]:
        return [
            {
                "key": form.prefix,
                "assessment": form.assessment,
                "status": form.cleaned_data["status"],
                "text": form.cleaned_data["text"],
            }
            for entry in self.sections
            for form in entry["assessments"]
            if form.is_bound and form.has_changed()
        ]

    def add_errors(self, errors: dict) -> None:
        """A service's refusal (`outcomes.EditorRefused`) next to the row it is about."""
        forms_by_prefix = {form.prefix: form for form in self._rows()}
        forms_by_prefix["record"] = self.record
        for key, error in errors.items():
            form = forms_by_prefix[key]
            if hasattr(error, "error_dict"):
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                form.add_error(None, error)
