"""Staff actions on the minutes of a whole round."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from negotiations.access import get_round_for_user

from ..services.publishing import round_publish_approved


@login_required
@require_POST
def round_publish_all(request, pk):
    round_ = get_round_for_user(request.user, pk, write=True)
    try:
        count = round_publish_approved(round=round_, by=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)s protocol was published.", "%(count)s protocols were published.", count
            )
            % {"count": count},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("round_dashboard", pk=round_.pk)
