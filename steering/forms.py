from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import MaxLengthValidator
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


class LoginForm(AuthenticationForm):
    """AuthenticationForm sets the username's max_length after the field is built, so no
    validator checks it: a 100,000-character name reached authenticate() and django-axes,
    whose varchar(255) row then failed on PostgreSQL (a 500)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


# The largest key any of our tables can hold (a 64-bit signed integer).
LARGEST_KEY = 2**63 - 1


def _is_storable_key(value) -> bool:
    text = str(value).strip()
    return not text.isdigit() or int(text) <= LARGEST_KEY


class KeyChoiceField(forms.ModelChoiceField):
    """A tampered choice of 30 digits reached the database as an integer too large for
    it (OverflowError on SQLite: a 500); it is an invalid choice like any other."""

    def to_python(self, value):
        if value not in self.empty_values and not _is_storable_key(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class KeyMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value:
            if not _is_storable_key(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class LanguageOptionsSelect(forms.Select):
    """A select whose option labels are a protocol's own text (agenda titles): each option
    carries that text's language, as the page around it may be in another (WCAG 3.1.2)."""

    def __init__(self, *args, option_language: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.option_language = option_language

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        if self.option_language and option["value"] not in ("", None):
            option["attrs"]["lang"] = self.option_language
        return option
