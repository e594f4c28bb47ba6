from django.urls import path

from .archive import views as archive
from .views import drafting, followup, pdfs, review, rounds, workspace

P = "workspace/minutes/<int:pk>/"
F = "workspace/follow-up/"

urlpatterns = [
    path("workspace/", workspace.workspace, name="workspace"),
    path("workspace/regions/<slug:slug>/", workspace.region_workspace, name="region_workspace"),
    path("workspace/rounds/<int:pk>/publish/", rounds.round_publish_all, name="round_publish_all"),
    path(
        "workspace/negotiations/<int:negotiation_pk>/minutes/start/",
        drafting.minutes_start,
        name="minutes_start",
    ),
    path(P, drafting.minutes_detail, name="minutes_detail"),
    path(P + "edit/", drafting.minutes_edit, name="minutes_edit"),
    path(P + "translation/", drafting.minutes_translation_start, name="minutes_translation_start"),
    path(P + "preview/", drafting.minutes_preview, name="minutes_preview"),
    path(P + "history/", drafting.minutes_history, name="minutes_history"),
    path(P + "diff/", drafting.minutes_diff, name="minutes_diff"),
    path(P + "send/", drafting.minutes_transition, {"action": "send"}, name="minutes_send"),
    path(P + "revise/", drafting.minutes_transition, {"action": "revise"}, name="minutes_revise"),
    path(
        P + "approve/", drafting.minutes_transition, {"action": "approve"}, name="minutes_approve"
    ),
    path(
        P + "publish/", drafting.minutes_transition, {"action": "publish"}, name="minutes_publish"
    ),
    path(
        P + "correct/", drafting.minutes_transition, {"action": "correct"}, name="minutes_correct"
    ),
    path(
        P + "withdraw/",
        drafting.minutes_transition,
        {"action": "withdraw"},
        name="minutes_withdraw",
    ),
    path(P + "versions/<int:number>/", review.version_detail, name="minutes_version"),
    path(P + "versions/<int:number>/comments/", review.comment_add, name="comment_add"),
    path(P + "versions/<int:number>/notes/", review.note_add, name="note_add"),
    path(P + "versions/<int:number>/done/", review.review_complete, name="review_complete"),
    path(
        P + "versions/<int:number>/reconciliation/",
        review.reconciliation,
        name="reconciliation",
    ),
    path(P + "versions/<int:number>/protocol.pdf", pdfs.protocol_pdf, name="protocol_pdf"),
    path(
        P + "versions/<int:number>/render/",
        pdfs.protocol_render_request,
        name="protocol_render",
    ),
    path("workspace/comments/<int:pk>/", review.comment_edit, name="comment_edit"),
    path("workspace/comments/<int:pk>/answer/", review.answer_add, name="answer_add"),
    path("workspace/comments/<int:pk>/publicity/", review.thread_classify, name="thread_classify"),
    path(F, followup.followup_list, name="followup_list"),
    path(F + "overview/", followup.followup_overview, name="followup_overview"),
    path(F + "overview.csv", followup.followup_overview_csv, name="followup_overview_csv"),
    path(F + "items/<int:pk>/", followup.item_detail, name="followup_item"),
    path(F + "items/<int:pk>/report/", followup.item_report, name="followup_report"),
    path(F + "items/<int:pk>/status/", followup.item_status, name="followup_status"),
    path(
        F + "items/<int:pk>/reports/<int:report_pk>/file/",
        followup.report_file,
        name="followup_report_file",
    ),
    path("workspace/rounds/<int:pk>/archive/", archive.archive_list, name="archive_list"),
    path("workspace/archive/<int:pk>/", archive.archive_detail, name="archive_detail"),
    path("workspace/archive/<int:pk>/download/", archive.archive_download, name="archive_download"),
]
