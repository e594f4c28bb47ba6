from django.urls import path

from . import views

urlpatterns = [
    path("regions/<slug:slug>/", views.region_detail, name="region_detail"),
    # workspace/regions/<slug>/ (region_workspace) is in steering/urls.py: it reads the
    # negotiations and minutes, which this app does not import.
    path(
        "workspace/regions/<slug:slug>/contact/",
        views.region_contact_edit,
        name="region_contact_edit",
    ),
]
