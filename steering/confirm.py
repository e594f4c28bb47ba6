"""One confirmation step before what cannot be undone: a page that names what will happen
and posts the same form again with `confirmed=1`. Works without JavaScript and with the
keyboard alone, as a plain page with a form."""

from django.shortcuts import render


def is_confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get("confirmed") == "1"


def render_confirmation(
    request, *, title: str, consequences: list[str], button: str, cancel_url: str,
    action_url: str | None = None, fields: dict | None = None, lang: str = "",
    context: str = "", danger: bool = True,
):  # fmt: skip
    """The confirm page. `fields` are posted back as hidden inputs (the values the user
    already gave, such as a reason); `context` names the object, in its own `lang`."""
    return render(
        request,
        "confirm.html",
        {
            "title": title,
            "consequences": consequences,
            "button": button,
            "cancel_url": cancel_url,
            "action_url": action_url or request.path,
            "fields": (fields or {}).items(),
            "object_lang": lang,
            "object_name": context,
            "danger": danger,
        },
    )
