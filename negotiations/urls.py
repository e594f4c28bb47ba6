from django.urls import path

from .views import agenda, documents, negotiations, rounds

urlpatterns = [
    path("workspace/rounds/", rounds.round_list, name="round_list"),
    path("workspace/rounds/new/", rounds.round_create, name="round_create"),
    path("workspace/rounds/<int:pk>/", rounds.round_dashboard, name="round_dashboard"),
    path("workspace/rounds/<int:pk>/edit/", rounds.round_edit, name="round_edit"),
    path("workspace/rounds/<int:pk>/next/", rounds.round_next, name="round_next"),
    path("workspace/rounds/<int:pk>/state/", rounds.round_close, name="round_close"),
    path(
        "workspace/rounds/<int:pk>/schedule/",
        negotiations.bulk_schedule,
        name="bulk_schedule",
    ),
    path(
        "workspace/rounds/<int:pk>/schedule/<slug:slug>/",
        negotiations.negotiation_create,
        name="negotiation_create",
    ),
    path(
        "workspace/rounds/<int:pk>/documents/new/",
        documents.round_document_upload,
        name="round_document_upload",
    ),
    path(
        "workspace/negotiations/<int:pk>/",
        negotiations.negotiation_detail,
        name="negotiation_detail",
    ),
    path(
        "workspace/negotiations/<int:pk>/edit/",
        negotiations.negotiation_edit,
        name="negotiation_edit",
    ),
    path(
        "workspace/negotiations/<int:pk>/cancel/",
        negotiations.negotiation_cancel,
        name="negotiation_cancel",
    ),
    path(
        "workspace/negotiations/<int:pk>/calendar.ics",
        negotiations.negotiation_ics,
        name="negotiation_ics",
    ),
    path("workspace/negotiations/<int:pk>/agenda/", agenda.agenda_edit, name="agenda_edit"),
    path("workspace/negotiations/<int:pk>/agenda/ready/", agenda.agenda_ready, name="agenda_ready"),
    path(
        "workspace/negotiations/<int:pk>/agenda/items/<int:item_pk>/",
        agenda.agenda_item_edit,
        name="agenda_item_edit",
    ),
    path(
        "workspace/negotiations/<int:pk>/agenda/items/<int:item_pk>/delete/",
        agenda.agenda_item_delete,
        name="agenda_item_delete",
    ),
    path(
        "workspace/negotiations/<int:pk>/agenda/items/<int:item_pk>/move/",
        agenda.agenda_item_move,
        name="agenda_item_move",
    ),
    path(
        "workspace/negotiations/<int:pk>/documents/new/",
        documents.negotiation_document_upload,
        name="negotiation_document_upload",
    ),
    path("workspace/documents/<int:pk>/", documents.document_download, name="document_download"),
    path(
        "workspace/documents/<int:pk>/publicity/",
        documents.document_publicity,
        name="document_publicity",
    ),
    path(
        "workspace/documents/<int:pk>/delete/",
        documents.document_delete,
        name="document_delete",
    ),
]
