"""The one filter of published protocols, for the HTML list and the API alike: a value
that names nothing (a year without a round, an unknown slug or kind, a NUL) makes the
form invalid; the list answers that with a 404, the API with no results."""

from django import forms
from django.db.models import Q

from negotiations.models import Round


class ProtocolFilter(forms.Form):
    year = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    region = forms.ChoiceField(required=False)
    area = forms.ChoiceField(required=False)
    kind = forms.ChoiceField(choices=[("", ""), *Round.Kind.choices], required=False)

    def __init__(self, data, *, years, areas):
        super().__init__(data)
        self.years, self.areas = years, areas
        self.regions = [region for area in areas for region in area.region_list]
        self.fields["year"].choices = [("", ""), *((year, year) for year in years)]
        self.fields["region"].choices = [("", ""), *((r.slug, r.name) for r in self.regions)]
        self.fields["area"].choices = [("", ""), *((a.slug, a.name) for a in areas)]

    def filter(self, rows):
        """`rows` (publications) narrowed to the filter; none for a filter that is not
        valid."""
        if not self.is_valid():
            return rows.none()
        data = self.cleaned_data
        if data["year"]:
            rows = rows.filter(year=data["year"])
        if data["region"]:
            rows = rows.filter(region=next(r for r in self.regions if r.slug == data["region"]))
        if data["area"]:
            area = next(a for a in self.areas if a.slug == data["area"])
            # The region's area as the reference data says now, not as it was when published.
            rows = rows.filter(Q(region__in=area.region_list) | Q(cooperation_area=area))
        if data["kind"]:
            rows = rows.filter(round_kind=data["kind"])
        return rows


def round_years() -> list[int]:
    return list(Round.objects.order_by("-year").values_list("year", flat=True).distinct())
