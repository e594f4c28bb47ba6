"""The public's alert pages: no login, no account. Every answer to a subscription request
is the same whether or not the address is subscribed already."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from regions.models import CooperationArea, Region
from steering.client_ip import client_ip
from steering.throttle import throttle_hit

from . import services
from .forms import SubscribeForm
from .models import Subscription


def _initial(request) -> dict:
    """The page the visitor came from may name a region or an area (?region=, ?area=)."""
    initial = {"language": (get_language() or "fi")[:2], "scope": Subscription.Scope.ALL}
    region = Region.objects.filter(slug=request.GET.get("region") or "").first()
    area = CooperationArea.objects.filter(slug=request.GET.get("area") or "").first()
    if region:
        initial.update(scope=Subscription.Scope.REGION, region=region)
    elif area:
        initial.update(scope=Subscription.Scope.AREA, cooperation_area=area)
    return initial


def _throttled(request, email: str) -> bool:
    # Counted by the address typed and by the client, never by what is stored.
    window = settings.ALERTS_WINDOW_MINUTES * 60
    by_email = throttle_hit("alerts-email", services.normalise_email(email), window_seconds=window)
    by_ip = throttle_hit("alerts-ip", client_ip(request), window_seconds=window)
    return by_email > settings.ALERTS_EMAIL_LIMIT or by_ip > settings.ALERTS_IP_LIMIT


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if _throttled(request, data["email"]):
                form.add_error(
                    None,
                    _("Too many subscription requests. Try again in %(minutes)s minutes.")
                    % {"minutes": settings.ALERTS_WINDOW_MINUTES},
                )
                return render(request, "alerts/subscribe.html", {"form": form}, status=429)
            services.subscription_request(
                email=data["email"],
                language=data["language"],
                scope=data["scope"],
                region=data["region"],
                cooperation_area=data["cooperation_area"],
            )
            return redirect("alerts_sent")
    else:
        form = SubscribeForm(initial=_initial(request))
    return render(request, "alerts/subscribe.html", {"form": form})


def sent(request):
    return render(request, "alerts/sent.html", {"days": settings.ALERTS_CONFIRM_DAYS})


def _bad_link(request, *, expired: bool):
    return render(request, "alerts/bad_link.html", {"expired": expired}, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button, POST confirms: a mail scanner that opens every link in a
    message must not subscribe anyone."""
    try:
        subscription = services.subscription_from_token(token)
    except services.LinkExpired:
        return _bad_link(request, expired=True)
    except services.LinkInvalid:
        return _bad_link(request, expired=False)
    if request.method == "POST":
        subscription = services.subscription_confirm(subscription=subscription)
        return render(request, "alerts/confirmed.html", {"subscription": subscription})
    return render(request, "alerts/confirm.html", {"subscription": subscription})


@csrf_exempt  # RFC 8058: the mail program's one-click POST carries no token, only the key
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """`token` is the subscription's own random key, the secret of this address."""
    if request.method == "POST":
        services.subscription_delete(key=token)
        return render(request, "alerts/unsubscribed.html")
    subscription = services.subscription_by_key(token)
    if subscription is None:
        return render(request, "alerts/unsubscribed.html", {"already": True})
    return render(request, "alerts/unsubscribe.html", {"subscription": subscription})
