from django import template
from django.forms import BaseForm, BaseFormSet
from django.urls import translate_url

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
