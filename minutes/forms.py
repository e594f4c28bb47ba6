from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from regions.models import Publicity, SecrecyGround, Topic, publicity_errors

from .markup import render_markup
from .models import Answer, OutcomeItem, Section
from .outcomes import outcome_errors
from .pdf import table_rows
from .threads import THREAD_LEVELS


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
        label=_("Participants"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, minutes, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = list(minutes.sections.order_by("position"))
        for section in self.sections:
            self.fields[f"section_{section.pk}"] = forms.CharField(
                label=f"{section.position}. {section.heading}",
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
                widget=forms.Textarea(attrs={"rows": 8}),
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


class OutcomeItemForm(forms.ModelForm):
    """One outcome item; its rule is `outcomes.outcome_errors`, shared with the service."""

    class Meta:
        model = OutcomeItem
        fields = ["section", "kind", "text", "responsible", "ministry", "due_date", "topic"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, minutes, **kwargs):
        super().__init__(*args, **kwargs)
        self.minutes = minutes
        self.fields["section"].queryset = minutes.sections.order_by("position")
        self.fields["section"].label_from_instance = lambda s: f"{s.position}. {s.heading}"
        self.fields["topic"].queryset = Topic.objects.filter(active=True)
        self.fields["text"].max_length = 5000

    def clean(self):
        cleaned = super().clean()
        for field, message in outcome_errors(self.minutes, cleaned).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return cleaned

    def _post_clean(self):
        # The instance is saved by the service, which checks the same rule.
        pass


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


class CommentForm(CommentEditForm):
    section = forms.ModelChoiceField(
        label=_("Section"), queryset=Section.objects.none(), widget=forms.HiddenInput
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [section["id"] for section in version.snapshot["sections"]]
        # Only the sections of this very version can be commented on: an id from
        # another negotiation's minutes is not a valid choice.
        self.fields["section"].queryset = Section.objects.filter(
            minutes=version.minutes_id, pk__in=ids
        )
        self.fields["section"].error_messages["invalid_choice"] = _(
            "The section is not part of this version."
        )


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
        ids = [section["id"] for section in version.snapshot["sections"]]
        self.fields["section"].queryset = Section.objects.filter(
            minutes=version.minutes_id, pk__in=ids
        )
        self.fields["section"].error_messages["invalid_choice"] = _(
            "The section is not part of this version."
        )
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
