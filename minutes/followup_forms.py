"""Forms of the ledger's pages: a report or remark, a status, the officials' filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from regions.models import Region, Topic

from .models import TRACKED_KINDS, ItemStatus, OutcomeKind
from .services.ledger import allowed_statuses


class ItemReportForm(forms.Form):
    text = forms.CharField(
        label=_("Report"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the report before sending it.")},
    )
    file = forms.FileField(label=_("Attachment (optional)"), required=False)


class ItemRemarkForm(ItemReportForm):
    text = forms.CharField(
        label=_("Remark"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the remark before sending it.")},
    )


class ItemStatusForm(forms.Form):
    """The statuses offered are the transitions the ledger allows from the item's status;
    the rule itself (and the reason a drop needs) is `ledger.item_set_status`."""

    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the item is dropped."),
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status, ItemStatus(status).label) for status in allowed_statuses(item)
        ]


class OverviewFilterForm(forms.Form):
    """The officials' overview and its CSV read the same filters."""

    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", "–")] + [(kind, OutcomeKind(kind).label) for kind in TRACKED_KINDS],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "–"), *ItemStatus.choices]
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), required=False, queryset=Topic.objects.all(), empty_label="–"
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.order_by("name_fi"),
        to_field_name="slug",
        empty_label="–",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].label_from_instance = lambda region: region.name
        self.fields["topic"].label_from_instance = lambda topic: topic.name
