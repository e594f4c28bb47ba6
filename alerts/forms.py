from django import forms
from django.utils.translation import gettext_lazy as _

from regions.models import CooperationArea, PortalLanguage, Region

from .models import Subscription


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    scope = forms.ChoiceField(
        label=_("Protocols of"), choices=Subscription.Scope.choices, widget=forms.RadioSelect,
        initial=Subscription.Scope.ALL,
    )  # fmt: skip
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), to_field_name="slug", required=False,
        empty_label=_("Choose a region"),
    )  # fmt: skip
    cooperation_area = forms.ModelChoiceField(
        label=_("Cooperation area"), queryset=CooperationArea.objects.all(),
        to_field_name="slug", required=False, empty_label=_("Choose a cooperation area"),
    )  # fmt: skip
    language = forms.ChoiceField(label=_("Language of the e-mails"), choices=PortalLanguage.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if scope == Subscription.Scope.REGION and not data.get("region"):
            self.add_error("region", _("Choose the region whose protocols you want."))
        if scope == Subscription.Scope.AREA and not data.get("cooperation_area"):
            self.add_error(
                "cooperation_area", _("Choose the cooperation area whose protocols you want.")
            )
        return data
