from django.urls import path

from . import views

urlpatterns = [
    # regions/<slug>/ (region_detail) is in minutes/public/urls.py with the other public
    # pages: it lists the region's published protocols.
    # workspace/regions/<slug>/ (region_workspace) is in steering/urls.py: it reads the
    # negotiations and minutes, which this app does not import.
    path(
        "workspace/regions/<slug:slug>/contact/",
        views.region_contact_edit,
        name="region_contact_edit",
    ),
]
