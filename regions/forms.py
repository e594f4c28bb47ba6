from django import forms
from django.utils.translation import gettext_lazy as _


class RegionContactForm(forms.Form):
    # Only the contact is the negotiating sides' to edit; names, languages and the
    # cooperation area are reference data kept by administrators.
    registry_email = forms.EmailField(
        label=_("Registry e-mail"),
        required=False,
        help_text=_("The region's official mailbox for negotiation invitations and material."),
    )
