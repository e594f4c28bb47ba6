"""The editor's part for the record: diary number, memorandum date and the participant
rows (a formset: blank rows to fill in, a box to remove one; no JavaScript needed)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from regions.models import Organisation, Region

from .models import ParticipantRole
from .record import clean_diary_number, diary_errors, role_errors


class RecordForm(forms.Form):
    diary_number = forms.CharField(
        label=_("Diary number"),
        required=False,
        max_length=200,  # the rule (at most 40) is said in words by diary_errors
        help_text=_("As the Government's case management gives it, e.g. VN/12345/2027."),
    )
    memorandum_date = forms.DateField(
        label=_("Date of the memorandum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, minutes, **kwargs):
        kwargs.setdefault(
            "initial",
            {"diary_number": minutes.diary_number, "memorandum_date": minutes.memorandum_date},
        )
        super().__init__(*args, prefix="record", **kwargs)
        self.minutes = minutes

    def clean_diary_number(self):
        number = clean_diary_number(self.cleaned_data["diary_number"])
        errors = diary_errors(number, minutes=self.minutes)
        if errors:
            raise forms.ValidationError(errors)
        return number


def organisation_choices(minutes) -> list:
    """Ministries and agencies, then the party's region(s): "o:<pk>" or "r:<pk>"."""
    negotiation = minutes.negotiation
    if negotiation.region_id:
        regions = Region.objects.filter(pk=negotiation.region_id)
    else:
        regions = negotiation.cooperation_area.regions.all()
    return [
        ("", "–"),
        (
            _("Ministries and agencies"),
            [(f"o:{o.pk}", o.name) for o in Organisation.objects.order_by("kind", "pk")],
        ),
        (_("Region"), [(f"r:{r.pk}", r.name) for r in regions.order_by("pk")]),
    ]


class ParticipantForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    other_organisation = forms.CharField(
        label=_("Other organisation"), required=False, max_length=200
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=ParticipantRole.choices, initial=ParticipantRole.MEMBER
    )
    present_from = forms.TimeField(
        label=_("Present from"), required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )  # fmt: skip
    present_to = forms.TimeField(
        label=_("Present until"), required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )  # fmt: skip
    items = forms.CharField(
        label=_("Present for items"), required=False, max_length=100,
        help_text=_("Empty if present the whole meeting; e.g. 1–4, 7."),
    )  # fmt: skip

    def __init__(self, *args, minutes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisation_choices(minutes)
        for name in ("name", "title", "other_organisation", "items"):
            self.fields[name].widget.attrs["lang"] = minutes.language

    def clean(self):
        cleaned = super().clean()
        if not self.has_changed() or cleaned.get("DELETE"):
            return cleaned
        if not cleaned.get("name"):
            self.add_error("name", _("Give the participant's name."))
        if cleaned.get("organisation") and cleaned.get("other_organisation"):
            self.add_error(
                "other_organisation",
                _("Choose an organisation or write another one, not both."),
            )
        start, end = cleaned.get("present_from"), cleaned.get("present_to")
        if start and end and end <= start:
            self.add_error("present_to", _("The end of the attendance is before its start."))
        return cleaned

    def row(self) -> dict:
        cleaned = self.cleaned_data
        kind, _sep, pk = (cleaned.get("organisation") or "").partition(":")
        return {
            "name": cleaned["name"].strip(),
            "title": cleaned["title"].strip(),
            "organisation": Organisation.objects.get(pk=pk) if kind == "o" else None,
            "region": Region.objects.get(pk=pk) if kind == "r" else None,
            "other_organisation": cleaned["other_organisation"].strip(),
            "role": cleaned["role"],
            "present_from": cleaned.get("present_from"),
            "present_to": cleaned.get("present_to"),
            "items": cleaned["items"].strip(),
        }


class BaseParticipantFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        errors = role_errors([form.cleaned_data.get("role") for form in self._kept()])
        if errors:
            raise forms.ValidationError(errors)

    def _kept(self):
        """The rows that were there, unless ticked for removal, and the blank rows typed
        in: an unchanged existing row stays (has_changed is about the blank rows only)."""
        kept = []
        for index, form in enumerate(self.forms):
            if form.cleaned_data.get("DELETE"):
                continue
            if index < self.initial_form_count() or form.has_changed():
                kept.append(form)
        return kept

    def rows(self) -> list[dict]:
        return [form.row() for form in self._kept()]


ParticipantFormSet = forms.formset_factory(
    ParticipantForm, formset=BaseParticipantFormSet, extra=3, can_delete=True,
    max_num=200, validate_max=True,
)  # fmt: skip


def participant_initial(minutes) -> list[dict]:
    return [
        {
            "name": row.name,
            "title": row.title,
            "organisation": (
                f"o:{row.organisation_id}" if row.organisation_id
                else f"r:{row.region_id}" if row.region_id else ""
            ),
            "other_organisation": row.other_organisation,
            "role": row.role,
            "present_from": row.present_from,
            "present_to": row.present_to,
            "items": row.items,
        }
        for row in minutes.participant_rows.order_by("position", "pk")
    ]  # fmt: skip


def participant_formset(data, *, minutes):
    """Bound only when the page that sent `data` had the list (else it stays as it is)."""
    bound = data if data is not None and "participant-TOTAL_FORMS" in data else None
    return ParticipantFormSet(
        bound, prefix="participant", initial=participant_initial(minutes),
        form_kwargs={"minutes": minutes},
    )  # fmt: skip


def record_form(data, *, minutes):
    bound = data if data is not None and "record-diary_number" in data else None
    return RecordForm(bound, minutes=minutes)
