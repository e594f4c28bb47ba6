from django.contrib import admin

from .models import ProviderBinding


@admin.register(ProviderBinding)
class ProviderBindingAdmin(admin.ModelAdmin):
    list_display = ["app", "organisation", "region", "active"]
    list_filter = ["active"]
    autocomplete_fields = []
    fields = [
        "app",
        "organisation",
        "region",
        "email_domains",
        "trust_email",
        "secret_env",
        "active",
    ]
