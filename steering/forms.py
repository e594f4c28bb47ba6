from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from .outbox import enqueue
from .tasks import send_email


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose e-mail goes out through Celery, never inside the request.

    The message is rendered here (in the language of the request) and queued when the
    transaction commits; the answer the visitor sees is the same whether or not the
    address belongs to an account.
    """

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html_body = (
            loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else None
        )
        enqueue(send_email, subject=subject, body=body, to=[to_email], html_body=html_body)
