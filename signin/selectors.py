from urllib.parse import urlsplit

from .models import ProviderBinding


def login_buttons() -> list[dict]:
    """The providers offered on the login page, in the order of their organisation."""
    bindings = (
        ProviderBinding.objects.filter(active=True, app__provider="openid_connect")
        .select_related("app", "organisation", "region")
        .order_by("organisation__code", "region__name_fi", "pk")
    )
    return [
        {"provider_id": b.app.provider_id, "side": b.side, "origin": _origin(b)} for b in bindings
    ]


def _origin(binding) -> str:
    url = urlsplit((binding.app.settings or {}).get("server_url", ""))
    return f"{url.scheme}://{url.netloc}" if url.scheme in ("http", "https") else ""
