from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, language_code: str) -> str:
    """The current page in another language (the same page, its language prefix swapped)."""
    request = context["request"]
    # No URL pattern is translated, so swapping the prefix is what translate_url would
    # give, without resolving and reversing the path five times on every page.
    prefix = f"/{getattr(request, 'LANGUAGE_CODE', '')}/"
    full_path, path_info = request.get_full_path(), request.get_full_path_info()
    if path_info.startswith(prefix):
        script = full_path[: len(full_path) - len(path_info)]  # escaped as the rest is
        return f"{script}/{language_code}/{path_info[len(prefix) :]}"
    return translate_url(full_path, language_code)
