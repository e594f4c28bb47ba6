"""Every e-mail the portal writes: rendered in its reader's language, with a plain-text and
an HTML part, links made absolute from SITE_URL, and queued through the outbox.

A message is three templates: `<name>_subject.txt`, `<name>.txt` and `<name>.html` (which
extends `email/base.html`). The text templates turn autoescaping off themselves: a place
called "Ministers' room" must not reach a plain-text reader as "Ministers&#x27; room".
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path: str, *, language: str | None = None) -> str:
    """The portal's address of `path`: with `language`, `path` is a page without its
    language prefix (`/protocols/3/`), otherwise a path already complete."""
    prefix = f"/{language}" if language else ""
    return f"{settings.SITE_URL}{prefix}{path}"


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    html: str
    language: str


def render_mail(template: str, *, language: str, context: dict) -> Rendered:
    """The three parts of one message in `language`."""
    with translation.override(language):
        context = {
            "site_url": settings.SITE_URL,
            "home_url": absolute_url("/", language=language),
            "language": language,
            **context,
        }
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", {**context, "subject": subject})
    return Rendered(subject=subject, body=body, html=html, language=language)


def queue_mail(
    rendered: Rendered,
    to: list[str],
    *,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
):
    """Queue one rendered message to `to` when the transaction commits. `attachments` are
    (file name, text content, MIME type): the outbox keeps its rows as JSON."""
    from .outbox import enqueue
    from .tasks import send_email

    return enqueue(
        send_email,
        subject=rendered.subject,
        body=rendered.body,
        html_body=rendered.html,
        to=to,
        headers={"Content-Language": rendered.language, **(headers or {})},
        attachments=[list(attachment) for attachment in attachments or []],
    )
