from django.contrib import admin

from .models import AgendaTemplate, AgendaTemplateItem


class AgendaTemplateItemInline(admin.TabularInline):
    model = AgendaTemplateItem
    extra = 1
    ordering = ["position"]


@admin.register(AgendaTemplate)
class AgendaTemplateAdmin(admin.ModelAdmin):
    list_display = ["name"]
    inlines = [AgendaTemplateItemInline]
