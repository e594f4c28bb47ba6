"""The login page with each organisation's sign-in, the second factor of a local login,
and allauth's OpenID Connect views wrapped so that a failing provider gets a clear page."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.utils import is_mfa_enabled
from allauth.socialaccount.providers.openid_connect import views as oidc_views
from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from requests import RequestException

from steering.auth_views import LoginView

from . import selectors, services

PENDING = "signin_pending_mfa"
LANGUAGE = "signin_language"


def refused(request, reason: str, status: int = 403):
    return render(
        request,
        "signin/refused.html",
        {"message": services.REASONS[reason], "reason": reason},
        status=status,
    )


def _guarded(view):
    """allauth's view, with a provider that is down or answers nonsense caught: allauth
    turns most such faults into its error page, but not all (the discovery document
    fetched before the redirect, a document without the expected keys)."""

    def wrapped(request, provider_id):
        # The provider's addresses carry no language prefix: the sign-in speaks the
        # language of the page its button was pressed on, else the browser's.
        chosen = request.POST.get("language") if request.method == "POST" else None
        if chosen in dict(settings.LANGUAGES):
            request.session[LANGUAGE] = chosen
        language = request.session.get(LANGUAGE)
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        try:
            return view(request, provider_id)
        except (RequestException, KeyError, ValueError, TypeError) as exc:
            refusal = services.Refusal("provider_error", repr(exc)[:300])
            services.log_refusal(request, provider_id, refusal)
            return refused(request, "provider_error", status=502)

    wrapped.login_required = False
    return wrapped


oidc_login = _guarded(oidc_views.login)
oidc_callback = _guarded(oidc_views.callback)


class PortalLoginView(LoginView):
    """The local password login as before, offering each organisation's sign-in beside
    it; an account with a second factor is asked for its code before it is logged in."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["providers"] = self._buttons
        return context

    def dispatch(self, request, *args, **kwargs):
        self._buttons = selectors.login_buttons()
        response = super().dispatch(request, *args, **kwargs)
        origins = sorted({b["origin"] for b in self._buttons if b["origin"]})
        if origins:
            # The sign-in form posts here and is redirected to the provider: the page's
            # form-action must allow the providers' origins or the browser stops it.
            response._csp_update = {"form-action": ["'self'", *origins]}
        return response

    def form_valid(self, form):
        user = form.get_user()
        if is_mfa_enabled(user):
            self.request.session[PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "next": self.get_success_url(),
            }
            return redirect("signin_mfa")
        response = super().form_valid(form)
        # allauth's own pages (setting up a second factor) ask for the password again
        # unless they know it was given moments ago.
        record_authentication(
            self.request, user, method="password", username=user.username, reauthenticated=True
        )
        return response


@never_cache
@sensitive_post_parameters("code")
def mfa_login(request):
    """The second step of a local login: a TOTP or recovery code."""
    pending = request.session.get(PENDING)
    user = None
    if pending:
        user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        return redirect(settings.LOGIN_URL)
    form = AuthenticateForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        del request.session[PENDING]
        login(request, user, backend=pending["backend"])
        record_authentication(
            request, user, method="password", username=user.username, reauthenticated=True
        )
        form.save()
        target = pending["next"]
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse(settings.LOGIN_REDIRECT_URL)
        return HttpResponseRedirect(target)
    if form.is_bound:
        pending["failures"] = pending.get("failures", 0) + 1
        if pending["failures"] >= settings.MFA_LOGIN_FAILURE_LIMIT:
            # Guessing codes: the password must be given again, which axes counts.
            del request.session[PENDING]
            return redirect(settings.LOGIN_URL)
        request.session[PENDING] = pending
    status = 400 if form.is_bound else 200
    return render(request, "signin/mfa_login.html", {"form": form}, status=status)
