"""Two lists, included by steering/urls.py: pages under the language prefix, and the
OpenID Connect addresses without it, because a provider knows one fixed redirect URI
(https://<host>/accounts/oidc/<provider_id>/login/callback/) whatever the reader's
language; the pages there speak the language of the browser (or of its cookie)."""

from allauth.account import views as account_views
from allauth.socialaccount import views as social_views
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views


def _signup_closed(request):
    # allauth sends a sign-up it cannot finish on its own to a form; we have none.
    return views.refused(request, "not_configured")


_signup_closed.login_required = False

prefixed = [
    path("login/code/", views.mfa_login, name="signin_mfa"),
    # The names allauth's own pages link to, for the same local views.
    path("login/", views.PortalLoginView.as_view(), name="account_login"),
    path("logout/", auth_views.LogoutView.as_view(), name="account_logout"),
    path("reauthenticate/", account_views.reauthenticate, name="account_reauthenticate"),
    path("2fa/", include("allauth.mfa.urls")),
    path(
        "3rdparty/login/cancelled/",
        social_views.login_cancelled,
        name="socialaccount_login_cancelled",
    ),
    path("3rdparty/login/error/", social_views.login_error, name="socialaccount_login_error"),
    path("3rdparty/signup/", _signup_closed, name="socialaccount_signup"),
]

callbacks = [
    path("oidc/<str:provider_id>/login/", views.oidc_login, name="openid_connect_login"),
    path(
        "oidc/<str:provider_id>/login/callback/",
        views.oidc_callback,
        name="openid_connect_callback",
    ),
]
