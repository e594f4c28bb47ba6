"""Tasks shared by the whole portal."""

import smtplib
import socket

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(name="steering.ping")
def ping() -> str:
    """A no-op round trip, used to prove that a worker takes tasks from the broker."""
    return socket.gethostname()


@shared_task(
    name="steering.send_email",
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
    soft_time_limit=30,
    time_limit=60,
)
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    html_body: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[list[str]] | None = None,
) -> int:
    """Send one already-rendered message.

    Rendering happens where the message is queued (steering/mail.py), in the recipient's
    language; the worker only delivers, so a retry sends exactly the message that was
    asked for. `attachments` are [file name, text content, MIME type].
    """
    message = EmailMultiAlternatives(subject=subject, body=body, to=to, headers=headers or {})
    if html_body:
        message.attach_alternative(html_body, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message.send()


@shared_task(name="steering.drain_outbox", soft_time_limit=120, time_limit=180)
def drain_outbox() -> int:
    """Send the outbox messages that the broker could not take when they were written."""
    from .outbox import drain

    return drain()
