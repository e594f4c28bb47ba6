from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.text import capfirst
from django.utils.translation import gettext

from .models import AgendaTemplate, AgendaTemplateItem


class LabelledRowsFormSet(BaseInlineFormSet):
    """A tabular inline shows each column's label once, in the table head, so its inputs
    have no accessible name of their own; each control gets one naming column and row."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for field in form.fields.values():
            if field.widget.is_hidden:
                continue
            label = capfirst(field.label or "")
            if index is None:
                # The empty form the "add another" button copies; its script renumbers ids
                # and names only, so the label cannot promise a row number.
                name = gettext("%(field)s, new row") % {"field": label}
            else:
                name = gettext("%(field)s, row %(number)s") % {"field": label, "number": index + 1}
            # The admin wraps a foreign key's select, and the wrapper's copy shares the attrs of
            # the field's original widget (not of its own copy): name the select itself.
            widget = getattr(field.widget, "widget", field.widget)
            widget.attrs["aria-label"] = name


class AgendaTemplateItemInline(admin.TabularInline):
    model = AgendaTemplateItem
    formset = LabelledRowsFormSet
    extra = 1
    ordering = ["position"]


@admin.register(AgendaTemplate)
class AgendaTemplateAdmin(admin.ModelAdmin):
    list_display = ["name"]
    inlines = [AgendaTemplateItemInline]
