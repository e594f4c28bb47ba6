from django.conf import settings
from django.shortcuts import render
from django.utils.translation import get_language

from . import accessibility as statement


def accessibility(request):
    return render(
        request,
        "accessibility.html",
        {
            "feedback_email": settings.ACCESSIBILITY_FEEDBACK_EMAIL,
            "supervisor": statement.supervisor(get_language()),
            "supervisor_phone": statement.SUPERVISOR_PHONE,
            "made": statement.STATEMENT_MADE,
            "reviewed": statement.STATEMENT_REVIEWED,
            # minutes/record.py hides the names after this many days; None keeps them.
            "personal_data_days": settings.PUBLIC_PERSONAL_DATA_DAYS,
        },
    )


def bare(request):
    """The bare framework's cost: a constant answer, the yardstick of make bench-web."""
    from django.http import HttpResponse

    return HttpResponse(b"ok", content_type="text/plain")
