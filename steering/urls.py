from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from minutes.public import urls as public_urls
from signin import urls as signin_urls
from signin import views as signin_views

from . import auth_views as throttled
from . import health, views

# Lazy, so that each request's language decides; the portal's own name, already translated.
admin.site.site_header = _("Steering negotiations")
admin.site.site_title = _("Steering negotiations")

auth_patterns = [
    path("login/", signin_views.PortalLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        throttled.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password-change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password-change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    *public_urls.unprefixed,
    path("accounts/", include(signin_urls.callbacks)),
]

urlpatterns += i18n_patterns(
    path("accessibility/", views.accessibility, name="accessibility"),
    # Under the language prefix like every other page: the administrator's language is the
    # one they chose on the portal, and the bare /admin/ redirects to it.
    path("admin/", admin.site.urls),
    path("accounts/", include(auth_patterns)),
    path("accounts/", include(signin_urls.prefixed)),
    path("", include("regions.urls")),
    path("", include("negotiations.urls")),
    path("", include("minutes.urls")),
    path("", include(public_urls.urlpatterns)),
    path("", include("alerts.urls")),
    prefix_default_language=True,
)

if settings.BENCHMARK_BARE_VIEW:
    urlpatterns += [path("bench/bare", views.bare, name="bench_bare")]

# No /media/ route, not even with DEBUG: every stored file goes through the access-checked
# download views, so a path that leaks (a log, a browser history) opens nothing.
