"""Subscribing, confirming, unsubscribing and the alerts themselves.

Double opt-in: a request stores the address unconfirmed and mails a link signed with a
TimestampSigner; nothing else is ever sent to it until that link is used. Unconfirmed rows
are deleted after ALERTS_CONFIRM_DAYS (`subscriptions_purge_unconfirmed`, hourly), and an
unsubscribe deletes its row: the address is kept only while the subscription lives.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation

from minutes.models import Publication
from steering.mail import absolute_url, queue_mail, render_mail

from .models import Subscription

logger = logging.getLogger(__name__)
SALT = "alerts.confirm"


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def confirmation_token(subscription: Subscription) -> str:
    return signing.TimestampSigner(salt=SALT).sign(subscription.key)


def confirmation_url(subscription: Subscription) -> str:
    return absolute_url(
        f"/alerts/confirm/{confirmation_token(subscription)}/", language=subscription.language
    )


def unsubscribe_url(subscription: Subscription) -> str:
    return absolute_url(f"/alerts/unsubscribe/{subscription.key}/", language=subscription.language)


def _target(subscription: Subscription) -> str:
    with translation.override(subscription.language):
        if subscription.target is None:
            return str(Subscription.Scope.ALL.label)
        return subscription.target.name


@transaction.atomic
def subscription_request(
    *, email: str, language: str, scope: str, region=None, cooperation_area=None
) -> None:
    """Ask for a subscription. The caller answers the same whatever happens here: a new
    request and a renewed one get a confirmation link, a confirmed subscription nothing
    (its owner has the alerts already, and a stranger learns nothing)."""
    email = normalise_email(email)
    if scope != Subscription.Scope.REGION:
        region = None
    if scope != Subscription.Scope.AREA:
        cooperation_area = None
    found = (
        Subscription.objects.select_for_update()
        .filter(email=email, scope=scope, region=region, cooperation_area=cooperation_area)
        .first()
    )
    if found is not None and found.confirmed_at is not None:
        return
    if found is None:
        try:
            with transaction.atomic():
                found = Subscription.objects.create(
                    email=email, language=language, scope=scope, region=region,
                    cooperation_area=cooperation_area,
                )  # fmt: skip
        except IntegrityError:  # the same request at the same moment: it sends the link
            return
    else:
        found.language, found.created_at = language, timezone.now()
        found.save(update_fields=["language", "created_at"])
    rendered = render_mail(
        "alerts/email/confirm",
        language=found.language,
        context={
            "subscription": found,
            "target": _target(found),
            "link": confirmation_url(found),
            "days": settings.ALERTS_CONFIRM_DAYS,
        },
    )
    queue_mail(rendered, [found.email])


def subscription_from_token(token: str) -> Subscription:
    """The subscription a confirmation link names; LinkExpired or LinkInvalid."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        key = signer.unsign(token, max_age=timedelta(days=settings.ALERTS_CONFIRM_DAYS))
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    subscription = Subscription.objects.select_related("region", "cooperation_area").filter(key=key)
    found = subscription.first()
    if found is None:  # unsubscribed, or purged
        raise LinkInvalid
    return found


@transaction.atomic
def subscription_confirm(*, subscription: Subscription) -> Subscription:
    Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    subscription.refresh_from_db()
    return subscription


def subscription_by_key(key: str) -> Subscription | None:
    return Subscription.objects.select_related("region", "cooperation_area").filter(key=key).first()


def subscription_delete(*, key: str) -> bool:
    """Unsubscribe: the row and its address go. True if there was one."""
    deleted, _ = Subscription.objects.filter(key=key).delete()
    return bool(deleted)


def subscriptions_purge_unconfirmed(now=None) -> int:
    cutoff = (now or timezone.now()) - timedelta(days=settings.ALERTS_CONFIRM_DAYS)
    deleted, _ = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=cutoff
    ).delete()
    if deleted:
        logger.info("alerts: %s unconfirmed subscription(s) expired and deleted", deleted)
    return deleted


def subscribers_of(publication: Publication):
    """The confirmed subscriptions a publication concerns: everything, its region, or its
    cooperation area (its own negotiation, or one of its regions', by today's reference
    data as in the public list's area filter)."""
    areas = Q(scope=Subscription.Scope.AREA, cooperation_area=publication.cooperation_area_id)
    if publication.region_id:
        areas |= Q(
            scope=Subscription.Scope.AREA,
            cooperation_area=publication.region.cooperation_area_id,
        )
    return Subscription.objects.filter(
        Q(scope=Subscription.Scope.ALL)
        | Q(scope=Subscription.Scope.REGION, region=publication.region_id)
        | areas,
        confirmed_at__isnull=False,
    ).order_by("pk")


EVENTS = ("published", "corrected", "withdrawn")


def alerts_send(publication_id: int, event: str) -> int:
    """One message per subscriber, in the subscriber's language, with one-click
    unsubscribe (RFC 8058). Returns how many were queued."""
    publication = (
        Publication.objects.select_related("region", "cooperation_area")
        .filter(pk=publication_id)
        .first()
    )
    if publication is None or event not in EVENTS:
        return 0
    # Published meanwhile withdrawn: the alert would point at a notice, say nothing.
    if event != "withdrawn" and publication.is_withdrawn:
        return 0
    sent = 0
    for subscription in subscribers_of(publication).iterator():
        unsubscribe = unsubscribe_url(subscription)
        with translation.override(subscription.language):
            party = publication.party.name
        rendered = render_mail(
            "alerts/email/protocol",
            language=subscription.language,
            context={
                "event": event,
                "publication": publication,
                "party": party,
                "link": absolute_url(
                    f"/protocols/{publication.pk}/", language=subscription.language
                ),
                "unsubscribe_url": unsubscribe,
                "target": _target(subscription),
            },
        )
        queue_mail(
            rendered,
            [subscription.email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        sent += 1
    logger.info("alerts: %s %s alert(s) for publication %s", sent, event, publication_id)
    return sent
