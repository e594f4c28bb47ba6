"""allauth's hooks, so that its own views run the OpenID Connect flow by our rules."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from . import services
from .views import refused


class NoSignupAccountAdapter(DefaultAccountAdapter):
    """No one signs up with a form: local accounts are made by administrators."""

    def is_open_for_signup(self, request):
        return False


class SignInAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        for app in apps:
            binding = getattr(app, "binding", None) if app.pk else None
            secret = binding.secret() if binding is not None else None
            if secret:
                app.secret = secret
        return apps

    def _claims(self, sociallogin) -> dict:
        data = sociallogin.account.extra_data or {}
        claims = dict(data.get("id_token") or {})
        claims.update(data.get("userinfo") or {})
        return claims

    def pre_social_login(self, request, sociallogin):
        app = sociallogin.provider.app
        binding = services.binding_for(app)
        user = sociallogin.user if sociallogin.is_existing else None
        try:
            email = services.check_sign_in(
                binding=binding, claims=self._claims(sociallogin), user=user
            )
        except services.Refusal as refusal:
            services.log_refusal(request, app.provider_id, refusal)
            raise ImmediateHttpResponse(refused(request, refusal.reason)) from None
        sociallogin._signin_binding = binding
        if user is None:
            # allauth filled the new account from the claims (populate_user) before this
            # hook; what decides its rights is set here, from the provider's binding only.
            new = sociallogin.user
            new.email = email
            new.username = email[:150]
            new.organisation = binding.organisation
            new.region = binding.region
            new.is_staff = new.is_superuser = False
            new.language = services.language_for(binding, getattr(request, "LANGUAGE_CODE", ""))
        services.logger.info(
            "sign-in accepted: provider=%s user=%s new=%s",
            app.provider_id,
            user.pk if user else "-",
            user is None,
        )

    def is_open_for_signup(self, request, sociallogin):
        return getattr(sociallogin, "_signin_binding", None) is not None

    def is_auto_signup_allowed(self, request, sociallogin):
        return True

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        services.log_refusal(
            request,
            getattr(getattr(provider, "app", None), "provider_id", "") or str(provider),
            services.Refusal("provider_error", f"{error} {exception!r}"),
        )
        raise ImmediateHttpResponse(refused(request, "provider_error", status=400))
