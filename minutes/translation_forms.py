"""The editor's translation column: each section's heading and text and each outcome item's
text in the other national language, beside the main text (`translation.translation_save`)."""

from django import forms
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext as _

from regions.models import OfficialLanguage

from .translation import translation_of


class TranslationForm(forms.Form):
    """Fields `tr-participants`, `tr-heading-<section>`, `tr-body-<section>` and
    `tr-item-<item>`; built only for minutes that have a translation."""

    prefix = "tr"

    def __init__(self, data, *, minutes):
        super().__init__(data)
        self.translation = translation_of(minutes)
        self.sections = list(minutes.sections.order_by("position"))
        self.items = list(minutes.items.order_by("position", "pk"))
        lang = self.translation.language
        self.language = lang
        in_language = OfficialLanguage(lang).label
        widget = {"lang": lang}
        saved_sections, saved_items = self.translation.sections, self.translation.items
        self.fields["participants"] = forms.CharField(
            label=_("Participants (%(language)s)") % {"language": in_language},
            required=False,
            max_length=20_000,
            widget=forms.Textarea(attrs={"rows": 5, **widget}),
            initial=self.translation.participants,
        )
        for section in self.sections:
            saved = saved_sections.get(str(section.pk), {})
            name = format_html(
                '{}. <span lang="{}">{}</span>', section.position, minutes.language, section.heading
            )
            self.fields[f"heading-{section.pk}"] = forms.CharField(
                label=format_html("{} – {}", name, _("heading (%(language)s)") % {
                    "language": in_language
                }),
                required=False,
                max_length=300,
                widget=forms.TextInput(attrs=widget),
                initial=saved.get("heading", ""),
            )  # fmt: skip
            self.fields[f"body-{section.pk}"] = forms.CharField(
                label=format_html("{} – {}", name, _("text (%(language)s)") % {
                    "language": in_language
                }),
                required=False,
                max_length=settings.PROTOCOL_SECTION_MAX_CHARACTERS,
                widget=forms.Textarea(attrs={"rows": 8, **widget}),
                initial=saved.get("body", ""),
            )  # fmt: skip
        for item in self.items:
            self.fields[f"item-{item.pk}"] = forms.CharField(
                label=_("Text (%(language)s)") % {"language": in_language},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2, **widget}),
                initial=saved_items.get(str(item.pk), ""),
            )

    def attach(self, editor) -> None:
        """Put each translation field beside its main-text field in the editor's rows."""
        for entry in editor.sections:
            entry["tr_heading"] = self[f"heading-{entry['section'].pk}"]
            entry["tr_body"] = self[f"body-{entry['section'].pk}"]
            for row in entry["items"]:
                name = f"item-{row.item.pk}"
                row.tr_text = self[name] if name in self.fields else None

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            "participants": data.get("participants", ""),
            "sections": {
                section.pk: {
                    "heading": data.get(f"heading-{section.pk}", ""),
                    "body": data.get(f"body-{section.pk}", ""),
                }
                for section in self.sections
            },
            "items": {item.pk: data.get(f"item-{item.pk}", "") for item in self.items},
        }
