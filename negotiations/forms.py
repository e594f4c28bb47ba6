from django import forms
from django.conf import settings
from django.core import validators
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from regions.models import (
    Language,
    OfficialLanguage,
    Organisation,
    Publicity,
    SecrecyGround,
    User,
    publicity_errors,
)
from steering.forms import KeyChoiceField, KeyMultipleChoiceField, LanguageOptionsSelect

from .dates import FIRST_YEAR, LAST_YEAR, date_range_error, round_year_error, year_error
from .models import (
    AgendaItem,
    Document,
    Participant,
    Round,
    material_deadline_error,
    negotiation_times_error,
    window_error,
)
from .services import Person

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y %H.%M"]


def officials():
    return User.objects.filter(
        is_active=True, organisation__kind=Organisation.Kind.MINISTRY
    ).order_by("organisation__code", "last_name", "first_name")


# A review longer than a quarter year would outlast the publication target of any round.
MAX_COMMENT_PERIOD_DAYS = 90


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = [
            "year",
            "kind",
            "material_deadline",
            "window_start",
            "window_end",
            "comment_period_days",
            "publication_target",
            "agenda_template",
        ]
        widgets = {
            "material_deadline": DATE_WIDGET,
            "window_start": DATE_WIDGET,
            "window_end": DATE_WIDGET,
            "publication_target": DATE_WIDGET,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The real limits, not the column's (32767): the message then says what is allowed.
        for name, low, high in (
            ("year", FIRST_YEAR, LAST_YEAR),
            ("comment_period_days", 1, MAX_COMMENT_PERIOD_DAYS),
        ):
            field = self.fields[name]
            field.min_value, field.max_value = low, high
            field.widget.attrs.update(min=low, max=high)
            field.validators = [
                validators.MinValueValidator(low),
                validators.MaxValueValidator(high),
            ]

    def clean(self):
        cleaned = super().clean()
        if message := year_error(cleaned.get("year")):
            self.add_error("year", message)
        for name in ("material_deadline", "window_start", "window_end", "publication_target"):
            if message := date_range_error(cleaned.get(name)):
                self.add_error(name, message)
                cleaned.pop(name, None)
        start, end = cleaned.get("window_start"), cleaned.get("window_end")
        if message := window_error(start, end):
            self.add_error("window_end", message)
        target = cleaned.get("publication_target")
        if target and end and target < end:
            self.add_error(
                "publication_target",
                _("The publication target cannot be before the negotiation window ends."),
            )
        return cleaned


class PeopleField(forms.CharField):
    """One person per line: name; title; organisation (title and organisation optional)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, side, **kwargs):
        self.side = side
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _("One person per line: name; title; organisation. People without a login."),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        people = []
        for line in (value or "").splitlines():
            parts = [part.strip() for part in line.split(";")]
            if not parts[0]:
                continue
            if len(parts) > 3:
                raise forms.ValidationError(
                    _("Use at most three parts per line: name; title; organisation.")
                )
            name, title, organisation = [*parts, "", ""][:3]
            if len(name) > 200 or len(title) > 200 or len(organisation) > 200:
                raise forms.ValidationError(_("A name, title or organisation is too long."))
            people.append(Person(side=self.side, name=name, title=title, organisation=organisation))
        return people

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(
                "; ".join(part for part in (p.name, p.title, p.organisation) if part) for p in value
            )
        return value


class NegotiationForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    language = forms.ChoiceField(label=_("Language of the negotiation"), choices=OfficialLanguage)
    material_deadline = forms.DateField(
        label=_("Material deadline"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("The region's material is due by this day. Empty: the round's deadline."),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_link = forms.URLField(
        label=_("Video link"), required=False, assume_scheme="https", max_length=200
    )
    chair = KeyChoiceField(label=_("Chair"), queryset=User.objects.none())
    secretary = KeyChoiceField(label=_("Secretary"), queryset=User.objects.none(), required=False)
    officials = KeyMultipleChoiceField(
        label=_("Ministry officials"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    region_people = KeyMultipleChoiceField(
        label=_("Region staff with a login"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    region_guests = PeopleField(label=_("Other region representatives"), side="region")
    experts = PeopleField(label=_("Experts (e.g. THL)"), side="expert")
    confirm_outside_window = forms.BooleanField(
        label=_("Schedule outside the round's negotiation window anyway"), required=False
    )

    def __init__(self, *args, round, party_regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        for name in ("chair", "secretary", "officials"):
            self.fields[name].queryset = officials()
        self.fields["region_people"].queryset = User.objects.filter(
            region__in=party_regions, is_active=True
        ).order_by("last_name", "first_name")

    def clean(self):
        from .services import outside_window

        cleaned = super().clean()
        for name in ("starts_at", "ends_at", "material_deadline"):
            message = date_range_error(cleaned.get(name))
            if name == "starts_at":
                # Year 1 is also far from the round: said in the round's terms.
                message = round_year_error(self.round.year, cleaned.get(name)) or message
            if message:
                self.add_error(name, message)
                cleaned.pop(name, None)
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        deadline_error = material_deadline_error(cleaned.get("material_deadline"), starts_at)
        if deadline_error:
            self.add_error("material_deadline", deadline_error)
        if starts_at and ends_at:
            if message := negotiation_times_error(starts_at, ends_at):
                self.add_error("ends_at", message)
            elif outside_window(self.round, starts_at, ends_at) and not cleaned.get(
                "confirm_outside_window"
            ):
                self.add_error(
                    "confirm_outside_window",
                    _(
                        "The date is outside the round's negotiation window "
                        "(%(start)s–%(end)s). Tick the box to schedule it anyway."
                    )
                    % {
                        "start": self.round.window_start.strftime("%d.%m.%Y"),
                        "end": self.round.window_end.strftime("%d.%m.%Y"),
                    },
                )
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "language": data["language"],
            "material_deadline": data["material_deadline"],
            "place": data["place"],
            "video_link": data["video_link"],
            "chair": data["chair"],
            "secretary": data["secretary"],
            "officials": list(data["officials"]),
            "region_people": list(data["region_people"]),
            "others": [*data["region_guests"], *data["experts"]],
        }

    @classmethod
    def initial_from(cls, negotiation) -> dict:
        participants = list(negotiation.participants.all())

        def people(side):
            return [p for p in participants if p.user_id is None and p.side == side]

        return {
            "starts_at": negotiation.starts_at,
            "ends_at": negotiation.ends_at,
            "language": negotiation.language,
            "material_deadline": negotiation.material_deadline,
            "place": negotiation.place,
            "video_link": negotiation.video_link,
            "chair": negotiation.chair_id,
            "secretary": negotiation.secretary_id,
            "officials": [
                p.user_id for p in participants if p.user_id and p.side == Participant.Side.MINISTRY
            ],
            "region_people": [
                p.user_id for p in participants if p.user_id and p.side == Participant.Side.REGION
            ],
            "region_guests": people(Participant.Side.REGION),
            "experts": people(Participant.Side.EXPERT),
        }


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "description", "responsible", "presenter", "role"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class PublicityFields(forms.Form):
    """The level and the legal ground, checked by the one rule in regions.publicity_errors."""

    publicity = forms.ChoiceField(
        label=_("Publicity"),
        choices=Publicity.choices,
        required=False,
        initial=Publicity.INTERNAL,
        help_text=_(
            "Public material is published with the protocol version approved next; for a "
            "protocol already approved or published, with its correction."
        ),
    )
    secrecy_ground = forms.ModelChoiceField(
        label=_("Ground for secrecy"),
        queryset=SecrecyGround.objects.filter(active=True),
        required=False,
        help_text=_("Required unless the material is public (Act 621/1999, section 24)."),
    )

    def __init__(self, *args, for_region=False, **kwargs):
        super().__init__(*args, **kwargs)
        if for_region:
            # Region staff share with the ministries; keeping material from the region
            # itself is not theirs to choose.
            self.fields["publicity"].choices = [
                (value, label) for value, label in Publicity.choices if value != "internal"
            ]
            self.fields["publicity"].initial = Publicity.REGION
        self.fields["secrecy_ground"].initial = self.fields["secrecy_ground"].queryset.first()

    def clean(self):
        cleaned = super().clean()
        # A post without the fields (an older form) gets the defaults the form offers.
        if not cleaned.get("publicity") and "publicity" in self.fields:
            cleaned["publicity"] = self.fields["publicity"].initial
        if "secrecy_ground" not in self.data and cleaned.get("publicity") != Publicity.PUBLIC:
            cleaned["secrecy_ground"] = self.fields["secrecy_ground"].queryset.first()
        if "publicity" in cleaned:
            for name, error in publicity_errors(
                cleaned["publicity"], cleaned.get("secrecy_ground")
            ).items():
                self.add_error(name, error)
        return cleaned


class DocumentPublicityForm(PublicityFields):
    pass


class DocumentForm(PublicityFields):
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Document.Kind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    agenda_item = KeyChoiceField(
        label=_("Agenda item"),
        queryset=AgendaItem.objects.none(),
        required=False,
        help_text=_("Leave empty for material on the whole negotiation."),
    )
    file = forms.FileField(label=_("File"))

    field_order = ["title", "kind", "language", "agenda_item", "publicity", "secrecy_ground"]

    def __init__(self, *args, negotiation=None, for_region=False, **kwargs):
        super().__init__(*args, for_region=for_region, **kwargs)
        limit = settings.MAX_UPLOAD_MB
        self.fields["file"].help_text = _(
            "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG or CSV, at most %(limit)s MB."
        ) % {"limit": limit}
        if negotiation is not None:
            field = self.fields["agenda_item"]
            field.queryset = negotiation.agenda_items.order_by("position")
            field.widget = LanguageOptionsSelect(option_language=negotiation.language)
            field.widget.choices = field.choices
        else:
            del self.fields["agenda_item"]
        if for_region:
            # The region uploads its own observations; what they are is not its choice.
            del self.fields["kind"]
            if "agenda_item" in self.fields:
                del self.fields["agenda_item"]


class BulkSlotForm(forms.Form):
    include = forms.BooleanField(label=_("Schedule"), required=False, initial=True)
    party = forms.CharField(widget=forms.HiddenInput)
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )


BulkSlotFormSet = forms.formset_factory(BulkSlotForm, extra=0, max_num=30, absolute_max=30)
