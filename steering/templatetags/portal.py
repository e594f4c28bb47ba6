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
    if request.path_info.startswith(prefix):
        script = request.path[: len(request.path) - len(request.path_info)]
        rest = request.get_full_path()[len(script) + len(prefix) :]
        return f"{script}/{language_code}/{rest}"
    return translate_url(request.get_full_path(), language_code)
