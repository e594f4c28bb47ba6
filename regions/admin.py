from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import CooperationArea, Organisation, Region, SecrecyGround, Topic, User


@admin.register(CooperationArea)
class CooperationAreaAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "name_sv", "slug", "university_hospital_region"]
    search_fields = ["name_fi", "name_sv", "name_en", "slug"]
    list_select_related = ["university_hospital_region"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = [
        "name_fi",
        "name_sv",
        "kind",
        "main_language",
        "second_language",
        "cooperation_area",
    ]
    list_filter = ["kind", "cooperation_area", "main_language"]
    search_fields = ["name_fi", "name_sv", "name_en", "slug"]
    list_select_related = ["cooperation_area"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fi", "name_sv", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name_fi", "name_sv", "name_en"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "name_sv", "name_en", "position", "active"]
    search_fields = ["name_fi", "name_sv", "name_en"]


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "organisation",
        "region",
        "is_staff",
        "is_active",
    ]
    list_filter = ["organisation", "region", "is_staff", "is_superuser", "is_active"]
    list_select_related = ["organisation", "region"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (
            _("Position in the negotiations"),
            {"fields": ["title", "organisation", "region", "language"]},
        ),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        (
            _("Position in the negotiations"),
            {"fields": ["email", "title", "organisation", "region", "language"]},
        ),
    ]


@admin.register(SecrecyGround)
class SecrecyGroundAdmin(admin.ModelAdmin):
    list_display = ["citation", "label_fi", "label_sv", "active"]
    list_filter = ["active"]
    search_fields = ["citation", "label_fi", "label_sv", "label_en"]
