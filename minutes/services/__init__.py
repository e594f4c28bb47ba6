"""The write side of the minutes, one module for each part of their life: drafting (the
text, its versions and approval), review (the region's comments and the ministry's
answers), outcomes (the numbered items), publishing, protocols (the PDFs), the ledger of
tracked items and the publicity of comment threads.

Drafting and review are the minutes' own life, called as `services.<name>` throughout."""

from .drafting import (
    StaleMinutes,
    content_sha256,
    latest_review_version,
    minutes_approve,
    minutes_save_text,
    minutes_send_for_review,
    minutes_start,
    minutes_start_revision,
    move_to,
    open_comments,
    record_event,
    require_editable,
    require_move,
    review_days_left,
    snapshot,
)
from .review import (
    answer_add,
    comment_add,
    comment_update,
    comment_withdraw,
    review_complete,
)

__all__ = [
    "StaleMinutes",
    "answer_add",
    "comment_add",
    "comment_update",
    "comment_withdraw",
    "content_sha256",
    "latest_review_version",
    "minutes_approve",
    "minutes_save_text",
    "minutes_send_for_review",
    "minutes_start",
    "minutes_start_revision",
    "move_to",
    "open_comments",
    "record_event",
    "require_editable",
    "require_move",
    "review_complete",
    "review_days_left",
    "snapshot",
]
