from datetime import date, datetime

from django import template
from django.forms import BaseForm, BaseFormSet
from django.urls import translate_url
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import pgettext, pgettext_lazy

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, language_code: str) -> str:
    """The current page in another language (reverse adds the script prefix again)."""
    return translate_url(context["request"].get_full_path_info(), language_code)


@register.simple_tag(takes_context=True)
def form_errors(context) -> list[dict]:
    """Every error of the bound forms (and formsets) in the page's context, for the error
    summary at the top of the page: one place that finds them, so no view or template
    has to list its forms again. Each error names its field and, where the field is one
    the reader can reach, the id to link to."""
    seen, entries = set(), []
    for value in context.flatten().values():
        if isinstance(value, BaseFormSet):
            forms = list(value.forms) if value.is_bound else []
            if value.is_bound:
                entries += [{"message": e} for e in value.non_form_errors()]
        elif isinstance(value, BaseForm):
            forms = [value] if value.is_bound else []
        else:
            continue
        for form in forms:
            if id(form) in seen:
                continue
            seen.add(id(form))
            for name, errors in form.errors.items():
                field = form[name] if name in form.fields else None
                anchor = None
                if field is not None and not field.is_hidden:
                    # A group of radios or checkboxes has no label target of its own:
                    # its first option is where the reader answers.
                    anchor = field.id_for_label or (
                        field.subwidgets[0].id_for_label if field.subwidgets else None
                    )
                for message in errors:
                    entries.append(
                        {
                            "label": field.label if field else "",
                            "message": message,
                            "anchor": anchor,
                        }
                    )
    return entries


# --- Dates, file types and sizes as a person reads them ------------------------------------

# The name a reader knows a file type by; anything else by its subtype in capitals.
_FILE_KINDS = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "application/vnd.oasis.opendocument.presentation": "ODP",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "text/csv": "CSV",
    "text/plain": pgettext_lazy("file type", "text"),
}


@register.filter
def local_date(value, format_name: str = "SHORT_DATE_FORMAT") -> str:
    """A date (or an ISO date string from a frozen snapshot) in the active language's own
    format: 30.6.2027 in Finnish, 2027-06-30 in Swedish, 06/30/2027 in English."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return date_format(value, format_name)


@register.filter
def file_size(size) -> str:
    """Bytes as a person reads them: "584 kt" in Finnish, "584 kB" in Swedish and English."""
    try:
        size = int(size)
    except (TypeError, ValueError):
        return ""
    # The units outside the f-strings: xgettext does not read calls inside them.
    if size < 1000:
        return f"{number_format(size)} " + pgettext("file size unit", "B")
    if size < 1000**2:
        # Whole kilobytes, rounded up: a small file is never "0 kB".
        return f"{number_format(-(-size // 1000))} " + pgettext("file size unit", "kB")
    if size < 1000**3:
        return f"{number_format(round(size / 1000**2, 1), 1)} " + pgettext("file size unit", "MB")
    return f"{number_format(round(size / 1000**3, 1), 1)} " + pgettext("file size unit", "GB")


@register.filter
def file_summary(document) -> str:
    """A file's type and size for an attachment list: "PDF, 584 kt"."""
    content_type = (getattr(document, "content_type", "") or "").split(";")[0].strip().lower()
    kind = _FILE_KINDS.get(content_type)
    if kind is None:
        kind = content_type.rpartition("/")[2].upper() or pgettext("file type", "file")
    return f"{kind}, {file_size(getattr(document, 'size', 0))}"


@register.filter
def date_in(value, language: str | None) -> str:
    """`local_date` in a given language's format: a protocol's own dates stay in its
    language on a page read in another."""
    if not language:
        return local_date(value)
    with translation.override(language):
        return local_date(value)
