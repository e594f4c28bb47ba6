from django.urls import path

from . import views

urlpatterns = [
    path("regions/<slug:slug>/", views.region_detail, name="region_detail"),
    path("workspace/regions/<slug:slug>/", views.region_workspace, name="region_workspace"),
    path(
        "workspace/regions/<slug:slug>/contact/",
        views.region_contact_edit,
        name="region_contact_edit",
    ),
]
