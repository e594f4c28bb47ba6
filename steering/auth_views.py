"""Login and password reset with the limits by address that django-axes does not keep."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.utils.translation import gettext as _

from .client_ip import client_ip
from .forms import LoginForm, QueuedPasswordResetForm
from .throttle import throttle_count, throttle_hit


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def post(self, request, *args, **kwargs):
        address = client_ip(request)
        if throttle_count("login-ip", address) >= settings.LOGIN_IP_FAILURE_LIMIT:
            return render(request, "registration/locked_out.html", status=429)
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:  # the form came back: a failed attempt
            throttle_hit("login-ip", address, window_seconds=settings.LOGIN_IP_WINDOW_MINUTES * 60)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    # Ours, not the admin's: our words and signature, and the link built on SITE_URL
    # rather than on whatever Host header the request carried.
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.html"

    @property
    def extra_email_context(self):
        return {"site_url": settings.SITE_URL}

    def form_valid(self, form):
        # Counted by the address typed and by the client, never by the account: the
        # answer is the same whether or not the address belongs to anyone.
        window = settings.PASSWORD_RESET_WINDOW_MINUTES * 60
        by_email = throttle_hit("reset-email", form.cleaned_data["email"], window_seconds=window)
        by_ip = throttle_hit("reset-ip", client_ip(self.request), window_seconds=window)
        if (
            by_email > settings.PASSWORD_RESET_EMAIL_LIMIT
            or by_ip > settings.PASSWORD_RESET_IP_LIMIT
        ):
            form.add_error(
                None,
                _("Too many password reset requests. Try again in %(minutes)s minutes.")
                % {"minutes": settings.PASSWORD_RESET_WINDOW_MINUTES},
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)
