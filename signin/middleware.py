from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class AdminTwoFactorMiddleware:
    """An administrator with a local password reaches the admin only with a second factor
    set up (MFA_REQUIRED_FOR_ADMINISTRATORS, on in production): without one they are sent
    to set it up first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.MFA_REQUIRED_FOR_ADMINISTRATORS:
            return None
        match = request.resolver_match
        if match is None or "admin" not in match.namespaces:
            return None
        user = request.user
        if not (user.is_authenticated and (user.is_staff or user.is_superuser)):
            return None
        if not user.has_usable_password() or is_mfa_enabled(user):
            return None
        messages.warning(
            request, _("Set up two-factor authentication before using the administration.")
        )
        return redirect("mfa_activate_totp")
